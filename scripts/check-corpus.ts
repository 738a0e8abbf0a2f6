/**
 * Reads every conda-meta folder under a directory with the environment reader and fails when a
 * valid record cannot be read, or when a truncated one is not reported as a problem naming it.
 *
 *   npm run check:corpus -- /tmp/corpus/conda-meta
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readEnvironment } from '../src/environment/read-environment.ts';

interface FolderResult {
  folder: string;
  records: number;
  packages: number;
  files: number;
  /** Broken records the reader reported as problems, by prefix-relative path. */
  reported: string[];
  failures: string[];
}

/** Finds every directory below `root` that holds *.json records. */
function findRecordFolders(root: string): string[] {
  const folders: string[] = [];
  const walk = (directory: string): void => {
    const names = readdirSync(directory);
    if (names.some((name) => name.endsWith('.json') && statSync(join(directory, name)).isFile())) folders.push(directory);
    for (const name of names) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) walk(path);
    }
  };
  walk(root);
  return folders.sort();
}

/** Tells whether a file parses as JSON, the ground truth for "valid record". */
function isValidJson(path: string): boolean {
  try {
    JSON.parse(readFileSync(path, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Reads one folder as the conda-meta/ of a throwaway prefix and checks every record's fate. */
function checkFolder(folder: string, scratch: string): FolderResult {
  const prefix = mkdtempSync(join(scratch, 'env-'));
  // The reader takes a prefix; link the folder in as its conda-meta/ instead of copying it.
  symlinkSync(folder, join(prefix, 'conda-meta'));
  const records = readdirSync(folder).filter((name) => name.endsWith('.json'));
  const environment = readEnvironment(prefix);
  const read = new Set(environment.packages.filter((pkg) => pkg.source === 'conda').map((pkg) => pkg.recordPath));
  const reported = new Set(environment.problems.map((problem) => problem.path));
  const failures: string[] = [];
  const brokenReported: string[] = [];
  for (const name of records) {
    const recordPath = `conda-meta/${name}`;
    if (isValidJson(join(folder, name))) {
      const isRecord = JSON.parse(readFileSync(join(folder, name), 'utf8')).name !== undefined;
      if (isRecord && !read.has(recordPath)) failures.push(`valid record not read: ${name}`);
    } else if (reported.has(recordPath)) {
      brokenReported.push(name);
    } else {
      failures.push(`broken record not reported: ${name}`);
    }
  }
  rmSync(prefix, { recursive: true, force: true });
  return {
    folder,
    records: records.length,
    packages: read.size,
    files: environment.packages.reduce((sum, pkg) => sum + pkg.files.length, 0),
    reported: brokenReported,
    failures,
  };
}

function main(root: string | undefined): number {
  if (root === undefined) {
    process.stderr.write('usage: check-corpus DIR (a folder holding conda-meta folders, e.g. an unpacked corpus/conda-meta)\n');
    return 2;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'conda-prune-corpus-'));
  mkdirSync(scratch, { recursive: true });
  let records = 0;
  let packages = 0;
  let files = 0;
  const failures: string[] = [];
  const reported: string[] = [];
  try {
    for (const folder of findRecordFolders(root)) {
      const result = checkFolder(folder, scratch);
      records += result.records;
      packages += result.packages;
      files += result.files;
      failures.push(...result.failures.map((failure) => `${relative(root, result.folder)}: ${failure}`));
      reported.push(...result.reported.map((name) => `${relative(root, result.folder)}/${name}`));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write(`corpus check: ${records} record files, ${packages} packages read, ${files} paths, ${reported.length} broken records reported, ${failures.length} failures\n`);
  for (const name of reported) process.stdout.write(`  reported as broken: ${name}\n`);
  for (const failure of failures) process.stdout.write(`  ${failure}\n`);
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv[2]);
