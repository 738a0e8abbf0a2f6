/**
 * The last step of a run: deleting conda's own records (the entries of a lastStep rule). It runs
 * only after the rest of the run was verified and committed, because once conda-meta/ is gone
 * no conda tool, and not conda-prune either, recognises the prefix as an environment: there is
 * nothing left to verify against, recover from or undo with.
 */
import { rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanEntry } from '../plan/types.ts';

/** What the last step removed and what was already gone. */
export interface LastStepResult {
  removed: PlanEntry[];
  vanished: string[];
}

/** Deletes the last-step entries, then conda-meta/ itself when they left it empty. */
export function removeLastStep(prefix: string, entries: readonly PlanEntry[]): LastStepResult {
  const result: LastStepResult = { removed: [], vanished: [] };
  for (const entry of entries) {
    try {
      unlinkSync(join(prefix, entry.path));
      result.removed.push(entry);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      result.vanished.push(entry.path);
    }
  }
  try {
    rmdirSync(join(prefix, 'conda-meta'));
  } catch (error) {
    // A record written after the plan, or a file no rule named, keeps the folder.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw error;
  }
  return result;
}
