/**
 * Finds identical files that several packages install at different paths: the same size on disk
 * and the same sha256 in their records. Contents are never read; only files whose size another
 * package's file shares have their record entries looked up.
 */
import type { Environment } from '../environment/types.ts';
import type { MeasuredFile } from './measure-files.ts';
import type { DuplicateGroup } from './types.ts';

/** Options of findDuplicates. */
export interface DuplicateOptions {
  /** Smaller files are not worth a line; 64 KiB by default (small files share sizes by chance, and each lookup costs). */
  minBytes?: number;
  /** Groups reported, most wasted bytes first. */
  limit?: number;
}

/** Returns groups of identical files owned by at least two packages, most wasted bytes first. */
export function findDuplicates(environment: Environment, files: readonly MeasuredFile[], options: DuplicateOptions = {}): DuplicateGroup[] {
  const minBytes = options.minBytes ?? 64 * 1024;
  const bySize = new Map<number, MeasuredFile[]>();
  for (const file of files) {
    if (file.kind !== 'file' || file.bytes < minBytes) continue;
    const group = bySize.get(file.bytes);
    if (group === undefined) bySize.set(file.bytes, [file]);
    else group.push(file);
  }
  const groups: DuplicateGroup[] = [];
  for (const [bytes, sameSize] of bySize) {
    if (!spansPackages(sameSize)) continue;
    const byHash = new Map<string, MeasuredFile[]>();
    for (const file of sameSize) {
      const sha256 = environment.packages[file.packageIndex]?.fileAt(file.pathIndex).sha256;
      // A record without hashes (constructor installs, some pip RECORDs) proves nothing.
      if (sha256 === undefined) continue;
      const group = byHash.get(sha256);
      if (group === undefined) byHash.set(sha256, [file]);
      else group.push(file);
    }
    for (const [sha256, copies] of byHash) {
      if (!spansPackages(copies)) continue;
      const inodes = new Set(copies.map((copy) => copy.inode ?? copy.path));
      groups.push({
        sha256,
        bytes,
        copies: copies.map((copy) => ({ path: copy.path, package: environment.packages[copy.packageIndex]?.name ?? '' })).sort((a, b) => (a.path < b.path ? -1 : 1)),
        wastedBytes: bytes * (inodes.size - 1),
      });
    }
  }
  groups.sort((a, b) => b.wastedBytes - a.wastedBytes || (a.sha256 < b.sha256 ? -1 : 1));
  return groups.slice(0, options.limit ?? 50);
}

function spansPackages(files: readonly MeasuredFile[]): boolean {
  if (files.length < 2) return false;
  const first = files[0]?.packageIndex;
  return files.some((file) => file.packageIndex !== first);
}
