/**
 * The parts of the System V gABI the dynamic-section reader needs: record layouts of the ELF
 * header, program header, section header 0 and dynamic entry for both classes, the constants it
 * matches on, and the value types the elf-*.ts modules share.
 */

/** What the dynamic linker learns from one ELF file, as read from its dynamic segment. */
export interface ElfDynamicInfo {
  /** ELF class from e_ident: which of the two layouts the file uses. */
  class: 32 | 64;
  endianness: 'little' | 'big';
  /** From e_type; a position-independent executable (ET_DYN with DF_1_PIE) is an executable, as readelf says. */
  type: ElfFileType;
  /** e_machine, e.g. 62 for x86-64, 3 for i386, 183 for AArch64. */
  machine: number;
  /** DT_NEEDED names in dynamic-section order, which is the order the loader searches them in. */
  needed: string[];
  soname?: string;
  /** DT_RPATH entries split on ':', empty entries dropped, `$ORIGIN` left for expandOrigin. */
  rpath: string[];
  /** DT_RUNPATH entries, split like rpath; when present the loader ignores DT_RPATH. */
  runpath: string[];
  /** PT_INTERP path, e.g. /lib64/ld-linux-x86-64.so.2; absent for most libraries and static files. */
  interpreter?: string;
  /**
   * Why the file could be read only in part. Fields read before the problem are kept; the rest stay
   * at their neutral defaults (64, 'little', 'other', 0, empty lists), so never trust them alone.
   */
  problem?: string;
}

/** Kind of ELF file, from e_type (ET_EXEC, ET_DYN, ET_REL, ET_CORE). */
export type ElfFileType = 'executable' | 'shared' | 'relocatable' | 'core' | 'other';

/** One positioned read the parser needs: `length` bytes at file `offset`. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** Generator protocol of the parser: yields ranges, is resumed with their bytes (shorter at EOF). */
export type ReadSteps<T> = Generator<ByteRange, T, Uint8Array>;

export const PN_XNUM = 0xffff;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const DT_NULL = 0;
export const DT_NEEDED = 1;
export const DT_STRTAB = 5;
export const DT_STRSZ = 10;
export const DT_SONAME = 14;
export const DT_RPATH = 15;
export const DT_RUNPATH = 29;
export const DT_FLAGS_1 = 0x6ffffffb;
export const DF_1_PIE = 0x08000000;

/** Names of the string-valued tags, for problem messages. */
export const stringTagNames: Readonly<Record<number, string>> = {
  [DT_NEEDED]: 'DT_NEEDED',
  [DT_SONAME]: 'DT_SONAME',
  [DT_RPATH]: 'DT_RPATH',
  [DT_RUNPATH]: 'DT_RUNPATH',
};

/** Byte offsets of the fields the reader uses, per ELF class. */
export interface Layout {
  headerSize: number;
  phoff: number;
  shoff: number;
  phentsize: number;
  phnum: number;
  phdrSize: number;
  pOffset: number;
  pVaddr: number;
  pFilesz: number;
  shdrSize: number;
  shInfo: number;
  dynSize: number;
}

// From the gABI's Elf32_Ehdr/Elf64_Ehdr, Elf*_Phdr, Elf*_Shdr and Elf*_Dyn.
/** Field offsets of ELFCLASS32 files. */
export const LAYOUT_32: Layout = {
  headerSize: 52, phoff: 28, shoff: 32, phentsize: 42, phnum: 44,
  phdrSize: 32, pOffset: 4, pVaddr: 8, pFilesz: 16, shdrSize: 40, shInfo: 28, dynSize: 8,
};
/** Field offsets of ELFCLASS64 files. */
export const LAYOUT_64: Layout = {
  headerSize: 64, phoff: 32, shoff: 40, phentsize: 54, phnum: 56,
  phdrSize: 56, pOffset: 8, pVaddr: 16, pFilesz: 32, shdrSize: 64, shInfo: 44, dynSize: 16,
};

/** Reads unsigned fields of one file's byte order; `word` is Elf32_Word or Elf64_Xword/Addr/Off. */
export interface FieldReader {
  u16(view: DataView, at: number): number;
  u32(view: DataView, at: number): number;
  word(view: DataView, at: number): number;
}

/** Creates the field reader for an ELF class and byte order. */
export function fieldReader(is64: boolean, littleEndian: boolean): FieldReader {
  const u32 = (view: DataView, at: number): number => view.getUint32(at, littleEndian);
  const u64 = (view: DataView, at: number): number => {
    const lo = view.getUint32(littleEndian ? at : at + 4, littleEndian);
    const hi = view.getUint32(littleEndian ? at + 4 : at, littleEndian);
    // Above 2^53 a number loses precision; no readable offset or size is that large, and
    // Infinity fails every range check, so such a value is reported, never misused.
    return hi > 0x1fffff ? Infinity : hi * 0x1_0000_0000 + lo;
  };
  return { u16: (view, at) => view.getUint16(at, littleEndian), u32, word: is64 ? u64 : u32 };
}

/** Wraps bytes in a DataView over exactly their range of the underlying buffer. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Formats an offset or address for a problem message. */
export function hex(n: number): string {
  return Number.isFinite(n) ? `0x${n.toString(16)}` : '(beyond 2^53)';
}

/** Tells whether bytes start with the ELF magic number 0x7f 'E' 'L' 'F'. */
export function isElfMagic(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}
