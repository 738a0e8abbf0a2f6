/**
 * Moves one path (a file or a symlink, never followed) to another place in the same prefix:
 * a rename where it can, a copy and unlink across devices (EXDEV), so a quarantine on another
 * mount still works.
 */
import { chmodSync, closeSync, constants, copyFileSync, fsyncSync, lstatSync, openSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, utimesSync } from 'node:fs';

/** The rename the mover uses; tests pass one that fails with EXDEV to exercise the fallback. */
export type RenameFunction = (from: string, to: string) => void;

/** Moves `from` to `to` (whose directory exists), falling back to copy and unlink across devices. */
export function moveFile(from: string, to: string, rename: RenameFunction = renameSync): void {
  try {
    rename(from, to);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
  }
  copyAcross(from, to);
  unlinkSync(from);
}

/**
 * Copies a file or symlink to another device, keeping its mode and times. The copy is written
 * under a temporary name and renamed into place once complete, and only then is the original
 * removed: a crash in between leaves two complete copies or the original alone, never a
 * truncated file where a complete one is expected.
 */
function copyAcross(from: string, to: string): void {
  const partial = `${to}.conda-prune-partial`;
  rmSync(partial, { force: true });
  const stats = lstatSync(from);
  if (stats.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), partial);
  } else {
    copyFileSync(from, partial, constants.COPYFILE_EXCL);
    chmodSync(partial, stats.mode & 0o7777);
    utimesSync(partial, stats.atime, stats.mtime);
    const fd = openSync(partial, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  renameSync(partial, to);
}
