/**
 * A snapshot of a directory tree (paths, types, modes, file contents, link targets) to prove a
 * tree is byte-identical to another; conda-prune's own `.conda-prune/` state is left out.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Path → `type mode digest-or-target`, for every entry below the root. */
export type TreeSnapshot = Map<string, string>;

/** Walks `root` without following links and describes every entry. */
export function snapshotTree(root: string, skip: readonly string[] = ['.conda-prune']): TreeSnapshot {
  const snapshot: TreeSnapshot = new Map();
  const walk = (relative: string): void => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative === '' ? name : `${relative}/${name}`;
      if (skip.includes(path)) continue;
      const absolute = join(root, path);
      const stats = lstatSync(absolute);
      const mode = (stats.mode & 0o7777).toString(8);
      if (stats.isSymbolicLink()) snapshot.set(path, `link ${mode} ${readlinkSync(absolute)}`);
      else if (stats.isDirectory()) {
        snapshot.set(path, `dir ${mode}`);
        walk(path);
      } else snapshot.set(path, `file ${mode} ${createHash('sha256').update(readFileSync(absolute)).digest('hex')}`);
    }
  };
  walk('');
  return snapshot;
}

/** Lists how two snapshots differ, for a readable assertion message; empty when equal. */
export function diffSnapshots(expected: TreeSnapshot, actual: TreeSnapshot, limit = 10): string[] {
  const differences: string[] = [];
  for (const [path, description] of expected) {
    const other = actual.get(path);
    if (other === undefined) differences.push(`missing ${path}`);
    else if (other !== description) differences.push(`changed ${path}: ${description} → ${other}`);
  }
  for (const path of actual.keys()) if (!expected.has(path)) differences.push(`extra ${path}`);
  return differences.slice(0, limit);
}
