/**
 * The journal of an apply run: written before the first change, it lists every move, directory
 * and record the run will touch, so `recover` can finish or revert a run killed at any point.
 * The list is written once; the run's progress lives in a small state file beside it, rewritten
 * atomically at each step, so a 60,000-entry journal is never rewritten.
 */
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PruneError } from '../errors.ts';
import { writeFileAtomic } from '../fs/write-atomic.ts';
import { statePaths } from './state-paths.ts';
import type { HistoryEntry } from './history.ts';

/** Version of the journal's shape; recover refuses journals it does not know. */
export const journalSchemaVersion = 1;

/**
 * quarantine: files are renamed aside and put back if verification fails.
 * roll-forward: nothing is verified, files are deleted directly, and recover finishes the job.
 */
export type JournalMode = 'quarantine' | 'roll-forward';

/**
 * prepared: the journal is written, changes may have started.
 * applied: every move and record rewrite is done; verification has not passed.
 * verified: verification passed (or was not asked for); only the commit remains.
 */
export type JournalState = 'prepared' | 'applied' | 'verified';

/** One path the run removes. */
export interface JournalEntry {
  path: string;
  kind: 'file' | 'symlink';
}

/** A directory the run removes once it is empty, with the mode to recreate it with. */
export interface JournalDirectory {
  path: string;
  mode: number;
}

/** Everything recover needs to know about a run. */
export interface Journal {
  schemaVersion: typeof journalSchemaVersion;
  runId: string;
  mode: JournalMode;
  prefix: string;
  startedAt: string;
  /** Where moved files and record backups go, relative to the prefix. */
  quarantine: string;
  /** Keep the quarantine as a backup for `undo` instead of purging it on commit. */
  keepBackup: boolean;
  entries: JournalEntry[];
  /** Deepest first, the order they are removed in. */
  directories: JournalDirectory[];
  /** Prefix-relative paths of the conda-meta records the run rewrites. */
  records: string[];
  /** What the history gets on commit. */
  history: HistoryEntry;
}

/** Writes the journal and its initial state, durably, before any change. */
export function writeJournal(prefix: string, journal: Journal): void {
  const paths = statePaths(prefix);
  writeFileAtomic(paths.journal, JSON.stringify(journal));
  writeJournalState(prefix, journal.runId, 'prepared');
}

/** Records the run's progress; the state names its run, so an earlier run's is never taken for it. */
export function writeJournalState(prefix: string, runId: string, state: JournalState): void {
  writeFileAtomic(`${statePaths(prefix).journal}.state`, `${runId} ${state}`);
}

/** Returns the unfinished run's journal and state, or undefined when there is none. */
export function readJournal(prefix: string): { journal: Journal; state: JournalState } | undefined {
  const paths = statePaths(prefix);
  if (!existsSync(paths.journal)) return undefined;
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(paths.journal, 'utf8')) as Journal;
  } catch (error) {
    throw new PruneError('CP_UNFINISHED_RUN', `the journal ${paths.journal} cannot be read: ${(error as Error).message}`, {
      hint: `the journal is written atomically, so it is damaged, and files may already be set aside: look in ${join(paths.root, 'quarantine')} before deleting anything`,
    });
  }
  if (journal.schemaVersion !== journalSchemaVersion) {
    throw new PruneError('CP_UNFINISHED_RUN', `the journal ${paths.journal} has schema version ${String(journal.schemaVersion)}, which this release does not know`, {
      hint: 'recover with the conda-prune release that wrote it',
    });
  }
  let state: JournalState = 'prepared';
  try {
    const [runId, written] = readFileSync(`${paths.journal}.state`, 'utf8').trim().split(' ');
    // The journal is written before its state: a missing state, or one an earlier run left
    // behind, means this run changed nothing yet.
    if (runId === journal.runId && written !== undefined) state = written as JournalState;
  } catch {
    state = 'prepared';
  }
  return { journal, state };
}

/** Removes the journal once its run is committed or reverted. */
export function removeJournal(prefix: string): void {
  const paths = statePaths(prefix);
  // The journal goes first: a journal without its state reads as "prepared", which recover
  // reverts, and that must only ever happen before the first change. A state file left alone
  // means nothing.
  for (const path of [paths.journal, `${paths.journal}.state`]) {
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** Throws CP_UNFINISHED_RUN when an interrupted run left its journal; every command checks it. */
export function assertNoUnfinishedRun(prefix: string): void {
  const paths = statePaths(prefix);
  if (existsSync(paths.journal)) {
    throw new PruneError('CP_UNFINISHED_RUN', `${prefix} has an unfinished prune (journal ${paths.journal})`, {
      hint: `run: conda-prune recover ${prefix}`,
    });
  }
}
