/**
 * The normalised view of an installed environment that the planner works on. The written shapes
 * (conda-meta records as each installer writes them, pip RECORD files) are turned into these by
 * the readers in this folder.
 */

/** Which program wrote a conda-meta record, as far as its shape tells. */
export type RecordWriter = 'conda' | 'libmamba' | 'rattler';

/** How a package's file was placed in the prefix, from `paths_data[].path_type`. */
export type PathType =
  | 'hardlink'
  | 'softlink'
  | 'directory'
  | 'pyc_file'
  | 'unix_python_entry_point'
  | 'windows_python_entry_point_script'
  | 'windows_python_entry_point_exe'
  | 'linked_package_record'
  | 'unknown';

/** One path a package owns, relative to the prefix with forward slashes. */
export interface PackageFile {
  path: string;
  pathType: PathType;
  /** Bytes the installer recorded; undefined when the record does not say (pyc, links, incomplete paths_data). */
  size?: number;
  /** sha256 of the file as it lies in the prefix, when recorded. */
  sha256?: string;
}

/** Where a package came from. */
export type PackageSource = 'conda' | 'pypi';

/** An installed package: a conda record, or a pip distribution that no conda record owns. */
export interface Package {
  name: string;
  version: string;
  /** Build string; empty for pip distributions. */
  build: string;
  /** Channel as written (URL or short name), or `pypi`. */
  channel: string;
  source: PackageSource;
  /** The record file, relative to the prefix (`conda-meta/x.json` or `.../x.dist-info/RECORD`). */
  recordPath: string;
  /** Installer that wrote the record; pip dists have none. */
  writer?: RecordWriter;
  /** `python` or `generic` for noarch packages. */
  noarch?: string;
  /** Every path the package owns, prefix-relative, as its record lists them. */
  paths: readonly string[];
  /**
   * What the record says about each path, parallel to `paths`. Built on first access: most
   * packages never have a candidate, and their paths_data need not be parsed at all.
   */
  readonly files: readonly PackageFile[];
  /** Returns what the record says about `paths[index]`, reading as little of it as it can. */
  fileAt(index: number): PackageFile;
}

/** Paths of the env's python, from its record. */
export interface PythonInfo {
  version: string;
  /** `lib/pythonX.Y/site-packages`, or `python_site_packages_path` when the record has it. */
  sitePackages: string;
  /** `lib/pythonX.Y` */
  stdlib: string;
  /** The interpreter, relative to the prefix (`bin/pythonX.Y`). */
  executable: string;
}

/** A record that could not be read; reported, never fatal. */
export interface RecordProblem {
  /** The record file, relative to the prefix. */
  path: string;
  /** `changed`: the record was rewritten while conda-prune read it. */
  code: 'unreadable' | 'invalid-json' | 'invalid-record' | 'unsafe-path' | 'changed';
  message: string;
}

/** Everything the planner needs to know about a prefix. */
export interface Environment {
  /** Absolute prefix as given (resolved against the working directory). */
  prefix: string;
  /** The prefix with every symlink resolved; containment checks use this. */
  realPrefix: string;
  packages: Package[];
  python?: PythonInfo;
  problems: RecordProblem[];
  /** Prefix-relative path → index into `packages` of the first package listing it. */
  owners: Map<string, number>;
  /** Paths listed by more than one package → every owner's index; such paths are never pruned. */
  sharedOwners: Map<string, number[]>;
}
