/**
 * Writes a benchmark environment's file tree: sparse regular files, relative symlinks and the
 * directories that hold them.
 *
 * Everything here is synchronous on purpose. On the 2-core ext4 VM this was written on, creating
 * 30,000 sparse files took ~0.8 s with openSync/ftruncateSync/closeSync in one loop, ~3.3 s with
 * a 64-wide pool of fs/promises calls, ~2.8 s with a 32-wide callback pool and ~2.4 s with two
 * worker threads: the per-call threadpool hop and the directory-lock contention cost more than
 * any overlap buys, so the "concurrent pool" lost to the plain loop.
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One path to create in an environment, relative to the prefix with forward slashes. */
export interface EnvEntry {
  path: string;
  /** Apparent size of the sparse file; ignored for links and directories. */
  size: number;
  /** When set, the entry is a symlink with this (relative) target. */
  linkTarget?: string;
  /** When true, the entry is an (empty) directory. */
  directory?: boolean;
}

/** What writing a tree produced. */
export interface WriteStats {
  files: number;
  links: number;
  directories: number;
  /** Sum of the regular files' apparent sizes. */
  apparentBytes: number;
  /** Entries that could not be created, with the reason (first 20 kept). */
  failures: string[];
  failureCount: number;
  /** Paths listed more than once; the last listing won. */
  duplicates: number;
}

/** Creates every entry under `root` (which must exist) and returns what was written. */
export function writeEntries(root: string, entries: readonly EnvEntry[]): WriteStats {
  const stats: WriteStats = { files: 0, links: 0, directories: 0, apparentBytes: 0, failures: [], failureCount: 0, duplicates: 0 };
  const byPath = new Map<string, EnvEntry>();
  for (const entry of entries) {
    if (byPath.has(entry.path)) stats.duplicates++;
    byPath.set(entry.path, entry);
  }
  const fail = (path: string, reason: string): void => {
    stats.failureCount++;
    if (stats.failures.length < 20) stats.failures.push(`${path}: ${reason}`);
  };

  const directories = collectDirectories(byPath.values());
  for (const dir of directories) {
    try {
      mkdirSync(join(root, dir));
      stats.directories++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') fail(dir, errorCode(error));
    }
  }

  for (const entry of byPath.values()) {
    // A path that another entry uses as a directory cannot also be a file; real records never
    // do this, but clobbering packages in a corpus can.
    if (entry.directory === true) continue;
    if (directories.has(entry.path)) {
      fail(entry.path, 'also a directory of another entry');
      continue;
    }
    const absolute = join(root, entry.path);
    try {
      if (entry.linkTarget !== undefined) {
        symlinkSync(entry.linkTarget, absolute);
        stats.links++;
        continue;
      }
      const fd = openSync(absolute, 'w');
      try {
        // ftruncate extends the file without writing data: the blocks stay unallocated.
        if (entry.size > 0) ftruncateSync(fd, entry.size);
      } finally {
        closeSync(fd);
      }
      stats.files++;
      stats.apparentBytes += entry.size;
    } catch (error) {
      fail(entry.path, errorCode(error));
    }
  }
  return stats;
}

/** Returns every directory the entries need, parents before children. */
function collectDirectories(entries: Iterable<EnvEntry>): Set<string> {
  const all = new Set<string>();
  for (const entry of entries) {
    let dir = entry.directory === true ? entry.path : dirname(entry.path);
    while (dir !== '.' && dir !== '' && !all.has(dir)) {
      all.add(dir);
      dir = dirname(dir);
    }
  }
  // Sorting by depth keeps every parent ahead of its children, so plain mkdir suffices.
  return new Set([...all].sort((a, b) => depth(a) - depth(b)));
}

function depth(path: string): number {
  let count = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) count++;
  return count;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/** Makes `dest` an empty directory; an existing non-empty one is replaced only with `force` and only when it looks like an env. */
export function prepareDestination(dest: string, force: boolean): void {
  let names: string[] = [];
  try {
    names = readdirSync(dest);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (names.length > 0) {
    // Refusing anything without conda-meta/ keeps a mistyped DEST from wiping a real folder.
    if (!force || !existsSync(join(dest, 'conda-meta'))) {
      throw new Error(`${dest} is not empty; pass --force to replace an existing benchmark env`);
    }
    rmSync(dest, { recursive: true, force: true });
  }
  mkdirSync(dest, { recursive: true });
}
