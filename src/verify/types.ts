/**
 * The shapes of the import smoke test: what verify checks, what it returns, and how a before and
 * an after run compare. Plain JSON values, so CI can read them and apply can store them.
 */
import type { Environment } from '../environment/types.ts';
import type { PlanEntry } from '../plan/types.ts';

/** Version of the VerifyResult JSON shape; bumped on any incompatible change. */
export const verifySchemaVersion = 1;

/** What a check exercises: importing a module, or running a shell command. */
export type CheckKind = 'import' | 'run';

/** The outcome of one import or one command. */
export interface VerifyCheck {
  kind: CheckKind;
  /** The dotted module name, for `import` checks. */
  module?: string;
  /** The command line as given, for `run` checks. */
  command?: string;
  ok: boolean;
  /** One line: `ModuleNotFoundError: No module named 'x'`, `exit code 3`, `crashed with SIGSEGV`. */
  error?: string;
  /** The traceback of a failed import, the stderr of a crash, or a command's output; the last 4 KiB. */
  output?: string;
  durationMs: number;
  /** The interpreter died importing this module, also when it was retried alone. */
  crashed?: boolean;
  /** The signal that ended the interpreter or command, e.g. `SIGSEGV`. */
  signal?: string;
  /** The check did not finish within the timeout and was killed. */
  timedOut?: boolean;
  /** Exit status of a `run` command that ended by itself. */
  exitCode?: number;
}

/** The result of one verify run; `ok` when every check passed. */
export interface VerifyResult {
  schemaVersion: typeof verifySchemaVersion;
  prefix: string;
  /** The interpreter's absolute path and version, e.g. `/opt/env/bin/python3.11 (3.11.2)`. */
  python: string;
  ok: boolean;
  checks: VerifyCheck[];
  /** Wall time of the whole run. */
  durationMs: number;
}

/** Inputs of verifyEnvironment. */
export interface VerifyOptions {
  prefix: string;
  /** The interpreter, relative to the prefix; defaults to the python record's executable. */
  python?: string;
  /** Modules to import, in report order; duplicates are checked once. */
  imports: string[];
  /** Shell commands to run with the env's `bin/` first on PATH; success is exit status 0. */
  run?: string[];
  /** Per module and per command; 30 s when omitted. */
  timeoutMs?: number;
  /** Interpreters (and commands) at once; os.availableParallelism() when omitted. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** The environment already read from `prefix`, to spare reading it again. */
  environment?: Environment;
}

/** A top-level module the env's packages provide, with the package it came from. */
export interface DiscoveredModule {
  module: string;
  package: string;
}

/** How the checks of an after run stand against a before run. */
export interface VerifyComparison {
  /** Passed before (or were not checked), fail now: these fail a prune. */
  regressions: VerifyCheck[];
  /** Failed before and fail now: reported, never blamed on the prune. */
  stillBroken: VerifyCheck[];
  /** Failed before and pass now. */
  fixed: VerifyCheck[];
}

/** What in a failed check points at a removed file. */
export type EvidenceKind = 'missing-module' | 'missing-name' | 'traceback-file' | 'shared-library' | 'missing-file' | 'restored-rule';

/** One clue read from a check's error or output. */
export interface BlameEvidence {
  kind: EvidenceKind;
  /** The text the clue came from: a module name, a path, a library name. */
  clue: string;
}

/** One rule whose removed files a regression needed. */
export interface BlamedRule {
  profile: string;
  rule: string;
  entries: PlanEntry[];
  evidence: BlameEvidence[];
}

/** A regression and the rules it is traced to; `rules` is empty when nothing in it matched the plan. */
export interface Blame {
  check: VerifyCheck;
  rules: BlamedRule[];
}
