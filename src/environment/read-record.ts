/**
 * Turns one conda-meta record, as conda, libmamba or rattler wrote it, into a Package. The
 * writers disagree in small ways (see ../shared/corpus/README.md); each difference is handled
 * where the field is read, with the writer that causes it named in a comment.
 */
import type { Package, PackageFile, PathType, RecordProblem, RecordWriter } from './types.ts';
import { isUnsafeRelativePath } from './paths.ts';

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
}

/** Parses the text of a conda-meta record; returns a problem instead of throwing on bad input. */
export function parseCondaRecord(text: string, recordPath: string): ParsedRecord | RecordProblem {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
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

  const entries = pathEntries(record.paths_data);
  const listed = (record.files as string[] | undefined) ?? entries.flatMap((entry) => (typeof entry._path === 'string' ? [entry._path] : []));
  const unsafePaths = listed.filter(isUnsafeRelativePath);
  const files = buildFiles(
    listed.filter((path) => !isUnsafeRelativePath(path)),
    entries,
  );

  const pkg: Package = {
    name,
    version,
    build: typeof record.build === 'string' ? record.build : '',
    channel: typeof record.channel === 'string' ? record.channel : '',
    source: 'conda',
    recordPath,
    writer: detectWriter(text, record),
    files,
  };
  if (typeof record.noarch === 'string' && record.noarch !== '') pkg.noarch = record.noarch;
  const parsed: ParsedRecord = { package: pkg, unsafePaths };
  if (typeof record.python_site_packages_path === 'string') parsed.pythonSitePackagesPath = record.python_site_packages_path;
  return parsed;
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
 * Joins `files` (what the prefix holds) with `paths_data` (how each got there). `files` is the
 * authority: constructor-installed records list far fewer paths_data entries than files, and a
 * path without an entry is still owned, just with nothing known about its size.
 */
function buildFiles(listed: string[], entries: RawPathEntry[]): PackageFile[] {
  const byPath = new Map<string, RawPathEntry>();
  for (const entry of entries) {
    if (typeof entry._path === 'string') byPath.set(entry._path, entry);
  }
  const files: PackageFile[] = new Array(listed.length);
  for (let i = 0; i < listed.length; i++) {
    const path = listed[i] as string;
    files[i] = toPackageFile(path, byPath.get(path) ?? byPath.get(untranslatedNoarchPath(path)));
  }
  return files;
}

/**
 * Maps an installed noarch:python path back to the form conda leaves in `paths_data._path`:
 * conda translates `files` but not the hardlink entries (`site-packages/…`, `python-scripts/…`).
 */
function untranslatedNoarchPath(path: string): string {
  const sitePackages = /^(?:lib\/python[^/]+|Lib)\/site-packages\//.exec(path);
  if (sitePackages !== null) return `site-packages/${path.slice(sitePackages[0].length)}`;
  if (path.startsWith('bin/')) return `python-scripts/${path.slice(4)}`;
  if (path.startsWith('Scripts/')) return `python-scripts/${path.slice(8)}`;
  return path;
}

function toPackageFile(path: string, entry: RawPathEntry | undefined): PackageFile {
  if (entry === undefined) return { path, pathType: 'unknown' };
  const pathType = typeof entry.path_type === 'string' && knownPathTypes.has(entry.path_type) ? (entry.path_type as PathType) : 'unknown';
  const file: PackageFile = { path, pathType };
  // sha256_in_prefix is the file as it lies in the prefix (after prefix replacement); rattler
  // 0.65 writes it only when it differs from sha256, so sha256 is the fallback.
  const sha256 = typeof entry.sha256_in_prefix === 'string' ? entry.sha256_in_prefix : typeof entry.sha256 === 'string' ? entry.sha256 : undefined;
  if (sha256 !== undefined) file.sha256 = sha256;
  // A softlink's recorded size is its target's, not the link's own; only regular files get one.
  if (pathType === 'softlink' || pathType === 'directory') return file;
  if (typeof entry.size_in_bytes === 'number') file.size = entry.size_in_bytes;
  else if (sha256 === EMPTY_SHA256) file.size = 0;
  return file;
}

/**
 * Tells the writer from the record's shape: rattler never writes `package_tarball_full_path`,
 * libmamba indents with four spaces, conda with two.
 */
function detectWriter(text: string, record: Record<string, unknown>): RecordWriter {
  if (!('package_tarball_full_path' in record)) return 'rattler';
  return /^\{\r?\n {4}"/.test(text) ? 'libmamba' : 'conda';
}
