/**
 * Measures every path the packages list from one lstat each, and classifies it. Contents are read
 * only for files in executable folders, where the path cannot tell a tool from a script.
 */
import type { Environment } from '../environment/types.ts';
import { withTrailingSeparator } from '../environment/paths.ts';
import { lookUpRows, lstatKind, type LstatFacts, type LstatTable, type PathLabeller } from '../fs/lstat-table.ts';
import { classifyByContent, classifyPath, createContentClassifier, createPathClassifier, pathVerdicts } from './classify-path.ts';
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

/** Every distinct path the records list, each under the first package listing it. */
export interface Listing {
  /** Prefix-relative paths, one row each. */
  paths: string[];
  /** Each path's row. */
  rows: Map<string, number>;
  /** Parallel to `paths`: index into `environment.packages`. */
  packageIndexes: Uint32Array;
  /** Parallel to `paths`: index of the path in that package's `paths`. */
  pathIndexes: Uint32Array;
  /** The prefix with a trailing separator, to which the paths are appended. */
  root: string;
  /** Each path several packages list, to every package listing it, in package order. */
  sharedOwners: Map<string, number[]>;
}

/** What measuring found: the files, and per package the listed paths that are gone. */
export interface Measurement {
  files: MeasuredFile[];
  /** Parallel to `environment.packages`. */
  missing: number[];
  /** Bytes counted once per inode. */
  uniqueBytes: number;
  /** The lstat facts of a listed path, so pricing the presets does not take them again. */
  lstatOf: (path: string) => LstatFacts | undefined;
}

/** Lists each path the packages list once; a path listed by several packages counts for the first. */
export function listPaths(environment: Environment): Listing {
  const rows = new Map<string, number>();
  const packageIndexes: number[] = [];
  const pathIndexes: number[] = [];
  const sharedOwners = new Map<string, number[]>();
  environment.packages.forEach((pkg, packageIndex) => {
    const { paths } = pkg;
    for (let pathIndex = 0; pathIndex < paths.length; pathIndex++) {
      const path = paths[pathIndex] as string;
      const row = rows.get(path);
      if (row !== undefined) {
        const first = packageIndexes[row] as number;
        if (first === packageIndex) continue;
        const owners = sharedOwners.get(path);
        if (owners === undefined) sharedOwners.set(path, [first, packageIndex]);
        else if (!owners.includes(packageIndex)) owners.push(packageIndex);
        continue;
      }
      rows.set(path, rows.size);
      packageIndexes.push(packageIndex);
      pathIndexes.push(pathIndex);
    }
  });
  return { paths: [...rows.keys()], rows, packageIndexes: Uint32Array.from(packageIndexes), pathIndexes: Uint32Array.from(pathIndexes), root: withTrailingSeparator(environment.prefix), sharedOwners };
}

/** Classifies the listed paths beside their lstat calls, in the same worker, files in bin/ by their first bytes. */
export const pathClassifier: PathLabeller = { create: createPathClassifier, labels: pathVerdicts, byContent: { ask: 'sniff', create: createContentClassifier } };

/** Turns the listing and its lstat table (labelled by pathClassifier, or not) into measured, classified files. */
export function measureFiles(environment: Environment, listing: Listing, table: LstatTable): Measurement {
  const files: MeasuredFile[] = [];
  const missing = environment.packages.map(() => 0);
  const inodes = new Set<string>();
  let uniqueBytes = 0;
  const { paths, rows, packageIndexes, pathIndexes, root } = listing;
  for (let row = 0; row < paths.length; row++) {
    const path = paths[row] as string;
    const packageIndex = packageIndexes[row] as number;
    const kind = table.kinds[row];
    if (kind === lstatKind.missing) {
      missing[packageIndex] = (missing[packageIndex] ?? 0) + 1;
      continue;
    }
    // Records of old conda list directories now and then; they weigh nothing of their own.
    if (kind === lstatKind.directory) continue;
    const symlink = kind === lstatKind.symlink;
    const bytes = table.sizes[row] as number;
    const verdict = (table.labels === undefined ? undefined : pathVerdicts[table.labels[row] as number]) ?? classifyPath(path);
    // Concatenated, not joined: record paths are normalised, and join's normalisation costs more than the lstat.
    const category = verdict !== 'sniff' ? verdict : kind !== lstatKind.file ? 'runtime' : classifyByContent(`${root}${path}`);
    const file: MeasuredFile = { path, packageIndex, pathIndex: pathIndexes[row] as number, category, bytes, kind: symlink ? 'symlink' : 'file' };
    if (!symlink && (table.nlinks[row] as number) > 1) {
      file.inode = `${table.devs[row]}:${table.inos[row]}`;
      if (inodes.has(file.inode)) {
        files.push(file);
        continue;
      }
      inodes.add(file.inode);
    }
    uniqueBytes += bytes;
    files.push(file);
  }
  return { files, missing, uniqueBytes, lstatOf: lookUpRows(table, rows) };
}
