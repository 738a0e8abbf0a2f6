/**
 * Writes a file so that a reader, or a crash, sees either the old content or the new one:
 * temp file in the same directory, fsync, rename over the target, fsync the directory.
 */
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Replaces `path` with `content` atomically and durably. */
export function writeFileAtomic(path: string, content: string | Buffer, mode = 0o644): void {
  // Never `.json`: conda reads every `.json` in conda-meta as a record, even a half-written one.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', mode);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    // writeSync may write less than asked (a nearly full disk): a short record must never land.
    for (let written = 0; written < bytes.length; ) {
      const count = writeSync(fd, bytes, written, bytes.length - written);
      if (count === 0) throw Object.assign(new Error(`no progress writing ${temp}`), { code: 'EIO' });
      written += count;
    }
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
  syncDirectory(dirname(path));
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
