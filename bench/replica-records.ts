/**
 * Reads a real conda-meta folder and turns each record's file list into the entries a replica
 * environment needs: recorded sizes, and symlinks aimed at a real file of the same package.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import type { EnvEntry } from './env-writer.ts';

/** One conda-meta record file that parsed as JSON. */
export interface ScannedRecord {
  /** File name inside conda-meta/. */
  fileName: string;
  record: WrittenRecord;
}

/** What a conda-meta folder holds, split into what a replica copies and what it leaves out. */
export interface CondaMetaScan {
  records: ScannedRecord[];
  /** Non-JSON regular files (history, state, pixi, pixi_env_prefix) copied verbatim. */
  markers: string[];
  /** Files left out, with the reason (invalid JSON, in a subdirectory, corpus artefact). */
  skipped: { name: string; reason: string }[];
}

/** The parts of a written conda record that a replica reads. */
export interface WrittenRecord {
  name?: unknown;
  files?: unknown;
  paths_data?: { paths?: unknown };
}

interface WrittenPath {
  _path?: unknown;
  path_type?: unknown;
  size_in_bytes?: unknown;
}

/** Counts of how entries were derived, so a report can say how faithful the replica is. */
export interface EntryStats {
  /** Files whose record gave no `size_in_bytes`. */
  missingSize: number;
  /** ...of which pyc files that took the size of their source `.py`. */
  pycFromSource: number;
  linksSameDir: number;
  linksOtherDir: number;
  /** Links of a package with no regular file, pointed at the package's own record. */
  linksToRecord: number;
}

/** Size given to an entry point script when the record does not say: the usual generated stub. */
export const ENTRY_POINT_SIZE = 256;

/** Scans `metaDir` for records, marker files and what must be skipped. */
export function scanCondaMeta(metaDir: string): CondaMetaScan {
  const scan: CondaMetaScan = { records: [], markers: [], skipped: [] };
  for (const dirent of readdirSync(metaDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (dirent.isDirectory()) {
      // conda reads only conda-meta/*.json, so nothing below a subdirectory belongs in a replica.
      for (const inner of readdirSync(join(metaDir, dirent.name)).sort()) {
        const name = `${dirent.name}/${inner}`;
        const valid = inner.endsWith('.json') && parseJson(join(metaDir, name)) !== undefined;
        scan.skipped.push({ name, reason: valid ? 'in a subdirectory' : 'not valid JSON (subdirectory)' });
      }
      continue;
    }
    if (!dirent.isFile()) continue;
    if (dirent.name.startsWith('_MISSING_BLOBS')) {
      scan.skipped.push({ name: dirent.name, reason: 'corpus artefact, not written by an installer' });
      continue;
    }
    if (!dirent.name.endsWith('.json')) {
      scan.markers.push(dirent.name);
      continue;
    }
    const record = parseJson(join(metaDir, dirent.name));
    if (record === undefined || typeof record !== 'object' || record === null || Array.isArray(record)) {
      scan.skipped.push({ name: dirent.name, reason: 'not valid JSON' });
      continue;
    }
    scan.records.push({ fileName: dirent.name, record: record as WrittenRecord });
  }
  return scan;
}

/** Returns the entries for one record's `files`, adding to `stats`. */
export function recordEntries(scanned: ScannedRecord, stats: EntryStats): EnvEntry[] {
  const files = Array.isArray(scanned.record.files) ? scanned.record.files.filter((f): f is string => typeof f === 'string') : [];
  const byPath = indexPathsData(scanned.record.paths_data?.paths);
  const real: EnvEntry[] = [];
  const links: EnvEntry[] = [];
  const pending: EnvEntry[] = [];

  for (const path of files) {
    const data = byPath.get(path) ?? byPath.get(untranslate(path) ?? '');
    const type = typeof data?.path_type === 'string' ? data.path_type : 'hardlink';
    if (type === 'softlink') {
      links.push({ path, size: 0 });
      continue;
    }
    if (type === 'directory') {
      real.push({ path, size: 0, directory: true });
      continue;
    }
    const entry: EnvEntry = { path, size: 0 };
    if (typeof data?.size_in_bytes === 'number') entry.size = data.size_in_bytes;
    else {
      stats.missingSize++;
      if (type === 'pyc_file') pending.push(entry);
      else if (type.endsWith('entry_point') || type.startsWith('windows_python_entry_point')) entry.size = ENTRY_POINT_SIZE;
    }
    real.push(entry);
  }

  const sizes = new Map(real.map((entry) => [entry.path, entry.size]));
  for (const pyc of pending) {
    const source = sizes.get(pycSource(pyc.path));
    if (source === undefined) continue;
    pyc.size = source;
    stats.pycFromSource++;
  }

  const recordPath = `conda-meta/${scanned.fileName}`;
  const targets = real.filter((entry) => entry.directory !== true).map((entry) => entry.path);
  for (const link of links) link.linkTarget = chooseLinkTarget(link.path, targets, recordPath, stats);
  return [...real, ...links];
}

function indexPathsData(paths: unknown): Map<string, WrittenPath> {
  const index = new Map<string, WrittenPath>();
  if (!Array.isArray(paths)) return index;
  for (const item of paths as WrittenPath[]) {
    if (typeof item === 'object' && item !== null && typeof item._path === 'string') index.set(item._path, item);
  }
  return index;
}

/** Maps an installed noarch:python path back to the package-relative `_path` conda leaves in paths_data. */
function untranslate(path: string): string | undefined {
  const site = /^(?:lib\/python\d+\.\d+t?|Lib)\/site-packages\/(.+)$/.exec(path);
  if (site !== null) return `site-packages/${site[1]}`;
  const script = /^(?:bin|Scripts)\/(.+)$/.exec(path);
  if (script !== null) return `python-scripts/${script[1]}`;
  return undefined;
}

/** Returns the `.py` a pyc was compiled from (`a/__pycache__/m.cpython-312.pyc` → `a/m.py`). */
function pycSource(path: string): string {
  const dir = dirname(path);
  const module = basename(path).replace(/\.[^.]*\.pyc$|\.pyc$/, '');
  return basename(dir) === '__pycache__' ? posix.join(dirname(dir), `${module}.py`) : posix.join(dir, `${module}.py`);
}

/** Picks a relative target: the best-named real file in the link's directory, else anywhere in the package. */
function chooseLinkTarget(link: string, targets: readonly string[], recordPath: string, stats: EntryStats): string {
  const dir = dirname(link);
  const name = basename(link);
  let best: string | undefined;
  let bestScore = -1;
  let sameDir = false;
  for (const candidate of targets) {
    const inDir = dirname(candidate) === dir;
    if (sameDir && !inDir) continue;
    const score = commonPrefix(name, basename(candidate));
    // A same-directory file always beats one elsewhere; then the longest shared prefix
    // (libfoo.so → libfoo.so.1.2.3), then the shortest name (python3 → python3.10, not python3.10-config).
    const better =
      best === undefined ||
      (inDir && !sameDir) ||
      score > bestScore ||
      (score === bestScore && candidate.length < best.length);
    if (better) {
      best = candidate;
      bestScore = score;
      sameDir = inDir;
    }
  }
  if (best === undefined) {
    stats.linksToRecord++;
    return posix.relative(dir, recordPath);
  }
  if (sameDir) stats.linksSameDir++;
  else stats.linksOtherDir++;
  return posix.relative(dir, best);
}

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function parseJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
