/**
 * The one error type the core throws when it cannot continue. Each carries a stable code that
 * scripts can match on, a hint with the one action that helps, and the exit code the CLI uses.
 */

/** Stable error codes; never renamed once published, since CI scripts match on them. */
export type PruneErrorCode =
  | 'CP_USAGE'
  | 'CP_NOT_A_CONDA_ENV'
  | 'CP_PREFIX_MISSING'
  | 'CP_NO_PREFIX'
  | 'CP_RECORD_INVALID'
  | 'CP_PROFILE_INVALID'
  | 'CP_PROFILE_NOT_FOUND'
  | 'CP_PROFILE_CYCLE'
  | 'CP_BAD_REFERENCE'
  | 'CP_VERSION_SPEC'
  | 'CP_OUTPUT'
  | 'CP_VERIFY_NO_PYTHON'
  | 'CP_VERIFY_BAD_IMPORT'
  | 'CP_LOCKED'
  | 'CP_UNFINISHED_RUN'
  | 'CP_PLAN_STALE'
  | 'CP_VERIFY_REGRESSION'
  | 'CP_APPLY_ROLLED_BACK'
  | 'CP_APPLY_INCOMPLETE'
  | 'CP_INTERNAL'
  /** conda-prune.yaml is missing (when named) or invalid; every problem is in `issues`. */
  | 'CP_CONFIG_INVALID'
  /** A registry could not be reached, answered with an error or took too long. */
  | 'CP_REGISTRY_UNREACHABLE'
  /** A registry URL or response was refused: scheme, redirect to another origin, size. */
  | 'CP_REGISTRY_REFUSED'
  /** A registry's index.yaml is invalid, or a profile does not match its index entry. */
  | 'CP_REGISTRY_INVALID'
  /** No version of a registry profile matches the range asked for. */
  | 'CP_REGISTRY_NO_MATCH'
  /** A profile's bytes do not match the sha256 its index or lockfile pins. */
  | 'CP_INTEGRITY'
  /** conda-prune.lock cannot be read or is invalid. */
  | 'CP_LOCKFILE_INVALID'
  /** conda-prune.lock does not pin a registry reference the selection uses. */
  | 'CP_LOCKFILE_STALE'
  /** An audit gate: the env is larger than `--max-size`; the report is written first. */
  | 'CP_AUDIT_MAX_SIZE'
  /** An audit gate: a preset would remove more than `--max-prunable`; the report is written first. */
  | 'CP_AUDIT_MAX_PRUNABLE'
  /** The safety preflight refused the plan; every violation is in `issues`. */
  | 'CP_SAFETY_REFUSED';

/** Exit codes of the CLI, as documented in README.md. */
export type ExitCode = 0 | 1 | 2 | 3 | 4 | 70;

const exitCodes: Record<PruneErrorCode, ExitCode> = {
  CP_USAGE: 2,
  CP_NOT_A_CONDA_ENV: 2,
  CP_PREFIX_MISSING: 2,
  CP_NO_PREFIX: 2,
  CP_RECORD_INVALID: 2,
  CP_PROFILE_INVALID: 2,
  CP_PROFILE_NOT_FOUND: 2,
  CP_PROFILE_CYCLE: 2,
  CP_BAD_REFERENCE: 2,
  CP_VERSION_SPEC: 2,
  CP_OUTPUT: 2,
  CP_VERIFY_NO_PYTHON: 2,
  CP_VERIFY_BAD_IMPORT: 2,
  CP_LOCKED: 2,
  CP_UNFINISHED_RUN: 2,
  CP_PLAN_STALE: 2,
  CP_VERIFY_REGRESSION: 1,
  CP_APPLY_ROLLED_BACK: 1,
  CP_APPLY_INCOMPLETE: 4,
  CP_INTERNAL: 70,
  CP_CONFIG_INVALID: 2,
  CP_REGISTRY_UNREACHABLE: 2,
  CP_REGISTRY_REFUSED: 2,
  CP_REGISTRY_INVALID: 2,
  CP_REGISTRY_NO_MATCH: 2,
  CP_INTEGRITY: 2,
  CP_LOCKFILE_INVALID: 2,
  CP_LOCKFILE_STALE: 2,
  CP_AUDIT_MAX_SIZE: 1,
  CP_AUDIT_MAX_PRUNABLE: 1,
  CP_SAFETY_REFUSED: 3,
};

/** One located problem inside an input file, e.g. a profile validation error. */
export interface Issue {
  /** File the problem is in, as given by the user or the loader. */
  file: string;
  /** 1-based line and column, when the position is known. */
  line?: number;
  column?: number;
  /** Dotted path into the document, e.g. `rules[2].remove[0]`. */
  path: string;
  message: string;
}

/** Options of a PruneError beyond its code and message. */
export interface PruneErrorOptions {
  hint?: string;
  /** Chain of profile references that led to the error, outermost first. */
  via?: string[];
  /** Every problem found, when the error sums up a validation. */
  issues?: Issue[];
  cause?: unknown;
}

/** Describes a failure the user can act on; the CLI prints it without a stack trace. */
export class PruneError extends Error {
  readonly code: PruneErrorCode;
  readonly hint: string | undefined;
  readonly via: string[];
  readonly issues: Issue[];

  constructor(code: PruneErrorCode, message: string, options: PruneErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PruneError';
    this.code = code;
    this.hint = options.hint;
    this.via = options.via ?? [];
    this.issues = options.issues ?? [];
  }

  /** Returns the CLI exit code for this error. */
  get exitCode(): ExitCode {
    return exitCodes[this.code];
  }

  /** Returns the error as the JSON value `--format json` prints. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.via.length === 0 ? {} : { via: this.via }),
      ...(this.issues.length === 0 ? {} : { issues: this.issues }),
    };
  }
}

/** Formats an issue as `file:line:col: path: message`, the shape editors and CI annotate. */
export function formatIssue(issue: Issue): string {
  const position = issue.line === undefined ? '' : `:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`;
  const where = issue.path === '' ? '' : `${issue.path}: `;
  return `${issue.file}${position}: ${where}${issue.message}`;
}
