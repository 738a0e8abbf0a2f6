/**
 * Reads pip-installed distributions (`*.dist-info/RECORD`) that no conda record owns, so a
 * profile for pandas applies however pandas arrived in the environment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Package, PackageFile, RecordProblem } from './types.ts';
import { isUnsafeRelativePath, unsafePathProblem } from './paths.ts';
import { findOwners } from './owners.ts';

/** Pip distributions found in site-packages, and the problems met on the way. */
export interface PipScan {
  packages: Package[];
  problems: RecordProblem[];
}

/** Reads every dist-info RECORD in site-packages whose RECORD file no conda package owns. */
export function readPipDistributions(prefix: string, sitePackages: string, condaPackages: readonly Package[]): PipScan {
  const scan: PipScan = { packages: [], problems: [] };
  let names: string[];
  try {
    names = readdirSync(join(prefix, sitePackages))
      .filter((name) => name.endsWith('.dist-info'))
      .sort();
  } catch {
    return scan;
  }
  const recordPaths = new Set(names.map((name) => `${sitePackages}/${name}/RECORD`));
  const owned = findOwners(condaPackages, recordPaths);
  for (const name of names) {
    const recordPath = `${sitePackages}/${name}/RECORD`;
    // A RECORD a conda record lists belongs to a conda package installed with its dist-info.
    if (owned.has(recordPath)) continue;
    let text: string;
    try {
      text = readFileSync(join(prefix, recordPath), 'utf8');
    } catch {
      // A dist-info without RECORD (e.g. written by a distro packager) lists nothing we could own.
      continue;
    }
    const metadata = readMetadataHead(join(prefix, sitePackages, name, 'METADATA'));
    const fromDirectory = splitDistInfoName(name);
    const unsafe: string[] = [];
    const files = parseRecordCsv(text, sitePackages, unsafe);
    for (const path of unsafe) {
      scan.problems.push(unsafePathProblem(recordPath, path));
    }
    scan.packages.push({
      name: normalizeDistributionName(metadata.name ?? fromDirectory.name),
      version: metadata.version ?? fromDirectory.version,
      build: '',
      channel: 'pypi',
      source: 'pypi',
      recordPath,
      paths: files.map((file) => file.path),
      files,
      fileAt: (index) => files[index] as PackageFile,
    });
  }
  return scan;
}

/** Normalises a distribution name as PEP 503 does; profiles match it against their normalised package name. */
export function normalizeDistributionName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function splitDistInfoName(directory: string): { name: string; version: string } {
  const stem = directory.slice(0, -'.dist-info'.length);
  const dash = stem.indexOf('-');
  return dash === -1 ? { name: stem, version: '' } : { name: stem.slice(0, dash), version: stem.slice(dash + 1) };
}

function readMetadataHead(path: string): { name?: string; version?: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  const result: { name?: string; version?: string } = {};
  // Headers end at the first blank line; the long description after it can be megabytes.
  for (const line of text.slice(0, text.search(/\r?\n\r?\n|$/)).split(/\r?\n/)) {
    if (line.startsWith('Name:')) result.name = line.slice(5).trim();
    else if (line.startsWith('Version:')) result.version = line.slice(8).trim();
  }
  return result;
}

/** Parses RECORD (CSV: path, `sha256=<urlsafe base64>`, size) into prefix-relative files. */
export function parseRecordCsv(text: string, sitePackages: string, unsafe: string[]): PackageFile[] {
  const files: PackageFile[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const [relative = '', hash = '', size = ''] = splitCsvLine(line);
    if (relative === '') continue;
    const path = posix.normalize(`${sitePackages}/${relative}`);
    if (isUnsafeRelativePath(path) || isUnsafeRelativePath(relative.replace(/^(\.\.\/)+/, ''))) {
      unsafe.push(relative);
      continue;
    }
    const file: PackageFile = { path, pathType: 'hardlink' };
    if (hash.startsWith('sha256=')) file.sha256 = Buffer.from(hash.slice(7), 'base64url').toString('hex');
    if (/^\d+$/.test(size)) file.size = Number(size);
    files.push(file);
  }
  return files;
}

/** Splits one CSV line; RECORD quotes paths that contain commas or quotes. */
function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}
