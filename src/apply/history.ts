/**
 * The prune history kept in the prefix (`.conda-prune/history.jsonl`, one JSON line per run, and
 * the removed paths of each run), so `audit` and a later `plan` can tell what was removed, when,
 * and by which profile versions. Not in conda-meta: conda reads every `.json` there as a record.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/write-atomic.ts';
import { statePaths } from './state-paths.ts';

/** One committed run. */
export interface HistoryEntry {
  runId: string;
  appliedAt: string;
  tool: { name: 'conda-prune'; version: string };
  maxRisk: string;
  verified: boolean;
  profiles: Array<{ name: string; version: string; source: string; sha256: string }>;
  totals: { files: number; bytes: number; directories: number };
  /** The removed paths, one per line, relative to the state folder. */
  pathsFile: string;
  /** The backup `undo` restores, relative to the prefix, when the run kept one. */
  backup?: string;
  /** When `undo` put the run's files back. */
  undoneAt?: string;
}

/** The line `undo` appends; the log stays append-only. */
interface UndoLine {
  event: 'undo';
  runId: string;
  at: string;
}

/** Appends a committed run to the history, once: recover may commit the same run again. */
export function recordHistory(prefix: string, entry: HistoryEntry, removedPaths: readonly string[]): void {
  const paths = statePaths(prefix);
  mkdirSync(join(paths.root, 'runs'), { recursive: true });
  writeFileAtomic(join(paths.root, entry.pathsFile), removedPaths.length === 0 ? '' : `${removedPaths.join('\n')}\n`);
  if (readHistory(prefix).some((existing) => existing.runId === entry.runId)) return;
  appendLine(paths.history, JSON.stringify(entry));
}

/** Appends one line, starting a new one first if a crash left the last line unfinished. */
function appendLine(path: string, line: string): void {
  const torn = existsSync(path) && !readFileSync(path, 'utf8').endsWith('\n') && readFileSync(path).length > 0;
  appendFileSync(path, `${torn ? '\n' : ''}${line}\n`);
}

/** Returns every committed run, oldest first; a torn last line (a crash while appending) is skipped. */
export function readHistory(prefix: string): HistoryEntry[] {
  const { history } = statePaths(prefix);
  if (!existsSync(history)) return [];
  const entries: HistoryEntry[] = [];
  for (const line of readFileSync(history, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let parsed: HistoryEntry | UndoLine;
    try {
      parsed = JSON.parse(line) as HistoryEntry | UndoLine;
    } catch {
      // A line torn by a crash while appending; its run is committed again by recover.
      continue;
    }
    if ('event' in parsed) {
      const undone = entries.find((entry) => entry.runId === parsed.runId);
      if (undone !== undefined) undone.undoneAt = parsed.at;
    } else entries.push(parsed);
  }
  return entries;
}

/** Marks a run as undone in the history. */
export function recordUndo(prefix: string, runId: string, at: Date): void {
  const line: UndoLine = { event: 'undo', runId, at: at.toISOString() };
  appendLine(statePaths(prefix).history, JSON.stringify(line));
}
