/**
 * The Audit: where an environment's bytes go and what could go, as one plain JSON value. Every
 * renderer (text, JSON, Markdown, HTML) draws from it; docs/audit-json.md is its contract.
 */
import type { RecordProblem } from '../environment/types.ts';
import type { Tally } from '../plan/types.ts';
import type { Risk } from '../profiles/types.ts';

/** Version of the audit's JSON shape; bumped on any incompatible change. */
export const auditSchemaVersion = 1;

/** What a file is, told from its path (and, for executables, its first bytes); independent of the profiles. */
export type AuditCategory =
  | 'tests'
  | 'sources'
  | 'static-libs'
  | 'headers'
  | 'build-files'
  | 'bytecode'
  | 'docs'
  | 'sourcemaps'
  | 'sanitizers'
  | 'tools'
  | 'metadata'
  | 'runtime';

/** Every category, in the order reports list them. */
export const auditCategories: readonly AuditCategory[] = [
  'runtime',
  'tests',
  'sources',
  'headers',
  'static-libs',
  'build-files',
  'bytecode',
  'docs',
  'sourcemaps',
  'sanitizers',
  'tools',
  'metadata',
];

/** Files and bytes of one category within a package or the whole env. */
export interface CategoryTally {
  category: AuditCategory;
  files: number;
  bytes: number;
}

/** One installed package and what its files on disk weigh. */
export interface AuditPackage {
  name: string;
  version: string;
  build: string;
  source: 'conda' | 'pypi';
  /** Files and symlinks found on disk (paths another package listed first are counted there). */
  files: number;
  /** Apparent bytes from lstat. */
  bytes: number;
  /** Paths the record lists that are not on disk. */
  missing: number;
  /** Non-empty categories, largest first. */
  categories: CategoryTally[];
}

/** What one preset would remove, computed by the planner. */
export interface PresetSavings {
  preset: string;
  maxRisk: Risk;
  files: number;
  bytes: number;
  /** Bytes counted once per inode: what the prune frees. */
  uniqueBytes: number;
  /** Matched files the plan keeps (protected, kept, shared, needed…). */
  skipped: number;
  byPackage: Tally[];
  /** `profile/rule` keys. */
  byRule: Tally[];
  byCategory: Tally[];
}

/** Prunable files of one category in a package that no shipped profile's rule matches. */
export interface UnprofiledCategory {
  category: AuditCategory;
  files: number;
  bytes: number;
  /** Globs of the suggested rule, with `{site-packages}` / `{stdlib}` placeholders. */
  globs: string[];
  /** Bytes of this category the globs match (they never match files of another category). */
  coveredBytes: number;
  /** A few of the files, largest first. */
  examples: string[];
}

/** A package with prunable content and no profile rule for it, with a profile to start from. */
export interface UnprofiledFinding {
  package: string;
  version: string;
  files: number;
  bytes: number;
  categories: UnprofiledCategory[];
  /** A complete profile in YAML, valid as written, to paste into `NAME.yaml` and review. */
  snippet: string;
}

/** One of the largest files. */
export interface LargeFile {
  path: string;
  package: string;
  category: AuditCategory;
  bytes: number;
}

/** Identical files (same size, same recorded sha256) that several packages install at different paths. */
export interface DuplicateGroup {
  sha256: string;
  /** Size of each copy. */
  bytes: number;
  copies: Array<{ path: string; package: string }>;
  /** Bytes beyond the first copy, counting hardlinked copies once. */
  wastedBytes: number;
}

/** Advice that matters when the env ships in a container image. */
export interface AuditHint {
  id: 'bytecode' | 'mkl' | 'static-libpython' | 'editable-installs' | 'unowned-files-not-counted';
  title: string;
  detail: string;
  /** Bytes the hint is about, when it is about bytes. */
  bytes?: number;
  /** Packages or paths involved. */
  subjects: string[];
}

/** A prune that was applied to this env, from `.conda-prune/history.jsonl`. */
export interface PrunedRun {
  runId: string;
  appliedAt: string;
  toolVersion: string;
  maxRisk: string;
  verified: boolean;
  profiles: Array<{ name: string; version: string; source: string }>;
  files: number;
  bytes: number;
  undoneAt?: string;
}

/** A CI gate and whether the env passed it. */
export interface AuditGate {
  gate: 'max-size' | 'max-prunable';
  /** The limit in bytes, as given on the command line. */
  limit: number;
  actual: number;
  exceeded: boolean;
  /** For max-prunable: the preset whose savings count. */
  preset?: string;
}

/** The audit of an environment. */
export interface Audit {
  schemaVersion: typeof auditSchemaVersion;
  tool: { name: 'conda-prune'; version: string };
  prefix: string;
  createdAt: string;
  python?: { version: string; sitePackages: string };
  totals: {
    packages: number;
    files: number;
    bytes: number;
    /** Counted once per inode. */
    uniqueBytes: number;
    symlinks: number;
    missing: number;
  };
  /** Largest first. */
  packages: AuditPackage[];
  /** Non-empty categories, largest first. */
  categories: CategoryTally[];
  presets: PresetSavings[];
  unprofiled: UnprofiledFinding[];
  largestFiles: LargeFile[];
  duplicates: DuplicateGroup[];
  hints: AuditHint[];
  history: PrunedRun[];
  gates: AuditGate[];
  problems: RecordProblem[];
}
