/**
 * Writes synthetic packages as conda-meta records in the shape conda 24.x writes them: keys
 * sorted, indent 2, no trailing newline, `files` plus `paths_data.paths[]`, and for noarch:python
 * packages the untranslated `site-packages/…` / `python-scripts/…` `_path` of hardlinks that conda
 * leaves in paths_data. Hashes are well-formed but fake (sha256 of the path): bench never verifies them.
 */
import { createHash } from 'node:crypto';
import { PYTHON_VERSION, SITE_PACKAGES, type PackageSpec, type SyntheticFile } from './synthetic-packages.ts';

const PKGS = '/opt/conda/pkgs';
const CHANNEL = 'https://conda.anaconda.org/conda-forge';

/** A package with its generated files, ready to be recorded. */
export interface BuiltPackage {
  spec: PackageSpec;
  files: SyntheticFile[];
}

/** A record file to write into conda-meta/. */
export interface RecordFile {
  fileName: string;
  text: string;
  /** `name-version-build`, for the history file. */
  dist: string;
  subdir: string;
}

/** Renders one package as a conda-written record. */
export function condaRecord(pkg: BuiltPackage): RecordFile {
  const { spec } = pkg;
  const noarch = spec.kind === 'noarch-python' || spec.kind === 'web-assets';
  const tag = hex(`build:${spec.name}`).slice(0, 7);
  const build = noarch ? 'pyhd8ed1ab_0' : spec.kind === 'compiled-python' ? `py312h${tag}_0` : `h${tag}_0`;
  const subdir = noarch ? 'noarch' : 'linux-64';
  const dist = `${spec.name}-${spec.version}-${build}`;
  const files = [...pkg.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const depends = spec.kind === 'python' ? ['libgcc >=13', 'openssl >=3.3'] : spec.kind === 'c-library' ? ['libgcc >=13'] : ['python >=3.9'];

  const record: Record<string, unknown> = {
    build,
    build_number: 0,
    channel: `${CHANNEL}/${subdir}`,
    constrains: [],
    depends,
    extracted_package_dir: `${PKGS}/${dist}`,
    files: files.map((file) => file.path),
    fn: `${dist}.conda`,
    license: 'BSD-3-Clause',
    link: { source: `${PKGS}/${dist}`, type: 1 },
    md5: createHash('md5').update(dist).digest('hex'),
    name: spec.name,
    package_tarball_full_path: `${PKGS}/${dist}.conda`,
    paths_data: { paths: files.map((file) => pathEntry(file, noarch)), paths_version: 1 },
    requested_spec: spec.kind === 'python' ? `python=${PYTHON_VERSION.slice(0, 4)}` : 'None',
    sha256: hex(dist),
    size: Math.round(files.reduce((sum, file) => sum + file.size, 0) / 4),
    subdir,
    timestamp: 1_730_000_000_000,
    url: `${CHANNEL}/${subdir}/${dist}.conda`,
    version: spec.version,
  };
  if (noarch) {
    record.noarch = 'python';
    record.package_type = 'noarch_python';
  }
  return { fileName: `${dist}.json`, text: JSON.stringify(sortKeys(record), null, 2), dist, subdir };
}

/** Renders the conda `history` file that lists every package as installed by one command. */
export function historyFile(records: readonly RecordFile[]): string {
  const lines = ['==> 2024-10-28 09:30:00 <==', '# cmd: /opt/conda/bin/conda create --prefix /opt/env python=3.12', '# conda version: 24.5.0'];
  for (const record of records) lines.push(`+conda-forge/${record.subdir}::${record.dist}`);
  return `${lines.join('\n')}\n`;
}

function pathEntry(file: SyntheticFile, noarch: boolean): Record<string, unknown> {
  if (file.type === 'pyc_file' || file.type === 'unix_python_entry_point') return { _path: file.path, path_type: file.type };
  const sha = hex(file.path);
  if (file.type === 'softlink') return { _path: file.path, path_type: 'softlink', sha256: sha, size_in_bytes: file.size };
  const path = noarch ? untranslated(file.path) : file.path;
  return { _path: path, path_type: 'hardlink', sha256: sha, sha256_in_prefix: sha, size_in_bytes: file.size };
}

function untranslated(path: string): string {
  if (path.startsWith(`${SITE_PACKAGES}/`)) return `site-packages/${path.slice(SITE_PACKAGES.length + 1)}`;
  if (path.startsWith('bin/')) return `python-scripts/${path.slice(4)}`;
  return path;
}

function hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
