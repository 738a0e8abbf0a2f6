/**
 * Reads a prefix into an Environment: every conda-meta record, the pip distributions no record
 * owns, the python layout, and the index of who owns each path.
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PruneError } from '../errors.ts';
import type { Environment, Package, RecordProblem } from './types.ts';
import { parseCondaRecord } from './read-record.ts';
import { readPipDistributions } from './read-pip.ts';
import { describePython } from './python-info.ts';
import { indexOwners, type OwnerIndex } from './owners.ts';
import { unsafePathProblem } from './paths.ts';
import { assertNoUnfinishedRun } from '../apply/journal.ts';

/** Options of readEnvironment. */
export interface ReadOptions {
  /** Read even though a run's journal is there: the caller is that run. */
  withinRun?: boolean;
  /**
   * Keep what each package's paths_data says of its files once read. A plan visits each package
   * once and keeps only the current one's (memory stays flat at 300,000 paths); the audit visits
   * them all several times and would parse each again.
   */
  keepParsed?: boolean;
}

/** Reads the environment at `prefix`; throws CP_PREFIX_MISSING or CP_NOT_A_CONDA_ENV when it is none. */
export function readEnvironment(prefix: string, options: ReadOptions = {}): Environment {
  const absolute = resolve(prefix);
  assertCondaPrefix(absolute);
  // An interrupted prune leaves the env half-changed until recover ends it: refuse to read it,
  // unless the reader is the run that holds the journal (its own verification after the prune).
  if (options.withinRun !== true) assertNoUnfinishedRun(absolute);
  const realPrefix = realpathSync(absolute);
  const problems: RecordProblem[] = [];
  const packages: Package[] = [];
  let sitePackagesPath: string | undefined;

  const readRecord = createReusingReader();
  for (const name of readdirSync(join(absolute, 'conda-meta')).sort()) {
    // Only *.json files are records; history, state, pixi and pixi_env_prefix are markers.
    if (!name.endsWith('.json')) continue;
    const recordPath = `conda-meta/${name}`;
    let bytes: Buffer;
    try {
      bytes = readRecord(join(absolute, recordPath));
    } catch (error) {
      // A directory named *.json, or a file we may not read, is reported and passed over.
      problems.push({ path: recordPath, code: 'unreadable', message: (error as NodeJS.ErrnoException).code ?? String(error) });
      continue;
    }
    const parsed = parseCondaRecord(bytes, recordPath, (problem) => problems.push(problem), () => readFileSync(join(absolute, recordPath)), options.keepParsed === true);
    if ('code' in parsed) {
      problems.push(parsed);
      continue;
    }
    for (const path of parsed.unsafePaths) {
      problems.push(unsafePathProblem(recordPath, path));
    }
    if (parsed.package.name === 'python' && parsed.pythonSitePackagesPath !== undefined) sitePackagesPath = parsed.pythonSitePackagesPath;
    packages.push(parsed.package);
  }

  const python = describePython(
    packages.find((pkg) => pkg.name === 'python'),
    sitePackagesPath,
  );
  if (python !== undefined) {
    const pip = readPipDistributions(absolute, python.sitePackages, packages);
    problems.push(...pip.problems);
    packages.push(...pip.packages);
  }

  let index: OwnerIndex | undefined;
  const environment: Environment = {
    prefix: absolute,
    realPrefix,
    packages,
    problems,
    // Built on first use: a plan asks only about its candidates (see findOwners).
    get owners() {
      index ??= indexOwners(packages);
      return index.owners;
    },
    get sharedOwners() {
      index ??= indexOwners(packages);
      return index.sharedOwners;
    },
  };
  if (python !== undefined) environment.python = python;
  return environment;
}

function assertCondaPrefix(prefix: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(prefix).isDirectory();
  } catch {
    throw new PruneError('CP_PREFIX_MISSING', `${prefix} does not exist`, {
      hint: 'pass the path of an installed environment, e.g. /opt/conda/envs/app, or set CONDA_PREFIX',
    });
  }
  let hasMeta = false;
  try {
    hasMeta = isDirectory && statSync(join(prefix, 'conda-meta')).isDirectory();
  } catch {
    hasMeta = false;
  }
  if (!hasMeta) {
    throw new PruneError('CP_NOT_A_CONDA_ENV', `${prefix} is not a conda environment: it has no conda-meta/ directory`, {
      hint: 'point at the prefix itself (the folder that holds bin/, lib/ and conda-meta/)',
    });
  }
}

/**
 * Reads files into one buffer that grows to the largest of them. The bytes of a record are needed
 * only while it is parsed (paths_data is read again when a package has candidates), so the 114 MB
 * of records of a 300,000-path env pass through one buffer instead of piling up as garbage until
 * the next collection. The returned view is valid until the next call.
 */
function createReusingReader(): (path: string) => Buffer {
  let buffer = Buffer.allocUnsafe(1 << 20);
  return (path) => {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > buffer.length) buffer = Buffer.allocUnsafe(size);
      let filled = 0;
      while (filled < size) {
        const count = readSync(fd, buffer, filled, size - filled, filled);
        if (count === 0) break;
        filled += count;
      }
      return buffer.subarray(0, filled);
    } finally {
      closeSync(fd);
    }
  };
}
