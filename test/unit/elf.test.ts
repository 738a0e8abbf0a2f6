import { describe, expect, it } from 'vitest';
import { expandOrigin, isElfMagic, parseElfDynamicInfo } from '../../src/elf.ts';
import type { ElfDynamicInfo } from '../../src/elf.ts';
import { parseElfSteps } from '../../src/elf-parse.ts';

// A tiny ELF writer, laid out like a linker would: header, program headers, interpreter string,
// then a second PT_LOAD holding the string table and the dynamic section. The two loads map at
// different address deltas, so reading DT_STRTAB as a file offset (a common bug) fails the tests.

interface ImageSpec {
  class: 32 | 64;
  endianness: 'little' | 'big';
  eType?: number;
  machine?: number;
  needed?: string[];
  soname?: string;
  rpath?: string;
  runpath?: string;
  interpreter?: string;
  flags1?: number;
  /** Without it the image is static: no PT_DYNAMIC. */
  dynamic?: boolean;
  /** Writes e_phnum as PN_XNUM and the real count into section header 0. */
  xnum?: boolean;
  /** Filler bytes in the string table before the DT_NEEDED names. */
  gap?: number;
  omitStrtab?: boolean;
}

interface Image {
  bytes: Uint8Array;
  /** File offsets of things tests corrupt. */
  at: { phoff: number; dynamicPhdr: number; dynamic: number; strtab: number; strtabSize: number; shoff: number };
  /** Writes an Elf*_Word/Xword-sized field (4 or 8 bytes by class). */
  setWord(offset: number, value: number | bigint): void;
  setU16(offset: number, value: number): void;
  /** File offset of the value of the first dynamic entry with `tag`. */
  dynamicValueAt(tag: number): number;
}

const DT = { NULL: 0, NEEDED: 1, STRTAB: 5, STRSZ: 10, SONAME: 14, RPATH: 15, RUNPATH: 29, FLAGS_1: 0x6ffffffb };
const LOAD2_BASE = 0x200000;

function buildElf(spec: ImageSpec): Image {
  const is64 = spec.class === 64;
  const le = spec.endianness === 'little';
  const word = is64 ? 8 : 4;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const hasDynamic = spec.dynamic ?? true;
  const encoder = new TextEncoder();

  // String table: offset 0 is the empty string, as the gABI requires.
  const strings: number[] = [0];
  const addString = (s: string): number => {
    const offset = strings.length;
    strings.push(...encoder.encode(s), 0);
    return offset;
  };
  const dynEntries: [number, number][] = [];
  if (spec.soname !== undefined) dynEntries.push([DT.SONAME, addString(spec.soname)]);
  if (spec.gap) strings.push(...new Array<number>(spec.gap).fill(0x2e));
  for (const name of spec.needed ?? []) dynEntries.push([DT.NEEDED, addString(name)]);
  if (spec.rpath !== undefined) dynEntries.push([DT.RPATH, addString(spec.rpath)]);
  if (spec.runpath !== undefined) dynEntries.push([DT.RUNPATH, addString(spec.runpath)]);
  if (spec.flags1 !== undefined) dynEntries.push([DT.FLAGS_1, spec.flags1]);

  const phdrs: [number, number, number, number][] = []; // type, offset, vaddr, filesz (filled below)
  const phnum = (spec.interpreter !== undefined ? 1 : 0) + 2 + (hasDynamic ? 1 : 0);
  const phoff = ehsize;
  let cursor = phoff + phnum * phentsize;
  const interpOffset = cursor;
  const interpBytes = spec.interpreter === undefined ? [] : [...encoder.encode(spec.interpreter), 0];
  cursor += interpBytes.length;
  const textEnd = align(cursor, 16);
  const strtab = textEnd;
  const dynamic = align(strtab + strings.length, 8);
  const entries = hasDynamic ? dynEntries.length + (spec.omitStrtab ? 1 : 3) : 0;
  const dataEnd = dynamic + entries * 2 * word;
  const shoff = align(dataEnd, 8);
  const total = spec.xnum ? shoff + (is64 ? 64 : 40) : dataEnd;

  if (spec.interpreter !== undefined) phdrs.push([3, interpOffset, 0x10000 + interpOffset, interpBytes.length]);
  phdrs.push([1, 0, 0x10000, textEnd]);
  phdrs.push([1, textEnd, LOAD2_BASE + textEnd, dataEnd - textEnd]);
  if (hasDynamic) phdrs.push([2, dynamic, LOAD2_BASE + dynamic, dataEnd - dynamic]);

  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  const setU16 = (o: number, v: number): void => view.setUint16(o, v, le);
  const setU32 = (o: number, v: number): void => view.setUint32(o, v, le);
  const setWord = (o: number, v: number | bigint): void => {
    if (is64) view.setBigUint64(o, BigInt(v), le);
    else view.setUint32(o, Number(v), le);
  };

  bytes.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1]);
  setU16(16, spec.eType ?? 3);
  setU16(18, spec.machine ?? 62);
  setU32(20, 1);
  setWord(is64 ? 32 : 28, phoff);
  setWord(is64 ? 40 : 32, spec.xnum ? shoff : 0);
  setU16(is64 ? 52 : 40, ehsize);
  setU16(is64 ? 54 : 42, phentsize);
  setU16(is64 ? 56 : 44, spec.xnum ? 0xffff : phnum);
  setU16(is64 ? 58 : 46, is64 ? 64 : 40);
  setU16(is64 ? 60 : 48, spec.xnum ? 1 : 0);
  if (spec.xnum) setU32(shoff + (is64 ? 44 : 28), phnum);

  phdrs.forEach(([type, offset, vaddr, filesz], i) => {
    const at = phoff + i * phentsize;
    setU32(at, type);
    setWord(at + (is64 ? 8 : 4), offset);
    setWord(at + (is64 ? 16 : 8), vaddr);
    setWord(at + (is64 ? 24 : 12), vaddr);
    setWord(at + (is64 ? 32 : 16), filesz);
    setWord(at + (is64 ? 40 : 20), filesz);
  });
  bytes.set(interpBytes, interpOffset);
  bytes.set(strings, strtab);

  const allEntries: [number, number][] = [...dynEntries];
  if (!spec.omitStrtab) allEntries.push([DT.STRTAB, LOAD2_BASE + strtab], [DT.STRSZ, strings.length]);
  allEntries.push([DT.NULL, 0]);
  if (hasDynamic) {
    allEntries.forEach(([tag, value], i) => {
      setWord(dynamic + i * 2 * word, tag);
      setWord(dynamic + i * 2 * word + word, value);
    });
  }
  const dynamicPhdr = phoff + (phnum - 1) * phentsize;
  return {
    bytes,
    at: { phoff, dynamicPhdr, dynamic, strtab, strtabSize: strings.length, shoff },
    setWord,
    setU16,
    dynamicValueAt(tag) {
      const i = allEntries.findIndex(([t]) => t === tag);
      if (i < 0) throw new Error(`no dynamic entry ${tag}`);
      return dynamic + i * 2 * word + word;
    },
  };
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Runs the parser like the file reader does, failing on any read outside the file. */
function parseChecked(bytes: Uint8Array): { info: ElfDynamicInfo | null; reads: number } {
  const steps = parseElfSteps(bytes.length);
  let reads = 0;
  let step = steps.next();
  while (!step.done) {
    const { offset, length } = step.value;
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new Error(`out-of-bounds read: ${length} bytes at ${offset} of ${bytes.length}`);
    }
    reads += 1;
    if (reads > 64) throw new Error('more than 64 reads: a loop?');
    step = steps.next(bytes.subarray(offset, offset + length));
  }
  return { info: step.value, reads };
}

const full: Omit<ImageSpec, 'class' | 'endianness'> = {
  needed: ['libm.so.6', 'libpython3.11.so.1.0', 'libc.so.6'],
  soname: 'libfoo.so.1',
  rpath: '$ORIGIN/../lib::/opt/x',
  runpath: '${ORIGIN}',
  interpreter: '/lib64/ld-linux-x86-64.so.2',
};

const variants = [
  { class: 32, endianness: 'little' },
  { class: 32, endianness: 'big' },
  { class: 64, endianness: 'little' },
  { class: 64, endianness: 'big' },
] as const;

describe('parseElfDynamicInfo', () => {
  it.each(variants)('reads a $class-bit $endianness-endian shared object', (variant) => {
    const image = buildElf({ ...variant, ...full, machine: 183 });
    const { info, reads } = parseChecked(image.bytes);
    expect(info).toEqual({
      class: variant.class,
      endianness: variant.endianness,
      type: 'shared',
      machine: 183,
      needed: ['libm.so.6', 'libpython3.11.so.1.0', 'libc.so.6'],
      soname: 'libfoo.so.1',
      rpath: ['$ORIGIN/../lib', '/opt/x'],
      runpath: ['${ORIGIN}'],
      interpreter: '/lib64/ld-linux-x86-64.so.2',
    });
    expect(info?.problem).toBeUndefined();
    // Header, program headers, interpreter, dynamic entries, one read for all the names.
    expect(reads).toBe(5);
  });

  it.each(variants)('finds the program header count in section header 0 under PN_XNUM ($class-bit $endianness)', (variant) => {
    const info = parseElfDynamicInfo(buildElf({ ...variant, needed: ['liba.so'], xnum: true }).bytes);
    expect(info).toMatchObject({ needed: ['liba.so'] });
    expect(info?.problem).toBeUndefined();
  });

  it('maps e_type, and counts a PIE (ET_DYN with DF_1_PIE) as an executable', () => {
    const base = { class: 64, endianness: 'little' } as const;
    expect(parseElfDynamicInfo(buildElf({ ...base, eType: 2 }).bytes)?.type).toBe('executable');
    expect(parseElfDynamicInfo(buildElf({ ...base, eType: 3 }).bytes)?.type).toBe('shared');
    expect(parseElfDynamicInfo(buildElf({ ...base, eType: 4, dynamic: false }).bytes)?.type).toBe('core');
    expect(parseElfDynamicInfo(buildElf({ ...base, eType: 0xfe00 }).bytes)?.type).toBe('other');
    expect(parseElfDynamicInfo(buildElf({ ...base, eType: 3, flags1: 0x08000001 }).bytes)?.type).toBe('executable');
    expect(parseElfDynamicInfo(buildElf({ ...base, eType: 3, flags1: 0x1 }).bytes)?.type).toBe('shared');
  });

  it('returns empty lists for a static executable without PT_DYNAMIC', () => {
    const info = parseElfDynamicInfo(buildElf({ class: 64, endianness: 'little', eType: 2, dynamic: false }).bytes);
    expect(info).toEqual({ class: 64, endianness: 'little', type: 'executable', machine: 62, needed: [], rpath: [], runpath: [] });
  });

  it('returns empty lists for a relocatable object without program headers', () => {
    const image = buildElf({ class: 32, endianness: 'big', eType: 1, needed: ['x.so'] });
    image.setU16(44, 0);
    expect(parseElfDynamicInfo(image.bytes)).toEqual({
      class: 32, endianness: 'big', type: 'relocatable', machine: 62, needed: [], rpath: [], runpath: [],
    });
  });

  it('reads names that lie far apart in the string table with one read per cluster', () => {
    const image = buildElf({ class: 64, endianness: 'big', soname: 'libfar.so', needed: ['liba.so', 'libb.so'], gap: 40_000 });
    const { info, reads } = parseChecked(image.bytes);
    expect(info).toMatchObject({ soname: 'libfar.so', needed: ['liba.so', 'libb.so'] });
    expect(info?.problem).toBeUndefined();
    expect(reads).toBe(5);
  });

  it('reads a long rpath past the read-ahead', () => {
    const rpath = Array.from({ length: 40 }, (_, i) => `$ORIGIN/../very/long/directory/name/${i}`).join(':');
    const info = parseElfDynamicInfo(buildElf({ class: 32, endianness: 'little', rpath, needed: ['liba.so'] }).bytes);
    expect(info?.rpath).toHaveLength(40);
    expect(info?.rpath[39]).toBe('$ORIGIN/../very/long/directory/name/39');
    expect(info?.problem).toBeUndefined();
  });
});

describe('parseElfDynamicInfo on input that is not ELF', () => {
  const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

  it.each([
    ['empty', new Uint8Array(0)],
    ['three magic bytes', new Uint8Array([0x7f, 0x45, 0x4c])],
    ['text', encode('#!/bin/sh\necho hello\n')],
    ['a static archive', encode('!<arch>\n/               0           0     0     0       4         `\n')],
    ['a near miss', new Uint8Array([0x7f, 0x45, 0x4c, 0x47, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])],
  ])('returns null for %s', (_name, bytes) => {
    expect(parseElfDynamicInfo(bytes)).toBeNull();
  });

  it('recognises the magic number only', () => {
    expect(isElfMagic(new Uint8Array([0x7f, 0x45, 0x4c, 0x46]))).toBe(true);
    expect(isElfMagic(new Uint8Array([0x7f, 0x45, 0x4c]))).toBe(false);
    expect(isElfMagic(new Uint8Array([0x7e, 0x45, 0x4c, 0x46, 2]))).toBe(false);
  });
});

describe('parseElfDynamicInfo on corrupt ELF', () => {
  const le64 = { class: 64, endianness: 'little' } as const;
  const problemOf = (bytes: Uint8Array): string | undefined => parseChecked(bytes).info?.problem;

  it.each(variants)('reports a problem for every truncation of a $class-bit $endianness image', (variant) => {
    const { bytes } = buildElf({ ...variant, ...full });
    for (let length = 0; length < bytes.length; length += 1) {
      const { info } = parseChecked(bytes.subarray(0, length));
      if (length < 4) expect(info).toBeNull();
      else expect(info?.problem, `truncated to ${length} bytes`).toBeTypeOf('string');
    }
  });

  it('reports an unknown class or data encoding', () => {
    const image = buildElf({ ...le64, ...full });
    image.bytes[4] = 3;
    expect(problemOf(image.bytes)).toBe('unknown ELF class 3');
    image.bytes[4] = 2;
    image.bytes[5] = 0;
    expect(problemOf(image.bytes)).toBe('unknown ELF data encoding 0');
  });

  it('reports program headers that are too small, too many or out of reach', () => {
    const small = buildElf({ ...le64, ...full });
    small.setU16(54, 20);
    expect(problemOf(small.bytes)).toMatch(/e_phentsize 20 is smaller than a program header/);

    const many = buildElf({ ...le64, ...full });
    many.setU16(56, 0xfff0);
    expect(problemOf(many.bytes)).toMatch(/program header table \(65520 × 56 bytes.*runs past the end of the file/);

    const far = buildElf({ ...le64, ...full });
    far.setWord(32, 0xffff_ffff_ffff_0000n);
    expect(problemOf(far.bytes)).toMatch(/beyond 2\^53/);

    const xnum = buildElf({ ...le64, ...full });
    xnum.setU16(56, 0xffff);
    expect(problemOf(xnum.bytes)).toMatch(/PN_XNUM but section header 0/);
  });

  it('reports a dynamic segment past the end of the file', () => {
    const image = buildElf({ ...le64, ...full });
    image.setWord(image.at.dynamicPhdr + 8, image.bytes.length + 100);
    expect(parseElfDynamicInfo(image.bytes)).toMatchObject({ needed: [], problem: expect.stringMatching(/PT_DYNAMIC offset 0x[0-9a-f]+ is past the end/) });
  });

  it('reports a DT_STRTAB that no PT_LOAD maps, or that is missing', () => {
    const unmapped = buildElf({ ...le64, ...full });
    unmapped.setWord(unmapped.dynamicValueAt(DT.STRTAB), unmapped.at.strtab); // a file offset, not an address
    expect(parseElfDynamicInfo(unmapped.bytes)).toMatchObject({ needed: [], problem: expect.stringMatching(/DT_STRTAB address 0x[0-9a-f]+ lies in no PT_LOAD/) });

    const missing = buildElf({ ...le64, ...full, omitStrtab: true });
    expect(problemOf(missing.bytes)).toBe('DT_STRTAB is missing, so library names cannot be read');
  });

  it('reads what it can when DT_STRSZ is too large', () => {
    const image = buildElf({ class: 32, endianness: 'big', ...full });
    image.setWord(image.dynamicValueAt(DT.STRSZ), 0x7fff_ffff);
    const info = parseElfDynamicInfo(image.bytes);
    expect(info?.needed).toEqual(full.needed);
    expect(info?.problem).toMatch(/DT_STRSZ 2147483647 runs past/);
  });

  it('skips a name that points past the string table and keeps the others', () => {
    const image = buildElf({ ...le64, needed: ['liba.so', 'libb.so'] });
    image.setWord(image.dynamicValueAt(DT.NEEDED), image.at.strtabSize + 5);
    const info = parseElfDynamicInfo(image.bytes);
    expect(info?.needed).toEqual(['libb.so']);
    expect(info?.problem).toMatch(/DT_NEEDED points to offset 0x[0-9a-f]+, past the string table/);
  });

  it('reports a name without a terminating NUL', () => {
    const image = buildElf({ class: 64, endianness: 'big', needed: ['liba.so', 'libb.so'] });
    image.setWord(image.dynamicValueAt(DT.STRSZ), image.at.strtabSize - 1);
    const info = parseElfDynamicInfo(image.bytes);
    expect(info?.needed).toEqual(['liba.so']);
    expect(info?.problem).toMatch(/DT_NEEDED string at offset 0x9 of the string table runs past the end of the table without a NUL/);
  });

  it('reports a name longer than any path', () => {
    const image = buildElf({ ...le64, needed: ['x'.repeat(70_000)] });
    expect(problemOf(image.bytes)).toMatch(/is longer than 65536 bytes/);
  });

  it('survives a dynamic segment that overlaps the headers and a second PT_DYNAMIC', () => {
    const overlap = buildElf({ ...le64, ...full });
    overlap.setWord(overlap.at.dynamicPhdr + 8, 0);
    expect(() => parseChecked(overlap.bytes)).not.toThrow();

    const twice = buildElf({ ...le64, ...full });
    const firstLoad = twice.at.dynamicPhdr - 2 * 56; // the strings live in the second load
    twice.bytes.copyWithin(firstLoad, twice.at.dynamicPhdr, twice.at.dynamicPhdr + 56);
    expect(parseElfDynamicInfo(twice.bytes)).toMatchObject({
      needed: full.needed,
      problem: expect.stringMatching(/second PT_DYNAMIC; only the first is read/),
    });
  });

  it('never throws, reads out of bounds or loops on randomly damaged images', () => {
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 0x8000_0000;
      return seed % n;
    };
    for (const variant of variants) {
      const { bytes } = buildElf({ ...variant, ...full, xnum: random(2) === 0 });
      for (let round = 0; round < 1500; round += 1) {
        const damaged = bytes.slice(0, bytes.length - random(3) * random(40));
        for (let k = 1 + random(4); k > 0; k -= 1) damaged[4 + random(damaged.length - 4)] = random(2) ? 0xff : random(256);
        expect(() => parseChecked(damaged)).not.toThrow();
      }
    }
  });
});

describe('expandOrigin', () => {
  it.each([
    ['$ORIGIN/../lib', 'bin', 'lib'],
    ['${ORIGIN}/../../numpy.libs', 'lib/python3.11/site-packages/numpy/linalg', 'lib/python3.11/site-packages/numpy.libs'],
    ['$ORIGIN', 'lib', 'lib'],
    ['$ORIGIN/', 'lib', 'lib'],
    ['$ORIGIN/.', 'lib/', 'lib'],
    ['$ORIGIN/../lib', '', '../lib'],
    ['$ORIGIN/../lib', '.', '../lib'],
    ['$ORIGIN', '', '.'],
    ['$ORIGIN/x', 'a$&b', 'a$&b/x'],
    ['$ORIGINAL/x', 'lib', '$ORIGINAL/x'],
    ['$ORIGIN_x', 'lib', '$ORIGIN_x'],
    ['/usr/lib/', 'lib', '/usr/lib'],
    ['$ORIGIN/../$LIB', 'bin', '$LIB'],
  ])('expands %s in %j to %j', (entry, fileDir, expected) => {
    expect(expandOrigin(entry, fileDir)).toBe(expected);
  });
});
