/**
 * Applies a plan as a transaction: lock, whole-plan preflight, journal, every file renamed into
 * a quarantine inside the prefix (or deleted, when nothing is to be verified), emptied
 * directories removed, records rewritten, then the caller's check, then commit or roll back.
 * Nothing is changed before the preflight passed; everything is restorable until the check did.
 */
import { existsSync, lstatSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { PruneError } from '../errors.ts';
import { readEnvironment } from '../environment/read-environment.ts';
import type { Environment } from '../environment/types.ts';
import type { Plan, PlanEntry } from '../plan/types.ts';
import { toolVersion } from '../version.ts';
import { acquireLock } from './lock.ts';
import { writeJournal, writeJournalState, type Journal, type JournalMode } from './journal.ts';
import { commitRun, quarantinedPath, removeDirectories, revertRun, rewriteRecordsConcurrently, unlinkEntries } from './finish-run.ts';
import { moveFile, type RenameFunction } from './move-file.ts';
import { runPreflight } from './preflight.ts';
import { removeLastStep, type LastStepResult } from './remove-last-step.ts';
import { statePaths } from './state-paths.ts';

/** What the caller's check after the prune found; a failed check rolls the run back. */
export interface CheckOutcome {
  ok: boolean;
  /** The check's own report (a VerifyResult, say), carried into the ApplyResult. */
  report?: unknown;
}

/**
 * What a check may do with the quarantine while it runs: put some files back and set them
 * aside again, to find which rule a regression needs when its error text does not say.
 */
export interface QuarantineAccess {
  restore(paths: readonly string[]): void;
  setAside(paths: readonly string[]): void;
}

/** Progress of the moves, for a bar or periodic lines. */
export interface ApplyProgress {
  done: number;
  total: number;
  bytes: number;
}

/** Options of applyPlan. */
export interface ApplyOptions {
  /** Quarantine files and run `check` before committing; without it, delete directly (roll-forward). */
  verify: boolean;
  check?: (quarantine: QuarantineAccess) => Promise<CheckOutcome>;
  keepBackup?: boolean;
  home?: string;
  onProgress?: (progress: ApplyProgress) => void;
  /** The rename used for moves; tests pass one that fails with EXDEV. */
  rename?: RenameFunction;
  now?: () => Date;
}

/** What an apply run did. */
export interface ApplyResult {
  schemaVersion: 1;
  runId: string;
  prefix: string;
  mode: JournalMode;
  outcome: 'committed' | 'rolled-back' | 'nothing-to-do';
  removed: { files: number; bytes: number; directories: number };
  /** Entries that were gone by the time the run reached them. */
  vanished: string[];
  records: string[];
  /** The backup `undo` restores, relative to the prefix. */
  backup?: string;
  check?: unknown;
  durationMs: number;
}

/** Applies the plan to its prefix as one transaction and returns what it did. */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const started = performance.now();
  if (options.keepBackup === true && !options.verify) {
    throw new PruneError('CP_USAGE', '--keep-backup needs verification: without it files are deleted directly, with nothing to keep', {
      hint: 'drop --no-verify, or drop --keep-backup',
    });
  }
  const lastStep = plan.entries.filter((entry) => entry.lastStep === true);
  if (lastStep.length > 0 && options.keepBackup === true) {
    throw new PruneError('CP_USAGE', `--keep-backup cannot be combined with a rule that removes conda-meta/ (${lastStep[0]?.profile}/${lastStep[0]?.rule}): undo needs the records`, {
      hint: `drop --keep-backup, or leave the conda-meta rule out: --disable ${lastStep[0]?.profile}/${lastStep[0]?.rule}`,
    });
  }
  const lock = acquireLock(plan.prefix, 'apply');
  try {
    const environment = readEnvironment(plan.prefix);
    runPreflight(plan, environment, options.home);
    const journal = buildJournal({ ...plan, entries: plan.entries.filter((entry) => entry.lastStep !== true) }, environment, options);
    const result: ApplyResult = {
      schemaVersion: 1,
      runId: journal.runId,
      prefix: environment.prefix,
      mode: journal.mode,
      outcome: 'nothing-to-do',
      removed: { files: 0, bytes: 0, directories: 0 },
      vanished: [],
      records: journal.records,
      durationMs: 0,
    };
    if (journal.entries.length > 0) await runJournal(environment.prefix, journal, plan, options, result);
    if (lastStep.length > 0 && result.outcome !== 'rolled-back') finishWithLastStep(environment.prefix, lastStep, result);
    result.durationMs = Math.round(performance.now() - started);
    return result;
  } finally {
    lock.release();
  }
}

async function runJournal(prefix: string, journal: Journal, plan: Plan, options: ApplyOptions, result: ApplyResult): Promise<void> {
  writeJournal(prefix, journal);
  try {
    result.vanished = journal.mode === 'quarantine' ? moveAside(prefix, journal, plan, options) : unlinkEntries(prefix, journal);
    removeDirectories(prefix, journal);
    await rewriteRecordsConcurrently(prefix, journal);
    writeJournalState(prefix, journal.runId, 'applied');
  } catch (error) {
    throw failed(prefix, journal, error);
  }
  if (journal.mode === 'quarantine' && options.check !== undefined) {
    let outcome: CheckOutcome;
    try {
      outcome = await options.check(quarantineAccess(prefix, journal, options));
    } catch (error) {
      // The check could not finish (the interpreter vanished, say): nothing is verified.
      throw failed(prefix, journal, error);
    }
    result.check = outcome.report;
    if (!outcome.ok) {
      try {
        revertRun(prefix, journal);
      } catch (error) {
        throw incomplete(prefix, `verification failed and putting files back failed too (${(error as Error).message})`, error);
      }
      result.outcome = 'rolled-back';
      return;
    }
  }
  try {
    writeJournalState(prefix, journal.runId, 'verified');
    commitRun(prefix, journal, true);
  } catch (error) {
    throw incomplete(prefix, `the prune was verified but committing it failed (${(error as Error).message})`, error);
  }
  const gone = new Set(result.vanished);
  const removed = plan.entries.filter((entry) => entry.lastStep !== true && !gone.has(entry.path));
  result.outcome = 'committed';
  result.removed = { files: removed.length, bytes: removed.reduce((sum, entry) => sum + entry.bytes, 0), directories: journal.directories.length };
  if (journal.keepBackup) result.backup = relative(prefix, statePaths(prefix).backup(journal.runId));
}

/** Removes conda-meta/ after a committed run (or alone, when it was all the plan held). */
function finishWithLastStep(prefix: string, entries: PlanEntry[], result: ApplyResult): void {
  let removed: LastStepResult;
  try {
    removed = removeLastStep(prefix, entries);
  } catch (error) {
    const cause = error as NodeJS.ErrnoException;
    throw new PruneError('CP_APPLY_INCOMPLETE', `the prune of ${prefix} was ${result.outcome === 'committed' ? 'verified and committed' : 'empty'}, but removing conda-meta/ failed (${cause.code ?? 'error'}: ${cause.message})`, {
      hint: `the environment is intact; remove ${join(prefix, 'conda-meta')} by hand, or run apply again`,
      cause: error,
    });
  }
  result.outcome = 'committed';
  result.vanished.push(...removed.vanished);
  result.removed.files += removed.removed.length;
  result.removed.bytes += removed.removed.reduce((sum, entry) => sum + entry.bytes, 0);
}

/** Renames every entry into the quarantine, creating each directory there once. */
function moveAside(prefix: string, journal: Journal, plan: Plan, options: ApplyOptions): string[] {
  const vanished: string[] = [];
  const made = new Set<string>();
  let bytes = 0;
  journal.entries.forEach((entry, index) => {
    const aside = quarantinedPath(prefix, journal, entry.path);
    const directory = dirname(aside);
    if (!made.has(directory)) {
      mkdirSync(directory, { recursive: true });
      made.add(directory);
    }
    try {
      moveFile(join(prefix, entry.path), aside, options.rename);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      vanished.push(entry.path);
    }
    bytes += plan.entries[index]?.bytes ?? 0;
    if (options.onProgress !== undefined && (index % 256 === 0 || index === journal.entries.length - 1)) {
      options.onProgress({ done: index + 1, total: journal.entries.length, bytes });
    }
  });
  return vanished;
}

/** Lets the check put files back from the quarantine and set them aside again; vanished ones are skipped. */
function quarantineAccess(prefix: string, journal: Journal, options: ApplyOptions): QuarantineAccess {
  return {
    restore(paths) {
      for (const path of paths) {
        const aside = quarantinedPath(prefix, journal, path);
        if (!existsSync(aside)) continue;
        // Its directory may be one the run removed as emptied.
        mkdirSync(dirname(join(prefix, path)), { recursive: true });
        moveFile(aside, join(prefix, path), options.rename);
      }
    },
    setAside(paths) {
      for (const path of paths) {
        if (existsSync(join(prefix, path))) moveFile(join(prefix, path), quarantinedPath(prefix, journal, path), options.rename);
      }
      removeDirectories(prefix, journal);
    },
  };
}

/** The error of a run that stopped with its journal in place, for recover to finish. */
function incomplete(prefix: string, what: string, cause: unknown): PruneError {
  return new PruneError('CP_APPLY_INCOMPLETE', `the prune of ${prefix} is incomplete: ${what}`, {
    hint: `fix the cause, then run: conda-prune recover ${prefix} (journal: ${statePaths(prefix).journal})`,
    cause,
  });
}

/** Reverts a quarantine run that failed midway; a roll-forward run is left for recover. */
function failed(prefix: string, journal: Journal, error: unknown): PruneError {
  const cause = error as NodeJS.ErrnoException;
  const what = `${cause.code ?? 'error'}: ${cause.message}`;
  if (journal.mode === 'roll-forward') {
    return new PruneError('CP_APPLY_INCOMPLETE', `the prune of ${prefix} stopped midway (${what})`, {
      hint: `fix the cause, then run: conda-prune recover ${prefix} (it finishes the run from its journal)`,
      cause: error,
    });
  }
  try {
    revertRun(prefix, journal);
  } catch (revertError) {
    return new PruneError('CP_APPLY_INCOMPLETE', `the prune of ${prefix} stopped midway (${what}) and putting files back failed too (${(revertError as Error).message})`, {
      hint: `fix the cause, then run: conda-prune recover ${prefix} (journal: ${statePaths(prefix).journal})`,
      cause: error,
    });
  }
  return new PruneError('CP_APPLY_ROLLED_BACK', `the prune of ${prefix} stopped midway (${what}); every file was put back`, {
    hint: 'fix the cause (a file that cannot be moved, a full disk), then run apply again',
    cause: error,
  });
}

function buildJournal(plan: Plan, environment: Environment, options: ApplyOptions): Journal {
  const now = (options.now ?? (() => new Date()))();
  const runId = `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
  const paths = statePaths(environment.prefix);
  const owned = new Set(plan.entries.map((entry) => entry.package));
  const records = environment.packages.filter((pkg) => pkg.source === 'conda' && owned.has(pkg.name)).map((pkg) => pkg.recordPath);
  return {
    schemaVersion: 1,
    runId,
    mode: options.verify ? 'quarantine' : 'roll-forward',
    prefix: environment.prefix,
    startedAt: now.toISOString(),
    quarantine: relative(environment.prefix, paths.quarantine(runId)),
    keepBackup: options.keepBackup === true && options.verify,
    entries: plan.entries.map((entry) => ({ path: entry.path, kind: entry.kind })),
    directories: plan.directories.flatMap((path) => {
      try {
        return [{ path, mode: lstatSync(join(environment.prefix, path)).mode }];
      } catch {
        return [];
      }
    }),
    records,
    history: {
      runId,
      appliedAt: now.toISOString(),
      tool: { name: 'conda-prune', version: toolVersion() },
      maxRisk: plan.maxRisk,
      verified: options.verify && options.check !== undefined,
      profiles: plan.profiles.map(({ name, version, source, sha256 }) => ({ name, version, source, sha256 })),
      totals: { files: plan.totals.files, bytes: plan.totals.bytes, directories: plan.totals.directories },
      pathsFile: `runs/${runId}.paths`,
      ...(options.keepBackup === true && options.verify ? { backup: relative(environment.prefix, paths.backup(runId)) } : {}),
    },
  };
}
