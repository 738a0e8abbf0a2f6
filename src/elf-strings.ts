/**
 * Reads the names that dynamic entries point to in the dynamic string table. The table can be
 * megabytes (every exported C++ symbol is in it), so only the bytes around the wanted strings are
 * read; GNU ld puts all library names next to each other, which usually makes that one read.
 */
import { hex, stringTagNames } from './elf-format.ts';
import type { ReadSteps } from './elf-format.ts';

/** No loader accepts a path this long (PATH_MAX is 4096), so a longer string is corruption. */
const MAX_STRING_BYTES = 1 << 16;
/** Strings closer together than this share one read. */
const GROUP_SPAN = 1 << 14;
/** Read-ahead past the last string of a group, so that its terminating NUL is usually included. */
const TAIL_BYTES = 256;

const decoder = new TextDecoder('utf-8');

/** Describes where the string table lies in the file, and collects what is wrong with it. */
export interface StringTable {
  /** File offset of the table's first byte. */
  start: number;
  /** Readable length: DT_STRSZ, clipped to the mapping segment and the file. */
  length: number;
  problems: string[];
}

/**
 * Reads the NUL-terminated string at each of `offsets` (from entries tagged `tags`); a string
 * that cannot be read is undefined in the result and adds a problem.
 */
export function* readStrings(table: StringTable, tags: number[], offsets: number[]): ReadSteps<(string | undefined)[]> {
  const values = new Array<string | undefined>(offsets.length);
  const order: number[] = [];
  offsets.forEach((offset, i) => {
    if (offset < table.length) order.push(i);
    else table.problems.push(`${tagName(tags[i])} points to offset ${hex(offset)}, past the string table (${table.length} bytes)`);
  });
  const offsetOf = (i: number | undefined): number => offsets[i ?? 0] ?? 0;
  order.sort((a, b) => offsetOf(a) - offsetOf(b));

  let first = 0;
  while (first < order.length) {
    const groupStart = offsetOf(order[first]);
    let last = first;
    while (last + 1 < order.length && offsetOf(order[last + 1]) - groupStart <= GROUP_SPAN) last += 1;
    const groupEnd = Math.min(table.length, offsetOf(order[last]) + TAIL_BYTES);
    const group = yield { offset: table.start + groupStart, length: groupEnd - groupStart };
    for (let k = first; k <= last; k += 1) {
      const i = order[k] ?? 0;
      const relative = offsetOf(i) - groupStart;
      const nul = group.indexOf(0, relative);
      values[i] = nul >= 0
        ? decoder.decode(group.subarray(relative, nul))
        // Runs past the read-ahead (a long rpath) or past the table: one bigger read decides.
        : yield* readLongString(table, offsetOf(i), tags[i]);
    }
    first = last + 1;
  }
  return values;
}

function* readLongString(table: StringTable, offset: number, tag: number | undefined): ReadSteps<string | undefined> {
  const range = { offset: table.start + offset, length: Math.min(table.length - offset, MAX_STRING_BYTES) };
  const bytes = yield range;
  const nul = bytes.indexOf(0);
  if (nul >= 0) return decoder.decode(bytes.subarray(0, nul));
  const where = `${tagName(tag)} string at offset ${hex(offset)} of the string table`;
  if (bytes.length < range.length) table.problems.push(`file ended inside the ${where}; it changed while being read`);
  else if (range.length < MAX_STRING_BYTES) table.problems.push(`${where} runs past the end of the table without a NUL`);
  else table.problems.push(`${where} is longer than ${MAX_STRING_BYTES} bytes`);
  return undefined;
}

function tagName(tag: number | undefined): string {
  return stringTagNames[tag ?? 0] ?? `tag ${tag}`;
}
