/**
 * The normalised shape of a prune profile, as the planner uses it. The written YAML shape is
 * checked by validate.ts and turned into these by normalize.ts.
 */

/** How likely removing a rule's files is to break a runtime; presets cap it. */
export type Risk = 'safe' | 'moderate' | 'aggressive';

/** Ordered from least to most risky; the index is the comparison key. */
export const risks: readonly Risk[] = ['safe', 'moderate', 'aggressive'];

/** What kind of content a rule removes; reports group savings by it. */
export type Category =
  | 'tests'
  | 'sources'
  | 'static-libs'
  | 'shared-libs'
  | 'headers'
  | 'bytecode'
  | 'docs'
  | 'sourcemaps'
  | 'sanitizers'
  | 'tools'
  | 'stdlib-extras'
  | 'build-files'
  | 'examples'
  | 'data'
  | 'metadata';

/** Every category, for validation and the JSON Schema. */
export const categories: readonly Category[] = [
  'tests',
  'sources',
  'static-libs',
  'shared-libs',
  'headers',
  'bytecode',
  'docs',
  'sourcemaps',
  'sanitizers',
  'tools',
  'stdlib-extras',
  'build-files',
  'examples',
  'data',
  'metadata',
];

/** Owned rules match the package's manifest; unowned rules walk the disk for files no package lists. */
export type RuleScope = 'owned' | 'unowned';

/** One rule: which files of a package go, which stay, and why that is safe. */
export interface Rule {
  id: string;
  category: Category;
  risk: Risk;
  reason: string;
  scope: RuleScope;
  /** Removes conda-meta/: applied only after the rest of the run is verified and committed. */
  lastStep?: boolean;
  /** Globs with `{site-packages}` / `{stdlib}` placeholders, as written. */
  remove: string[];
  keep: string[];
}

/** Where a profile was loaded from. */
export interface ProfileSource {
  kind: 'builtin' | 'file';
  /** Absolute path of the YAML file. */
  location: string;
  /** sha256 of the file's bytes, for lockfiles and `--plan` provenance. */
  sha256: string;
}

/** A validated profile. */
export interface Profile {
  name: string;
  version: string;
  description: string;
  /** Absent for presets, which only extend other profiles. */
  appliesTo?: { package: string; versions?: string };
  extends: string[];
  /** Cap on rule risk set by a preset. */
  maxRisk?: Risk;
  rules: Rule[];
  verify: { imports: string[] };
  source: ProfileSource;
}

/** A profile reached while resolving the user's selection, with the references that led to it. */
export interface ResolvedProfile {
  profile: Profile;
  /** References from the user's selection down to this profile, outermost first. */
  via: string[];
}

/** Everything the planner needs from the profile selection. */
export interface ProfileSelection {
  profiles: ResolvedProfile[];
  maxRisk: Risk;
  /** `PROFILE/RULE` or `PROFILE` names whose rules do not run. */
  disabled?: ReadonlySet<string>;
  /** Globs no rule may remove, whatever the profile or package (the config's `keep`). */
  keep?: readonly string[];
}
