/**
 * The ELF dynamic-section parser, written as a generator that asks for byte ranges instead of
 * reading them, so one parser serves an in-memory image (unit tests) and a file handle (a few
 * positioned reads out of a library of any size). Only program headers are consulted, because
 * they are what the dynamic linker maps: a file without PT_DYNAMIC is never linked at run time,
 * whatever its section headers say. Every offset and count is checked against the file size
 * before it is used, so a corrupt file costs at most a few bounded reads.
 */
import {
  DF_1_PIE, DT_FLAGS_1, DT_NEEDED, DT_NULL, DT_RPATH, DT_RUNPATH, DT_SONAME, DT_STRSZ, DT_STRTAB,
  LAYOUT_32, LAYOUT_64, PN_XNUM, PT_DYNAMIC, PT_INTERP, PT_LOAD,
  fieldReader, hex, isElfMagic, viewOf,
} from './elf-format.ts';
import type { ByteRange, ElfDynamicInfo, ElfFileType, FieldReader, Layout, ReadSteps } from './elf-format.ts';
import { readStrings } from './elf-strings.ts';
import type { StringTable } from './elf-strings.ts';

/** Real tables are a few hundred bytes; past this the file is corrupt and reading stops. */
const MAX_TABLE_BYTES = 1 << 20;
/** No loader accepts a longer interpreter path (PATH_MAX is 4096). */
const MAX_INTERP_BYTES = 1 << 16;

const decoder = new TextDecoder('utf-8');

/** State of one parse; a step that cannot go on records a problem and returns undefined. */
interface Parse {
  size: number;
  layout: Layout;
  fields: FieldReader;
  info: ElfDynamicInfo;
  problems: string[];
}

interface Segment {
  offset: number;
  vaddr: number;
  filesz: number;
}

interface Segments {
  loads: Segment[];
  dynamic?: Segment;
  interp?: Segment;
}

/** String-valued dynamic entries, as parallel arrays: this runs on every file of an environment. */
interface DynamicEntries {
  tags: number[];
  offsets: number[];
  strtab?: number;
  strsz?: number;
}

/** Parses an ELF file of `size` bytes, yielding each byte range it needs; returns null when not ELF. */
export function* parseElfSteps(size: number): ReadSteps<ElfDynamicInfo | null> {
  if (size < 4) return null;
  const head = yield { offset: 0, length: Math.min(size, 64) };
  if (!isElfMagic(head)) return null;
  const info: ElfDynamicInfo = { class: 64, endianness: 'little', type: 'other', machine: 0, needed: [], rpath: [], runpath: [] };
  const problems: string[] = [];
  const parse = readHeader(head, size, info, problems);
  if (parse !== undefined) yield* readDynamicInfo(parse, head);
  if (problems.length > 0) info.problem = problems.join('; ');
  return info;
}

function readHeader(head: Uint8Array, size: number, info: ElfDynamicInfo, problems: string[]): Parse | undefined {
  if (head.length < 16) {
    problems.push(`truncated: the ELF identification needs 16 bytes, the file has ${head.length}`);
    return undefined;
  }
  const elfClass = head[4];
  if (elfClass !== 1 && elfClass !== 2) {
    problems.push(`unknown ELF class ${elfClass}`);
    return undefined;
  }
  info.class = elfClass === 1 ? 32 : 64;
  const encoding = head[5];
  if (encoding !== 1 && encoding !== 2) {
    problems.push(`unknown ELF data encoding ${encoding}`);
    return undefined;
  }
  info.endianness = encoding === 1 ? 'little' : 'big';
  const layout = elfClass === 1 ? LAYOUT_32 : LAYOUT_64;
  if (head.length < layout.headerSize) {
    problems.push(`truncated: the ELF header needs ${layout.headerSize} bytes, the file has ${head.length}`);
    return undefined;
  }
  const fields = fieldReader(elfClass === 2, encoding === 1);
  const view = viewOf(head);
  info.type = fileType(fields.u16(view, 16));
  info.machine = fields.u16(view, 18);
  return { size, layout, fields, info, problems };
}

function* readDynamicInfo(p: Parse, head: Uint8Array): ReadSteps<void> {
  const segments = yield* readProgramHeaders(p, viewOf(head));
  if (segments === undefined) return;
  if (segments.interp !== undefined) yield* readInterpreter(p, segments.interp);
  if (segments.dynamic === undefined) return;
  const entries = yield* readDynamicEntries(p, segments.dynamic);
  if (entries === undefined || entries.tags.length === 0) return;
  const table = locateStringTable(p, segments.loads, entries);
  if (table === undefined) return;
  const values = yield* readStrings(table, entries.tags, entries.offsets);
  const { info } = p;
  entries.tags.forEach((tag, i) => {
    const value = values[i];
    if (value === undefined) return;
    if (tag === DT_NEEDED) info.needed.push(value);
    else if (tag === DT_SONAME) info.soname ??= value;
    else pushPathList(tag === DT_RPATH ? info.rpath : info.runpath, value);
  });
}

function* readProgramHeaders(p: Parse, header: DataView): ReadSteps<Segments | undefined> {
  const { layout, fields, size } = p;
  const phoff = fields.word(header, layout.phoff);
  const phentsize = fields.u16(header, layout.phentsize);
  let phnum = fields.u16(header, layout.phnum);
  if (phnum === PN_XNUM) {
    // gABI: a count that does not fit in e_phnum is kept in sh_info of section header 0.
    const shoff = fields.word(header, layout.shoff);
    if (shoff === 0 || !(shoff + layout.shdrSize <= size)) {
      return fail(p, `e_phnum is PN_XNUM but section header 0 (offset ${hex(shoff)}) is missing or past the end of the file`);
    }
    const sh0 = yield* fetch(p, { offset: shoff, length: layout.shdrSize });
    if (sh0 === undefined) return undefined;
    phnum = fields.u32(viewOf(sh0), layout.shInfo);
  }
  // Relocatable objects have no program headers: nothing of theirs is loaded, so nothing is needed.
  if (phnum === 0) return { loads: [] };
  if (phentsize < layout.phdrSize) {
    return fail(p, `e_phentsize ${phentsize} is smaller than a program header (${layout.phdrSize} bytes)`);
  }
  const length = phnum * phentsize;
  if (!(phoff + length <= size)) {
    return fail(p, `program header table (${phnum} × ${phentsize} bytes at offset ${hex(phoff)}) runs past the end of the file (${size} bytes)`);
  }
  if (length > MAX_TABLE_BYTES) return fail(p, `program header table of ${phnum} entries is implausibly large`);
  const bytes = yield* fetch(p, { offset: phoff, length });
  if (bytes === undefined) return undefined;

  const table = viewOf(bytes);
  const segments: Segments = { loads: [] };
  for (let i = 0, at = 0; i < phnum; i += 1, at += phentsize) {
    const type = fields.u32(table, at);
    if (type !== PT_LOAD && type !== PT_DYNAMIC && type !== PT_INTERP) continue;
    const segment = {
      offset: fields.word(table, at + layout.pOffset),
      vaddr: fields.word(table, at + layout.pVaddr),
      filesz: fields.word(table, at + layout.pFilesz),
    };
    if (type === PT_LOAD) {
      // A load segment past EOF is the surest sign of a truncated copy; the loader would fault on it.
      if (!(segment.offset + segment.filesz <= size)) {
        p.problems.push(`PT_LOAD segment ${i} (${segment.filesz} bytes at offset ${hex(segment.offset)}) runs past the end of the file (${size} bytes)`);
      }
      segments.loads.push(segment);
    } else if (type === PT_DYNAMIC) {
      if (segments.dynamic === undefined) segments.dynamic = segment;
      else p.problems.push(`program header ${i} is a second PT_DYNAMIC; only the first is read`);
    } else {
      segments.interp ??= segment;
    }
  }
  return segments;
}

function* readInterpreter(p: Parse, interp: Segment): ReadSteps<void> {
  if (interp.filesz === 0) return;
  if (!(interp.offset + interp.filesz <= p.size)) {
    p.problems.push(`PT_INTERP (${interp.filesz} bytes at offset ${hex(interp.offset)}) runs past the end of the file`);
    return;
  }
  if (interp.filesz > MAX_INTERP_BYTES) {
    p.problems.push(`PT_INTERP is ${interp.filesz} bytes, longer than any path`);
    return;
  }
  const bytes = yield* fetch(p, { offset: interp.offset, length: interp.filesz });
  if (bytes === undefined) return;
  const nul = bytes.indexOf(0);
  p.info.interpreter = decoder.decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

function* readDynamicEntries(p: Parse, dynamic: Segment): ReadSteps<DynamicEntries | undefined> {
  const { fields, size } = p;
  if (!(dynamic.offset < size)) {
    return fail(p, `PT_DYNAMIC offset ${hex(dynamic.offset)} is past the end of the file (${size} bytes)`);
  }
  let readable = Math.min(dynamic.filesz, size - dynamic.offset);
  if (readable < dynamic.filesz) {
    p.problems.push(`PT_DYNAMIC (${dynamic.filesz} bytes at offset ${hex(dynamic.offset)}) runs past the end of the file; read its first ${readable} bytes`);
  }
  if (readable > MAX_TABLE_BYTES) {
    p.problems.push(`PT_DYNAMIC of ${dynamic.filesz} bytes is implausibly large; read its first ${MAX_TABLE_BYTES} bytes`);
    readable = MAX_TABLE_BYTES;
  }
  const entrySize = p.layout.dynSize;
  const valueAt = entrySize / 2;
  const length = Math.floor(readable / entrySize) * entrySize;
  const bytes = yield* fetch(p, { offset: dynamic.offset, length });
  if (bytes === undefined) return undefined;

  const view = viewOf(bytes);
  const entries: DynamicEntries = { tags: [], offsets: [] };
  let flags1 = 0;
  for (let at = 0; at < length; at += entrySize) {
    const tag = fields.word(view, at);
    if (tag === DT_NULL) break;
    if (tag === DT_NEEDED || tag === DT_SONAME || tag === DT_RPATH || tag === DT_RUNPATH) {
      entries.tags.push(tag);
      entries.offsets.push(fields.word(view, at + valueAt));
    } else if (tag === DT_STRTAB) {
      entries.strtab ??= fields.word(view, at + valueAt);
    } else if (tag === DT_STRSZ) {
      entries.strsz ??= fields.word(view, at + valueAt);
    } else if (tag === DT_FLAGS_1) {
      flags1 = fields.word(view, at + valueAt);
    }
  }
  if (p.info.type === 'shared' && (flags1 & DF_1_PIE) !== 0) p.info.type = 'executable';
  return entries;
}

/**
 * Returns the file offset where the bytes mapped from `load` on stop: a table may run on into
 * the next PT_LOAD segment when that one follows directly in memory and in the file (Debian's
 * python3.11 has its .dynstr cross such a boundary).
 */
function contiguousEnd(load: Segment, loads: Segment[]): number {
  let current = load;
  for (let guard = 0; guard < loads.length; guard++) {
    const next = loads.find((segment) => segment.vaddr === current.vaddr + current.filesz && segment.offset === current.offset + current.filesz && segment.filesz > 0);
    if (next === undefined) break;
    current = next;
  }
  return current.offset + current.filesz;
}

function locateStringTable(p: Parse, loads: Segment[], entries: DynamicEntries): StringTable | undefined {
  const { strtab, strsz } = entries;
  if (strtab === undefined) return fail(p, 'DT_STRTAB is missing, so library names cannot be read');
  // DT_STRTAB is a virtual address; the PT_LOAD segment that maps it gives its file offset.
  const load = loads.find((segment) => strtab >= segment.vaddr && strtab - segment.vaddr < segment.filesz);
  if (load === undefined) return fail(p, `DT_STRTAB address ${hex(strtab)} lies in no PT_LOAD segment`);
  const start = load.offset + (strtab - load.vaddr);
  const end = Math.min(contiguousEnd(load, loads), p.size);
  if (!(start < end)) return fail(p, `string table at offset ${hex(start)} is past the end of the file (${p.size} bytes)`);
  let length = end - start;
  if (strsz !== undefined && strsz > length) {
    p.problems.push(`DT_STRSZ ${strsz} runs past the string table's segment or the end of the file; ${length} bytes are readable`);
  } else if (strsz !== undefined) {
    length = strsz;
  }
  return { start, length, problems: p.problems };
}

function* fetch(p: Parse, range: ByteRange): ReadSteps<Uint8Array | undefined> {
  const bytes = yield range;
  if (bytes.length >= range.length) return bytes;
  return fail(p, `file ended after ${bytes.length} of ${range.length} bytes at offset ${hex(range.offset)}; it changed while being read`);
}

function fail(p: Parse, problem: string): undefined {
  p.problems.push(problem);
  return undefined;
}

function fileType(eType: number): ElfFileType {
  switch (eType) {
    case 1: return 'relocatable';
    case 2: return 'executable';
    case 3: return 'shared';
    case 4: return 'core';
    default: return 'other';
  }
}

function pushPathList(into: string[], value: string): void {
  for (const entry of value.split(':')) if (entry !== '') into.push(entry);
}
