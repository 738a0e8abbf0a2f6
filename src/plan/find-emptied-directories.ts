/**
 * Finds the directories a plan leaves empty, so apply can remove them too and a report can say
 * that `scipy/stats/tests/` goes as a whole.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parentOf } from '../environment/paths.ts';

/** Returns the directories that hold nothing but removed paths, deepest first. */
export function findEmptiedDirectories(prefix: string, removed: readonly string[]): string[] {
  const gone = new Set(removed);
  const emptied: string[] = [];
  let level = new Set(removed.map(parentOf));
  while (level.size > 0) {
    const next = new Set<string>();
    // Deepest first: a parent is judged after all of its children at this depth were.
    for (const directory of [...level].sort((a, b) => depth(b) - depth(a) || a.localeCompare(b))) {
      // Never the prefix itself, and never conda's own folder.
      if (directory === '' || directory === 'conda-meta' || gone.has(directory)) continue;
      let children: string[];
      try {
        children = readdirSync(join(prefix, directory));
      } catch {
        continue;
      }
      if (children.every((child) => gone.has(`${directory}/${child}`))) {
        gone.add(directory);
        emptied.push(directory);
        next.add(parentOf(directory));
      }
    }
    level = next;
  }
  return emptied.sort((a, b) => depth(b) - depth(a) || a.localeCompare(b));
}

function depth(path: string): number {
  let count = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) count++;
  return count;
}
