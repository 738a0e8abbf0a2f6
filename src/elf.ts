/**
 * DT_NEEDED / DT_SONAME / DT_RPATH / DT_RUNPATH reader for the shared-library guard: a library
 * stays while any remaining ELF file in the environment still needs it. This runs on every file
 * of an environment, so a file is opened once, read in a few small positioned reads (never whole)
 * and closed; the parsing itself lives in elf-parse.ts.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import { isElfMagic } from './elf-format.ts';
import { parseElfSteps } from './elf-parse.ts';
import type { ByteRange, ElfDynamicInfo } from './elf-format.ts';

export { isElfMagic } from './elf-format.ts';
export type { ElfDynamicInfo, ElfFileType } from './elf-format.ts';

/**
 * One read at the start serves the header and program headers of every common ELF file, and the
 * whole of small ones; files shorter than this need no fstat either.
 */
const HEAD_BYTES = 8192;

/** Parses an in-memory ELF image; returns null for non-ELF bytes and never throws on corrupt ones. */
export function parseElfDynamicInfo(bytes: Uint8Array): ElfDynamicInfo | null {
  const steps = parseElfSteps(bytes.length);
  let step = steps.next();
  while (!step.done) {
    const { offset, length } = step.value;
    step = steps.next(bytes.subarray(offset, offset + length));
  }
  return step.value;
}

/**
 * Reads the dynamic-linking facts of the file at `path`; returns null when it is not ELF.
 *
 * @remarks A corrupt or truncated ELF yields a result with `problem` set, and a directory, FIFO or
 * socket yields null (the file is opened non-blocking, so a FIFO cannot hang the caller). Errors
 * that say nothing about the content, such as ENOENT or EACCES, are thrown as they come.
 */
export async function readElfDynamicInfo(path: string): Promise<ElfDynamicInfo | null> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const head = Buffer.allocUnsafe(HEAD_BYTES);
    const headLength = await readHead(handle, head);
    // Most files an environment holds are not ELF; they cost one read and no fstat.
    if (!isElfMagic(head.subarray(0, headLength))) return null;
    const size = headLength < HEAD_BYTES ? headLength : (await handle.stat()).size;
    const steps = parseElfSteps(size);
    let step = steps.next();
    while (!step.done) {
      step = steps.next(await readRange(handle, head, headLength, step.value));
    }
    return step.value;
  } finally {
    await handle.close();
  }
}

/** Errors of a first read that mean "not a regular file": a directory, a FIFO or socket, a tty. */
const NOT_A_FILE = new Set(['EISDIR', 'ESPIPE', 'EAGAIN']);

async function readHead(handle: FileHandle, head: Buffer): Promise<number> {
  try {
    return (await handle.read(head, 0, head.length, 0)).bytesRead;
  } catch (error) {
    // Only regular files are loaded by the dynamic linker, so anything else is simply not ELF here.
    if (NOT_A_FILE.has((error as NodeJS.ErrnoException).code ?? '')) return 0;
    throw error;
  }
}

async function readRange(
  handle: FileHandle,
  head: Buffer,
  headLength: number,
  { offset, length }: ByteRange,
): Promise<Uint8Array> {
  if (offset + length <= headLength) return head.subarray(offset, offset + length);
  const buffer = Buffer.allocUnsafe(length);
  const { bytesRead } = await handle.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
}

// Unbraced, the name ends at the first character that could not continue it, as in glibc's is_dst:
// `$ORIGIN/..` and `$ORIGIN:` expand, `$ORIGINAL` does not.
const ORIGIN_TOKEN = /\$(?:ORIGIN(?![A-Za-z0-9_])|\{ORIGIN\})/g;

/**
 * Expands `$ORIGIN` / `${ORIGIN}` in an rpath or runpath entry to `fileDir` and normalises the result.
 *
 * @param entry One entry of ElfDynamicInfo.rpath or .runpath.
 * @param fileDir Prefix-relative directory of the file that carries the entry (`''` or `'.'` for the prefix itself).
 * @returns A prefix-relative path; it starts with `..` when the entry climbs out of the prefix, and
 * an absolute entry, or one with `$LIB` / `$PLATFORM`, keeps those parts as they are.
 */
export function expandOrigin(entry: string, fileDir: string): string {
  const origin = fileDir === '' ? '.' : fileDir;
  // A replacer function, not a string: a directory name may itself contain `$&` or `$1`.
  const normal = posix.normalize(entry.replace(ORIGIN_TOKEN, () => origin));
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}
