/**
 * Turns one conda-meta record, as conda, libmamba or rattler wrote it, into a Package. The
 * writers disagree in small ways (see ../shared/corpus/README.md); each difference is handled
 * where the field is read, with the writer that causes it named in a comment.
 */
import type { Package, PackageFile, PathType, RecordProblem, RecordWriter } from './types.ts';
import { isUnsafeRelativePath, untranslatedNoarchPath } from './paths.ts';
import { findPathEntry, splitPathsData } from './split-paths-data.ts';

/** sha256 of zero bytes: libmamba omits `size_in_bytes` for empty files, but keeps this hash. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const knownPathTypes = new Set<string>([
  'hardlink',
  'softlink',
  'directory',
  'pyc_file',
  'unix_python_entry_point',
  'windows_python_entry_point_script',
  'windows_python_entry_point_exe',
  'linked_package_record',
]);

/** What one record yields: a package, and facts only the python record carries. */
export interface ParsedRecord {
  package: Package;
  /** `python_site_packages_path` of a python record, when written (newer pythons). */
  pythonSitePackagesPath?: string;
  /** Paths the record lists that are absolute or climb out of the prefix; never planned. */
  unsafePaths: string[];
}

interface RawPathEntry {
  _path?: unknown;
  path_type?: unknown;
  size_in_bytes?: unknown;
  sha256?: unknown;
  sha256_in_prefix?: unknown;
  prefix_placeholder?: unknown;
}

/** Parses a conda-meta record; returns a problem instead of throwing on bad input. */
export function parseCondaRecord(
  content: string | Buffer,
  recordPath: string,
  onLateProblem: (problem: RecordProblem) => void = () => {},
  reread?: () => Buffer,
  /** Keep what paths_data says of each file once a package's is read: for callers that visit packages many times. */
  keepParsed = false,
): ParsedRecord | RecordProblem {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  // paths_data is most of a record's bytes and only matters for the few candidates a rule
  // selects; it is cut out here and read on first use: again from disk when the caller can
  // reread the file, else from the bytes given.
  let split = splitPathsData(bytes);
  let raw: unknown;
  try {
    raw = JSON.parse(split.rest);
    // The cut must have been the top-level value; if not, read the record whole.
    if (split.pathsData !== undefined && (raw as { paths_data?: unknown } | null)?.paths_data !== null) {
      split = { rest: bytes.toString('utf8') };
      raw = JSON.parse(split.rest);
    }
  } catch (error) {
    return { path: recordPath, code: 'invalid-json', message: `not valid JSON (${(error as Error).message}); the file is truncated or corrupt` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { path: recordPath, code: 'invalid-record', message: 'a record must be a JSON object' };
  }
  const record = raw as Record<string, unknown>;
  const name = record.name;
  const version = record.version;
  if (typeof name !== 'string' || name === '' || typeof version !== 'string' || version === '') {
    return { path: recordPath, code: 'invalid-record', message: 'the record has no string "name" and "version"' };
  }
  if (record.files !== undefined && !isStringArray(record.files)) {
    return { path: recordPath, code: 'invalid-record', message: '"files" must be a list of paths' };
  }
  const writer = detectWriter(bytes, record);
  const cut = split.pathsData;
  if (cut === undefined) return buildParsedRecord(record, writer, recordPath, lazyPathsData(undefined, () => record.paths_data, recordPath, onLateProblem), keepParsed);
  // Without `files`, paths_data is the only list of what the package owns: read it now, so a
  // broken one is reported instead of leaving its files looking unowned.
  if (record.files === undefined) {
    try {
      const pathsData: unknown = JSON.parse(cut.toString('utf8'));
      return buildParsedRecord(record, writer, recordPath, lazyPathsData(undefined, () => pathsData, recordPath, onLateProblem), keepParsed);
    } catch (error) {
      return { path: recordPath, code: 'invalid-json', message: `"paths_data" is not valid JSON (${(error as Error).message})` };
    }
  }
  return buildParsedRecord(record, writer, recordPath, lazyPathsData(reread === undefined ? () => cut : rereadCut(bytes, cut, recordPath, reread, onLateProblem), undefined, recordPath, onLateProblem), keepParsed);
}

/**
 * Returns the record's paths_data bytes by reading the file again, so that the bytes of the 60,000
 * (or 300,000) paths an env lists are not all held for the few packages that have candidates:
 * at 300,000 paths the records weigh 114 MB. The region is taken only from a file of the same
 * length that still holds an object there; otherwise the record changed while it was read,
 * which is reported, and its sizes and link types are unknown.
 */
function rereadCut(bytes: Buffer, cut: Buffer, recordPath: string, reread: () => Buffer, onLateProblem: (problem: RecordProblem) => void): () => Buffer | undefined {
  const start = cut.byteOffset - bytes.byteOffset;
  const end = start + cut.length;
  const length = bytes.length;
  let reported = false;
  const owner = {};
  return () => {
    const now = recentBytes(owner, reread);
    if (now !== undefined && now.length === length && now[start] === 0x7b && now[end - 1] === 0x7d) return now.subarray(start, end);
    if (!reported) onLateProblem({ path: recordPath, code: 'changed', message: 'the record changed while conda-prune read it; sizes and link types of its files are unknown' });
    reported = true;
    return undefined;
  };
}

/** The one record whose bytes are kept after a re-read: lookups in one package come in a row. */
let recentRecord: { owner: object; bytes: Buffer | undefined } | undefined;

function recentBytes(owner: object, reread: () => Buffer): Buffer | undefined {
  if (recentRecord?.owner !== owner) {
    let bytes: Buffer | undefined;
    try {
      bytes = reread();
    } catch {
      bytes = undefined;
    }
    recentRecord = { owner, bytes };
  }
  return recentRecord.bytes;
}

/** Single-entry lookups a package gets before its paths_data is parsed whole. */
const maxSingleLookups = 4;

/** How a package reaches its paths_data: one entry at a time, or all of it. */
interface PathsDataAccess {
  /** The entry of one path, or undefined when only a full parse can tell. */
  entryOf(path: string): RawPathEntry | undefined;
  all(): RawPathEntry[];
}

/**
 * Gives access to paths_data: single entries are found in the cut-out bytes without parsing the
 * rest; the whole value is parsed when needed, and not kept here. Should it not parse, the paths
 * `files` lists stay owned with nothing known about them, as in constructor installs, and that
 * is reported.
 */
function lazyPathsData(cutOf: (() => Buffer | undefined) | undefined, parsed: (() => unknown) | undefined, recordPath: string, onLateProblem: (problem: RecordProblem) => void): PathsDataAccess {
  // Not kept: the caller keeps what it needs (see recentIndex), so parsed entries do not pile up.
  let parsedBefore = false;
  const all = (): RawPathEntry[] => {
    let value: unknown;
    const cut = cutOf?.();
    if (parsed !== undefined) value = parsed();
    else if (cut !== undefined) {
      try {
        value = JSON.parse(cut.toString('utf8'));
      } catch (error) {
        if (!parsedBefore) onLateProblem({ path: recordPath, code: 'invalid-json', message: `"paths_data" is not valid JSON (${(error as Error).message}); sizes and link types of its files are unknown` });
      }
    }
    parsedBefore = true;
    return pathEntries(value);
  };
  // A lookup scans the bytes once; a full parse costs a few scans. Past a handful of lookups
  // in one package (python's test suite has thousands), parsing it all is the cheaper way.
  let lookups = 0;
  return {
    entryOf(path) {
      if (cutOf === undefined || parsedBefore || ++lookups > maxSingleLookups) return undefined;
      const cut = cutOf();
      return cut === undefined ? undefined : (findPathEntry(cut, path) as RawPathEntry | undefined);
    },
    all,
  };
}

/**
 * The one package whose paths_data index is kept. The planner visits packages one after another,
 * so keeping each index for the life of the environment held every parsed entry of every package
 * with a candidate at once (~150 MB at 300,000 paths); one at a time, each is freed as the next
 * package is reached. A package visited again is parsed again, which nothing in a plan does;
 * the audit, which visits every package several times, asks each package to keep its files
 * once read (keepParsed).
 */
let recent: { owner: PathsDataAccess; byPath: Map<string, RawPathEntry> } | undefined;

function recentIndex(pathsData: PathsDataAccess): Map<string, RawPathEntry> {
  if (recent?.owner !== pathsData) recent = { owner: pathsData, byPath: indexEntries(pathsData.all()) };
  return recent.byPath;
}

function buildParsedRecord(record: Record<string, unknown>, writer: RecordWriter, recordPath: string, pathsData: PathsDataAccess, keepParsed: boolean): ParsedRecord {
  const listed = (record.files as string[] | undefined) ?? pathsData.all().flatMap((entry) => (typeof entry._path === 'string' ? [entry._path] : []));
  const unsafePaths = listed.filter(isUnsafeRelativePath);
  const paths = unsafePaths.length === 0 ? listed : listed.filter((path) => !isUnsafeRelativePath(path));
  let files: PackageFile[] | undefined;
  const indexedEntry = (path: string): RawPathEntry | undefined => {
    const byPath = recentIndex(pathsData);
    return byPath.get(path) ?? byPath.get(untranslatedNoarchPath(path));
  };
  const pkg: Package = {
    name: record.name as string,
    version: record.version as string,
    build: typeof record.build === 'string' ? record.build : '',
    channel: typeof record.channel === 'string' ? record.channel : '',
    source: 'conda',
    recordPath,
    writer,
    paths,
    get files() {
      files ??= paths.map((path) => toPackageFile(path, indexedEntry(path), writer));
      return files;
    },
    fileAt(index) {
      if (files !== undefined) return files[index] as PackageFile;
      // A reader that visits packages many times (the audit) keeps what paths_data says of each
      // path, once parsed, and lets the parsed entries go: an entry with its own copy of the path
      // and two hashes weighs twice its file, and every object kept is copied by each young-
      // generation collection that finds it alive.
      if (keepParsed) return pkg.files[index] as PackageFile;
      const path = paths[index] as string;
      // One candidate of a large package should not cost parsing all of its paths_data.
      const entry = pathsData.entryOf(path) ?? pathsData.entryOf(untranslatedNoarchPath(path)) ?? indexedEntry(path);
      return toPackageFile(path, entry, writer);
    },
  };
  if (typeof record.noarch === 'string' && record.noarch !== '') pkg.noarch = record.noarch;
  const result: ParsedRecord = { package: pkg, unsafePaths };
  if (typeof record.python_site_packages_path === 'string') result.pythonSitePackagesPath = record.python_site_packages_path;
  return result;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function pathEntries(pathsData: unknown): RawPathEntry[] {
  if (typeof pathsData !== 'object' || pathsData === null) return [];
  const paths = (pathsData as { paths?: unknown }).paths;
  return Array.isArray(paths) ? paths.filter((entry): entry is RawPathEntry => typeof entry === 'object' && entry !== null) : [];
}

/**
 * Indexes paths_data by path. `files` stays the authority on what a package owns:
 * constructor-installed records list far fewer paths_data entries than files, and a path
 * without an entry is still owned, just with nothing known about its size.
 */
function indexEntries(entries: RawPathEntry[]): Map<string, RawPathEntry> {
  const byPath = new Map<string, RawPathEntry>();
  for (const entry of entries) {
    if (typeof entry._path === 'string') byPath.set(entry._path, entry);
  }
  return byPath;
}

function toPackageFile(path: string, entry: RawPathEntry | undefined, writer: RecordWriter): PackageFile {
  if (entry === undefined) return { path, pathType: 'unknown' };
  const pathType = typeof entry.path_type === 'string' && knownPathTypes.has(entry.path_type) ? (entry.path_type as PathType) : 'unknown';
  const file: PackageFile = { path, pathType };
  // sha256_in_prefix is the file as it lies in the prefix (after prefix replacement); rattler
  // 0.65 writes it only when it differs from sha256, so sha256 is the fallback.
  const sha256 = typeof entry.sha256_in_prefix === 'string' ? entry.sha256_in_prefix : typeof entry.sha256 === 'string' ? entry.sha256 : undefined;
  if (sha256 !== undefined) file.sha256 = sha256;
  // A softlink's recorded size is its target's, not the link's own; only regular files get one.
  if (pathType === 'softlink' || pathType === 'directory') return file;
  // conda and libmamba record the packaged size of a file whose prefix placeholder was replaced
  // at install, not the installed one (rattler records the installed one); libmamba drops
  // prefix_placeholder, so differing hashes are the only sign. Such a size says nothing about
  // whether the file changed since.
  if (writer !== 'rattler' && isPrefixReplaced(entry)) return file;
  if (typeof entry.size_in_bytes === 'number') file.size = entry.size_in_bytes;
  else if (sha256 === EMPTY_SHA256) file.size = 0;
  return file;
}

function isPrefixReplaced(entry: RawPathEntry): boolean {
  if (entry.prefix_placeholder !== undefined) return true;
  return typeof entry.sha256 === 'string' && typeof entry.sha256_in_prefix === 'string' && entry.sha256 !== entry.sha256_in_prefix;
}

/**
 * Tells the writer from the record's shape: rattler never writes `package_tarball_full_path`,
 * libmamba indents with four spaces, conda with two.
 */
function detectWriter(bytes: Buffer, record: Record<string, unknown>): RecordWriter {
  if (!('package_tarball_full_path' in record)) return 'rattler';
  return /^\{\r?\n {4}"/.test(bytes.toString('latin1', 0, 8)) ? 'libmamba' : 'conda';
}
