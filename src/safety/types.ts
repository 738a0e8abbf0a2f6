/**
 * Shapes of the safety preflight: what it checks against, and what it reports. Violations are
 * values, not exceptions, so one run reports every one of them at once.
 */

/** Stable codes of the preflight; never renamed once published, since CI scripts match on them. */
export type SafetyCode =
  /** The prefix, or its real path, is the filesystem root. */
  | 'CP_SAFETY_PREFIX_ROOT'
  /** The prefix, or its real path, is the home directory or one of its parents. */
  | 'CP_SAFETY_PREFIX_HOME'
  /** The prefix does not exist or its real path cannot be resolved. */
  | 'CP_SAFETY_PREFIX_MISSING'
  /** The prefix has no `conda-meta/` directory: it is not a conda environment. */
  | 'CP_SAFETY_PREFIX_NOT_ENV'
  /** The prefix's real path is no longer the one the caller resolved (a link was retargeted). */
  | 'CP_SAFETY_PREFIX_MOVED'
  /** A path is empty, absolute, holds a NUL byte or climbs with `..`. */
  | 'CP_SAFETY_PATH_UNSAFE'
  /** A path names the prefix itself (`.`, `./`). */
  | 'CP_SAFETY_PATH_IS_PREFIX'
  /** A path's real parent directory lies outside the real prefix. */
  | 'CP_SAFETY_PATH_OUTSIDE'
  /** A path's parent directory cannot be resolved for another reason than absence (ELOOP, EACCES). */
  | 'CP_SAFETY_PATH_UNRESOLVED'
  /** A path lies in `conda-meta/` and the run did not allow it. */
  | 'CP_SAFETY_CONDA_META'
  /** A path lies in `.conda-prune/`, the journal, quarantine and backups of conda-prune itself. */
  | 'CP_SAFETY_STATE'
  /** The plan names the same file twice (by spelling or through a linked directory). */
  | 'CP_SAFETY_DUPLICATE'
  /** An entry is gone since the plan was made. */
  | 'CP_SAFETY_STALE_MISSING'
  /** An entry's kind or size differs from what the plan recorded. */
  | 'CP_SAFETY_STALE_CHANGED';

/**
 * How a violation weighs: `refuse` stops the whole run before anything is touched; `stale` means
 * the env changed under one entry since the plan was made, which apply may skip and report.
 */
export type SafetySeverity = 'refuse' | 'stale';

/** One thing the preflight objects to. */
export interface SafetyViolation {
  code: SafetyCode;
  severity: SafetySeverity;
  /** Prefix-relative path of the entry or directory as the plan spells it; the prefix for prefix violations. */
  path: string;
  /** Where in the plan document: `prefix`, `entries[12]`, `directories[3]`. */
  location: string;
  message: string;
}

/** What the plan is checked against. */
export interface SafetyContext {
  /** Absolute prefix the run works on. */
  prefix: string;
  /** The prefix with every symlink resolved, as the caller read it. */
  realPrefix: string;
  /** The user's home directory; undefined skips the home checks. */
  home: string | undefined;
  /** Allows entries under `conda-meta/`, for the explicit aggressive rule that removes it. */
  allowCondaMeta?: boolean;
}
