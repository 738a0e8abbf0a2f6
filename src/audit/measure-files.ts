/**
 * Measures every path the packages list with one lstat each, and classifies it. Contents are read
 * only for files in executable folders, where the path cannot tell a tool from a script.
 */
import { lstatSync, type Stats } from 'node:fs';
import { sep } from 'node:path';
import type { Environment } from '../environment/types.ts';
import { classifyByContent, classifyPath } from './classify-path.ts';
import type { AuditCategory } from './types.ts';

/** One file or symlink found on disk. */
export interface MeasuredFile {
  path: string;
  /** Index into `environment.packages` of the first package listing the path. */
  packageIndex: number;
  /** Index of the path in that package's `paths`, to reach its record entry. */
  pathIndex: number;
  category: AuditCategory;
  /** Apparent size from lstat; a symlink counts its own length. */
  bytes: number;
  kind: 'file' | 'symlink';
  /** `dev:ino` of a regular file with more than one link; undefined otherwise. */
  inode?: string;
}

/** What measuring found: the files, and per package the listed paths that are gone. */
export interface Measurement {
  files: MeasuredFile[];
  /** Parallel to `environment.packages`. */
  missing: number[];
  /** Bytes counted once per inode. */
  uniqueBytes: number;
  /** Every lstat taken, by path, so pricing the presets does not take them again. */
  stats: Map<string, Stats>;
}

/** Lstats and classifies every listed path once; a path listed by several packages counts for the first. */
export function measureFiles(environment: Environment): Measurement {
  const files: MeasuredFile[] = [];
  const missing = environment.packages.map(() => 0);
  const seen = new Set<string>();
  const inodes = new Set<string>();
  const taken = new Map<string, Stats>();
  let uniqueBytes = 0;
  const root = environment.prefix.endsWith(sep) ? environment.prefix : `${environment.prefix}${sep}`;
  environment.packages.forEach((pkg, packageIndex) => {
    const { paths } = pkg;
    for (let pathIndex = 0; pathIndex < paths.length; pathIndex++) {
      const path = paths[pathIndex] as string;
      if (seen.has(path)) continue;
      seen.add(path);
      // Record paths are already normalised; join's normalisation costs more than the lstat itself.
      const absolute = `${root}${path}`;
      const stats = statOrUndefined(absolute);
      if (stats === undefined) {
        missing[packageIndex] = (missing[packageIndex] ?? 0) + 1;
        continue;
      }
      taken.set(path, stats);
      // Records of old conda list directories now and then; they weigh nothing of their own.
      if (stats.isDirectory()) continue;
      const symlink = stats.isSymbolicLink();
      const verdict = classifyPath(path);
      const category = verdict !== 'sniff' ? verdict : symlink || !stats.isFile() ? 'runtime' : classifyByContent(absolute);
      const file: MeasuredFile = { path, packageIndex, pathIndex, category, bytes: stats.size, kind: symlink ? 'symlink' : 'file' };
      if (!symlink && stats.nlink > 1) {
        file.inode = `${stats.dev}:${stats.ino}`;
        if (inodes.has(file.inode)) {
          files.push(file);
          continue;
        }
        inodes.add(file.inode);
      }
      uniqueBytes += stats.size;
      files.push(file);
    }
  });
  return { files, missing, uniqueBytes, stats: taken };
}

/** Returns the lstat of a path, or undefined when it is gone or cannot be reached (ENOTDIR, ELOOP, EACCES). */
function statOrUndefined(absolute: string): Stats | undefined {
  try {
    return lstatSync(absolute, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
