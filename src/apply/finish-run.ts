/**
 * The two ways a run ends, shared by apply and recover: revert (every file back where it was,
 * the records as they were) or commit (history written, quarantine purged or kept as a backup).
 * Both work from the journal alone and are idempotent, so recover can repeat them after a crash
 * at any point, including a crash inside them.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { temporaryTarget, writeFileAtomic, writeFilesAtomic, writeFilesAtomicConcurrently, type AtomicWrite } from '../fs/write-atomic.ts';
import { hashFile } from '../fs/hash-file.ts';
import { recordHistory } from './history.ts';
import { removeJournal, type Journal } from './journal.ts';
import { moveFile } from './move-file.ts';
import { indexRemovedPaths, rewriteRecord } from './rewrite-record.ts';
import { statePaths } from './state-paths.ts';

/** Where a journal entry's quarantined copy lives. */
export function quarantinedPath(prefix: string, journal: Journal, path: string): string {
  return join(prefix, journal.quarantine, 'files', path);
}

/** Where a record's backup lives. */
export function recordBackupPath(prefix: string, journal: Journal, recordPath: string): string {
  return join(prefix, journal.quarantine, 'records', recordPath);
}

/** Puts everything back: directories, files and records, then drops the quarantine and journal. */
export function revertRun(prefix: string, journal: Journal): void {
  revertFiles(prefix, journal);
  removeStrayTemporaries(prefix, journal);
  dropQuarantine(prefix, journal);
  removeJournal(prefix);
}

/** Moves the journal's files back from its quarantine, recreating directories and restoring records. */
export function revertFiles(prefix: string, journal: Journal): void {
  // Shallowest first, so a parent exists before its child is made.
  for (const directory of [...journal.directories].reverse()) {
    const path = join(prefix, directory.path);
    if (exists(path)) continue;
    mkdirSync(path);
    chmodSync(path, directory.mode & 0o7777);
  }
  for (const entry of journal.entries) {
    const aside = quarantinedPath(prefix, journal, entry.path);
    if (!exists(aside)) continue;
    const original = join(prefix, entry.path);
    // Both exist only when a copy across devices finished but its unlink did not.
    if (exists(original)) unlinkSync(aside);
    else moveFile(aside, original);
  }
  for (const recordPath of journal.records) {
    const backup = recordBackupPath(prefix, journal, recordPath);
    // The backup was written with the record's own mode; the restored record keeps it.
    if (exists(backup)) writeFileAtomic(join(prefix, recordPath), readFileSync(backup), lstatSync(backup).mode & 0o7777);
  }
}

/**
 * Finishes a run whose changes stand: history, backup or purge. A roll-forward run's removals
 * are finished again first unless the caller just did them (recover cannot know how far the
 * killed run got).
 */
export function commitRun(prefix: string, journal: Journal, removalsDone = false): void {
  if (journal.mode === 'roll-forward' && !removalsDone) finishRemovals(prefix, journal);
  removeStrayTemporaries(prefix, journal);
  recordHistory(prefix, journal.history, journal.entries.map((entry) => entry.path));
  const quarantine = join(prefix, journal.quarantine);
  if (journal.keepBackup && existsSync(quarantine)) {
    const backup = statePaths(prefix).backup(journal.runId);
    mkdirSync(dirname(backup), { recursive: true });
    // The journal goes with the backup: undo needs the directories' modes and the record list,
    // and the records' hashes as the run left them, to refuse an undo over a later change.
    const recordHashes = Object.fromEntries(journal.records.map((recordPath) => [recordPath, hashFile(join(prefix, recordPath))]));
    writeFileAtomic(join(quarantine, 'journal.json'), JSON.stringify({ ...journal, recordHashes }));
    renameSync(quarantine, backup);
  } else {
    dropQuarantine(prefix, journal);
  }
  removeJournal(prefix);
}

/** Deletes what is left of a roll-forward run's removals; each step is a no-op when done. */
export function finishRemovals(prefix: string, journal: Journal): string[] {
  const vanished = unlinkEntries(prefix, journal);
  removeDirectories(prefix, journal);
  rewriteRecords(prefix, journal);
  return vanished;
}

/** Deletes the journal's entries, returning those already gone. */
export function unlinkEntries(prefix: string, journal: Journal): string[] {
  const vanished: string[] = [];
  for (const entry of journal.entries) {
    try {
      unlinkSync(join(prefix, entry.path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      vanished.push(entry.path);
    }
  }
  return vanished;
}

/** Removes the run's emptied directories, deepest first; one that gained a file stays. */
export function removeDirectories(prefix: string, journal: Journal): void {
  for (const directory of journal.directories) {
    try {
      rmdirSync(join(prefix, directory.path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Rewrites the run's records without its removed paths, backing each up first in quarantine
 * runs. Every backup is durable before the first record is replaced, so a crash in between
 * never leaves a rewritten record without the text revert needs.
 */
export function rewriteRecords(prefix: string, journal: Journal): void {
  const { backups, rewrites } = recordRewrites(prefix, journal);
  writeFilesAtomic(backups);
  writeFilesAtomic(rewrites);
}

/** rewriteRecords with the fsyncs of each round in flight together: apply's path, which may wait. */
export async function rewriteRecordsConcurrently(prefix: string, journal: Journal): Promise<void> {
  const { backups, rewrites } = recordRewrites(prefix, journal);
  await writeFilesAtomicConcurrently(backups);
  await writeFilesAtomicConcurrently(rewrites);
}

/** The backups and rewritten texts of the run's records; records that list no removed path are left out. */
function recordRewrites(prefix: string, journal: Journal): { backups: AtomicWrite[]; rewrites: AtomicWrite[] } {
  const removed = indexRemovedPaths(journal.entries.map((entry) => entry.path));
  const backups: AtomicWrite[] = [];
  const rewrites: AtomicWrite[] = [];
  for (const recordPath of journal.records) {
    const path = join(prefix, recordPath);
    const original = readFileSync(path, 'utf8');
    const rewritten = rewriteRecord(original, removed);
    if (rewritten === undefined) continue;
    // A shared env may keep records group-writable: the rewrite keeps the record's mode.
    const mode = lstatSync(path).mode & 0o7777;
    if (journal.mode === 'quarantine') {
      const backup = recordBackupPath(prefix, journal, recordPath);
      // Backed up once: after a crash the record may already be rewritten, and the backup must
      // keep the text as it was before the run.
      if (!exists(backup)) {
        mkdirSync(dirname(backup), { recursive: true });
        backups.push({ path: backup, content: original, mode });
      }
    }
    rewrites.push({ path, content: rewritten, mode });
  }
  return { backups, rewrites };
}

/** Deletes the temp files an atomic record write killed midway leaves beside its record. */
function removeStrayTemporaries(prefix: string, journal: Journal): void {
  const byDirectory = new Map<string, Set<string>>();
  for (const recordPath of journal.records) {
    const directory = join(prefix, dirname(recordPath));
    byDirectory.set(directory, (byDirectory.get(directory) ?? new Set()).add(basename(recordPath)));
  }
  for (const [directory, names] of byDirectory) {
    for (const name of readdirSync(directory)) {
      const target = temporaryTarget(name);
      if (target !== undefined && names.has(target)) unlinkSync(join(directory, name));
    }
  }
}

/** Deletes the run's quarantine, and the quarantine folder when no other run's is left in it. */
function dropQuarantine(prefix: string, journal: Journal): void {
  const quarantine = join(prefix, journal.quarantine);
  rmSync(quarantine, { recursive: true, force: true });
  try {
    rmdirSync(dirname(quarantine));
  } catch {
    // Another run's quarantine, or already gone: either way nothing to do.
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
