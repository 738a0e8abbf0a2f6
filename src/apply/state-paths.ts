/**
 * Where conda-prune keeps its own state in a prefix: a `.conda-prune/` folder beside
 * `conda-meta/`, never inside it (conda reads every `.json` there as a package record).
 */
import { join } from 'node:path';

/** Name of the state folder at the root of the prefix. */
export const stateFolder = '.conda-prune';

/** The paths of conda-prune's state in one prefix. */
export interface StatePaths {
  root: string;
  lock: string;
  journal: string;
  history: string;
  /** Quarantine of one run: files moved out of the way until the run commits. */
  quarantine(runId: string): string;
  /** Backups kept with --keep-backup, restorable by `undo`. */
  backup(runId: string): string;
}

/** Returns the state paths of a prefix. */
export function statePaths(prefix: string): StatePaths {
  const root = join(prefix, stateFolder);
  return {
    root,
    lock: join(root, 'lock'),
    journal: join(root, 'journal.json'),
    history: join(root, 'history.jsonl'),
    quarantine: (runId) => join(root, 'quarantine', runId),
    backup: (runId) => join(root, 'backups', runId),
  };
}
