/**
 * Writes a file so that a reader, or a crash, sees either the old content or the new one:
 * temp file in the same directory, fsync, rename over the target, fsync the directory.
 */
import { closeSync, fchmodSync, fsync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** One file of a batch of atomic writes. */
export interface AtomicWrite {
  path: string;
  content: string | Buffer;
  mode?: number;
}

/** Replaces `path` with `content` atomically and durably. */
export function writeFileAtomic(path: string, content: string | Buffer, mode = 0o644): void {
  writeFilesAtomic([{ path, content, mode }]);
}

/** Files written per round of a batch: each holds a descriptor open until its fsync. */
const BATCH = 128;

/**
 * Replaces many files, each atomically, all durably once it returns: temp files written and
 * synced in rounds, renamed over their targets, and each directory synced once at the end
 * instead of once per file. A crash leaves each file old or new, never torn.
 */
export function writeFilesAtomic(files: readonly AtomicWrite[]): void {
  for (let start = 0; start < files.length; start += BATCH) {
    const round = openRound(files.slice(start, start + BATCH));
    try {
      for (const file of round) fsyncSync(file.fd);
    } catch (error) {
      for (const file of round) discard(file);
      throw error;
    }
    finishRound(round);
  }
  syncDirectories(files);
}

/**
 * writeFilesAtomic with each round's fsyncs in flight together on libuv's threads: the disk
 * commits them as a group, several times faster than one after another (150 records: ~30 ms
 * instead of ~120 ms here). Same guarantees; for callers that can wait.
 */
export async function writeFilesAtomicConcurrently(files: readonly AtomicWrite[]): Promise<void> {
  for (let start = 0; start < files.length; start += BATCH) {
    const round = openRound(files.slice(start, start + BATCH));
    try {
      await Promise.all(round.map((file) => fsyncAsync(file.fd)));
    } catch (error) {
      for (const file of round) discard(file);
      throw error;
    }
    finishRound(round);
  }
  syncDirectories(files);
}

interface OpenTemporary extends AtomicWrite {
  temp: string;
  fd: number;
}

/** Writes a round's temp files, leaving them open for their fsync; cleans up if one fails. */
function openRound(files: readonly AtomicWrite[]): OpenTemporary[] {
  const round = files.map((file) => ({ ...file, temp: temporaryPath(file.path), fd: -1 }));
  try {
    for (const file of round) {
      file.fd = openSync(file.temp, 'w', file.mode ?? 0o644);
      writeAll(file.fd, file.temp, typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content);
      fchmodSync(file.fd, file.mode ?? 0o644);
    }
  } catch (error) {
    for (const file of round) discard(file);
    throw error;
  }
  return round;
}

/** Closes a synced round and renames each temp file over its target. */
function finishRound(round: OpenTemporary[]): void {
  for (const file of round) {
    closeSync(file.fd);
    file.fd = -1;
  }
  for (const file of round) renameSync(file.temp, file.path);
}

function syncDirectories(files: readonly AtomicWrite[]): void {
  for (const directory of new Set(files.map((file) => dirname(file.path)))) syncDirectory(directory);
}

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolvePromise, reject) => fsync(fd, (error) => (error === null ? resolvePromise() : reject(error))));
}

function temporaryPath(path: string): string {
  // Never `.json`: conda reads every `.json` in conda-meta as a record, even a half-written one.
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

function writeAll(fd: number, temp: string, bytes: Buffer): void {
  // writeSync may write less than asked (a nearly full disk): a short record must never land.
  for (let written = 0; written < bytes.length; ) {
    const count = writeSync(fd, bytes, written, bytes.length - written);
    if (count === 0) throw Object.assign(new Error(`no progress writing ${temp}`), { code: 'EIO' });
    written += count;
  }
}

/** Closes and deletes a temp file of a round that failed; one never opened is skipped. */
function discard(file: { temp: string; fd: number }): void {
  if (file.fd === -1) return;
  closeSync(file.fd);
  file.fd = -1;
  try {
    unlinkSync(file.temp);
  } catch {
    // Already gone: nothing to clean.
  }
}

/** Returns the file a temp file of writeFileAtomic was for, or undefined for any other name. */
export function temporaryTarget(name: string): string | undefined {
  return /^\.(.+)\.\d+\.tmp$/.exec(name)?.[1];
}

/** Flushes a directory's entries, so a rename or create in it survives a crash. */
export function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
