/**
 * sha256 of a file, read in fixed chunks so a 100 MB library never sits in memory whole.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';

const chunk = Buffer.allocUnsafe(1024 * 1024);

/** Returns the hex sha256 of the file at `path` (links are followed: callers pass regular files). */
export function hashFile(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    for (let read = readSync(fd, chunk, 0, chunk.length, null); read > 0; read = readSync(fd, chunk, 0, chunk.length, null)) {
      hash.update(chunk.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
