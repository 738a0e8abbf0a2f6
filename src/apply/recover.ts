/**
 * Finishes or reverts a run that was interrupted (killed, out of power, out of disk), from its
 * journal alone: a run that deletes without verification, or whose verification passed, is
 * finished; any other is reverted, so the env ends either as it was or fully pruned.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PruneError } from '../errors.ts';
import { statePaths } from './state-paths.ts';
import { acquireLock } from './lock.ts';
import { readJournal } from './journal.ts';
import { commitRun, revertRun } from './finish-run.ts';

/** What recover did. */
export interface RecoverResult {
  prefix: string;
  outcome: 'nothing-to-recover' | 'completed' | 'reverted';
  runId?: string;
}

/** Finishes or reverts the prefix's unfinished run, if it has one. */
export function recoverPrefix(prefix: string): RecoverResult {
  const absolute = resolve(prefix);
  if (!existsSync(statePaths(absolute).journal)) return { prefix: absolute, outcome: 'nothing-to-recover' };
  const lock = acquireLock(absolute, 'recover');
  try {
    // Read under the lock: a run that held it may have finished, and its journal gone, meanwhile.
    const found = readJournal(absolute);
    if (found === undefined) return { prefix: absolute, outcome: 'nothing-to-recover' };
    const { journal, state } = found;
    const finish = journal.mode === 'roll-forward' || state === 'verified';
    try {
      if (finish) commitRun(absolute, journal);
      else revertRun(absolute, journal);
    } catch (error) {
      throw new PruneError('CP_APPLY_INCOMPLETE', `could not ${finish ? 'finish' : 'revert'} the interrupted prune ${journal.runId} of ${absolute}: ${(error as Error).message}`, {
        hint: 'fix the cause (a read-only mount, a full disk, a file that cannot be moved) and run recover again; it continues where it stopped',
        cause: error,
      });
    }
    return { prefix: absolute, outcome: finish ? 'completed' : 'reverted', runId: journal.runId };
  } finally {
    lock.release();
  }
}
