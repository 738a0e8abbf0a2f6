/**
 * Moves one path (a file or a symlink, never followed) to another place in the same prefix:
 * a rename where it can, a copy and unlink across devices (EXDEV), so a quarantine on another
 * mount still works.
 */
import { copyFileSync, constants, lstatSync, readlinkSync, renameSync, symlinkSync, unlinkSync, utimesSync, chmodSync } from 'node:fs';

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
 * Copies a file or symlink to another device, keeping its mode and times. The copy is complete
 * before the original goes, so a crash in between leaves two copies, never none.
 */
function copyAcross(from: string, to: string): void {
  const stats = lstatSync(from);
  if (stats.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
    return;
  }
  copyFileSync(from, to, constants.COPYFILE_EXCL);
  chmodSync(to, stats.mode & 0o7777);
  utimesSync(to, stats.atime, stats.mtime);
}
