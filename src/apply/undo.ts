/**
 * Restores the last run kept with --keep-backup: its files, emptied directories and records go
 * back. Refused when a record changed after that run (a package updated since), because putting
 * the old record back would then describe files that are not there.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PruneError } from '../errors.ts';
import { hashFile } from '../fs/hash-file.ts';
import { acquireLock } from './lock.ts';
import { assertNoUnfinishedRun, type Journal } from './journal.ts';
import { readHistory, recordUndo } from './history.ts';
import { revertFiles } from './finish-run.ts';
import { statePaths } from './state-paths.ts';

/** What undo did. */
export interface UndoResult {
  prefix: string;
  runId: string;
  restored: { files: number; directories: number; records: number };
}

/** Restores the most recent run that kept a backup and was not undone yet. */
export function undoLastRun(prefix: string, now: () => Date = () => new Date()): UndoResult {
  const absolute = resolve(prefix);
  const run = [...readHistory(absolute)].reverse().find((entry) => entry.backup !== undefined && entry.undoneAt === undefined);
  if (run === undefined) {
    throw new PruneError('CP_USAGE', `${absolute} has no pruned run with a backup to undo`, {
      hint: 'only runs applied with --keep-backup can be undone; reinstall the packages otherwise',
    });
  }
  const lock = acquireLock(absolute, 'undo');
  try {
    assertNoUnfinishedRun(absolute);
    const backup = statePaths(absolute).backup(run.runId);
    const journal = JSON.parse(readFileSync(join(backup, 'journal.json'), 'utf8')) as Journal & { recordHashes: Record<string, string> };
    const changed = journal.records.filter((recordPath) => !existsSync(join(absolute, recordPath)) || hashFile(join(absolute, recordPath)) !== journal.recordHashes[recordPath]);
    if (changed.length > 0) {
      throw new PruneError('CP_USAGE', `cannot undo run ${run.runId}: ${changed.join(', ')} changed after it`, {
        hint: 'a package was updated or removed since the prune; reinstall it instead of undoing',
      });
    }
    // The backup holds the quarantine exactly as the run left it, so the revert path serves.
    revertFiles(absolute, { ...journal, quarantine: relative(absolute, backup) });
    // Marked before the backup goes: a crash in between leaves a backup to delete by hand,
    // never a run that looks restorable but is not.
    recordUndo(absolute, run.runId, now());
    rmSync(backup, { recursive: true, force: true });
    return { prefix: absolute, runId: run.runId, restored: { files: journal.entries.length, directories: journal.directories.length, records: journal.records.length } };
  } finally {
    lock.release();
  }
}
