/**
 * The Plan: every file a selection of profiles would remove from an environment, with owner,
 * profile, rule and bytes, the files it passed over and why. A plain JSON value, so it can be
 * saved with `plan --format json` and read back by CI or by `apply --plan`.
 */
import type { RecordProblem } from '../environment/types.ts';
import type { Category, Risk } from '../profiles/types.ts';

/** Version of the plan's JSON shape; bumped on any incompatible change. */
export const planSchemaVersion = 1;

/** One file (or symlink) the plan removes. */
export interface PlanEntry {
  /** Prefix-relative path. */
  path: string;
  /** Owning package; `(unowned)` for files no package lists that an unowned-scope rule reached. */
  package: string;
  version: string;
  profile: string;
  rule: string;
  category: Category;
  risk: Risk;
  /** Apparent size from lstat (a symlink counts its own length, not its target's). */
  bytes: number;
  kind: 'file' | 'symlink';
  /** Removed after the run is verified and committed: conda's own records (a lastStep rule). */
  lastStep?: true;
}

/** Why a file a rule matched stays. */
export type SkipReason =
  | 'missing'
  | 'modified'
  | 'shared'
  | 'kept'
  | 'protected'
  | 'not-a-file'
  | 'unreadable'
  /** A directory on the way is a symlink that leads out of the prefix. */
  | 'linked-parent'
  /** An ELF file that stays in the prefix still needs this shared library (or link to it). */
  | 'needed';

/** A file a rule matched that the plan leaves in place. */
export interface PlanSkip {
  path: string;
  package: string;
  profile: string;
  rule: string;
  reason: SkipReason;
  detail: string;
}

/** Files and bytes of a group of entries. */
export interface Tally {
  key: string;
  files: number;
  bytes: number;
}

/** Totals of a plan. */
export interface PlanTotals {
  files: number;
  /** Apparent bytes, summed over entries. */
  bytes: number;
  /** Files and bytes counted once per inode: what removing them frees when hardlinked. */
  uniqueFiles: number;
  uniqueBytes: number;
  directories: number;
}

/** A profile that took part, with the references that led to it. */
export interface PlanProfile {
  name: string;
  version: string;
  source: string;
  sha256: string;
  via: string[];
  /** Packages of the env the profile applied to. */
  appliedTo: string[];
  /** Modules the profile promises still import after its rules ran (`verify.imports`). */
  verifyImports?: string[];
}

/** The plan of a prune; see docs in README.md for the stable JSON contract. */
export interface Plan {
  schemaVersion: typeof planSchemaVersion;
  tool: { name: 'conda-prune'; version: string };
  prefix: string;
  /** Fingerprint of the records the plan was made from; `apply --plan` refuses a changed env. */
  fingerprint?: string;
  createdAt: string;
  maxRisk: Risk;
  python?: { version: string; sitePackages: string };
  packages: number;
  profiles: PlanProfile[];
  entries: PlanEntry[];
  /** Directories that the removals leave empty, deepest first. */
  directories: string[];
  skipped: PlanSkip[];
  totals: PlanTotals;
  summary: {
    byPackage: Tally[];
    byProfile: Tally[];
    byRule: Tally[];
    byCategory: Tally[];
    byRisk: Tally[];
  };
  problems: RecordProblem[];
}
