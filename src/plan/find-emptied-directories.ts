/**
 * Finds the directories a plan leaves empty, so apply can remove them too and a report can say
 * that `scipy/stats/tests/` goes as a whole.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parentOf } from '../environment/paths.ts';

/** Returns the directories that hold nothing but removed paths, deepest first. */
export function findEmptiedDirectories(prefix: string, removed: readonly string[]): string[] {
  // How many children of each directory go; a directory whose every child goes is emptied.
  // Counting, not comparing names: removed paths are unique, so equal counts mean all of them.
  const goingChildren = new Map<string, number>();
  for (const path of new Set(removed)) bump(goingChildren, parentOf(path));
  const emptied: string[] = [];
  const judged = new Set<string>();
  // Deepest first, so a parent is judged only after every child directory was. Depths are
  // counted once per directory, not once per comparison of the sort.
  const byDepth = (directories: Iterable<string>): string[] =>
    [...directories]
      .map((directory) => ({ directory, depth: depth(directory) }))
      .sort((a, b) => b.depth - a.depth)
      .map((item) => item.directory);
  let pending = byDepth(goingChildren.keys());
  while (pending.length > 0) {
    const next: string[] = [];
    for (const directory of pending) {
      // Never the prefix itself, and never conda's own folder.
      if (directory === '' || directory === 'conda-meta' || judged.has(directory)) continue;
      const going = goingChildren.get(directory) ?? 0;
      if (going !== countChildren(join(prefix, directory))) continue;
      judged.add(directory);
      emptied.push(directory);
      const parent = parentOf(directory);
      bump(goingChildren, parent);
      next.push(parent);
    }
    pending = byDepth(next);
  }
  return emptied
    .map((directory) => ({ directory, depth: depth(directory) }))
    .sort((a, b) => b.depth - a.depth || (a.directory < b.directory ? -1 : a.directory > b.directory ? 1 : 0))
    .map((item) => item.directory);
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function countChildren(directory: string): number {
  try {
    return readdirSync(directory).length;
  } catch {
    return -1;
  }
}

function depth(path: string): number {
  let count = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) count++;
  return count;
}
