/**
 * Finishes or reverts a run that was interrupted (killed, out of power, out of disk), from its
 * journal alone: a run that deletes without verification, or whose verification passed, is
 * finished; any other is reverted, so the env ends either as it was or fully pruned.
 */
import { resolve } from 'node:path';
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
  const found = readJournal(absolute);
  if (found === undefined) return { prefix: absolute, outcome: 'nothing-to-recover' };
  const lock = acquireLock(absolute, 'recover');
  try {
    const { journal, state } = found;
    if (journal.mode === 'roll-forward' || state === 'verified') {
      commitRun(absolute, journal);
      return { prefix: absolute, outcome: 'completed', runId: journal.runId };
    }
    revertRun(absolute, journal);
    return { prefix: absolute, outcome: 'reverted', runId: journal.runId };
  } finally {
    lock.release();
  }
}
