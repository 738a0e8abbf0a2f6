/**
 * The guard's fallback for an ELF file whose dynamic section could be read only in part: every
 * NUL-delimited string in its bytes that looks like a shared object's name. DT_NEEDED names are
 * such strings in the file, so this finds all of them (and some that are not needs), which errs
 * on the side of keeping a library rather than losing one.
 */
import { open } from 'node:fs/promises';

const CHUNK = 4 << 20;
// NAME_MAX: no file name, hence no needed name without a slash, is longer.
const OVERLAP = 256;
const MARK = Buffer.from('.so');
const LIBRARY_NAME = /^[^/\0]+\.so(?:\.[0-9]+)*$/;

/** Returns every distinct library-like name (`*.so`, `*.so.N...`) that occurs as a string in the file. */
export async function scanLibraryNames(path: string): Promise<string[]> {
  const names = new Set<string>();
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK + OVERLAP);
    let kept = 0;
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, kept, CHUNK, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const length = kept + bytesRead;
      collect(buffer.subarray(0, length), names);
      // Carry the tail over, so a name split across two chunks is seen whole in the next one.
      kept = Math.min(OVERLAP, length);
      buffer.copy(buffer, 0, length - kept, length);
    }
  } finally {
    await handle.close();
  }
  return [...names];
}

function collect(bytes: Buffer, names: Set<string>): void {
  let at = bytes.indexOf(MARK);
  while (at !== -1) {
    const start = bytes.lastIndexOf(0, at) + 1;
    const end = bytes.indexOf(0, at);
    if (end !== -1 && end - start <= OVERLAP) {
      const name = bytes.toString('latin1', start, end);
      if (LIBRARY_NAME.test(name)) names.add(name);
    }
    at = bytes.indexOf(MARK, at + MARK.length);
  }
}
