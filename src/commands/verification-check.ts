/**
 * The import smoke test around an apply: run once before the prune to learn the baseline (a
 * module already broken is reported, never blamed), once after; only regressions fail the run,
 * each traced to the rules whose removed files it needed.
 */
import type { CheckOutcome, QuarantineAccess } from '../apply/apply-plan.ts';
import { readEnvironment } from '../environment/read-environment.ts';
import type { Plan, PlanEntry } from '../plan/types.ts';
import { findRemovedModules, type RemovedModule } from '../verify/find-removed-modules.ts';
import { blameRegressions, compareVerifications, discoverModules, verifyEnvironment, type Blame, type VerifyComparison, type VerifyResult } from '../verify/public-api.ts';

/** The verify flags apply shares with the verify command. */
export interface VerifyFlags {
  import: string[];
  run: string[];
}

/** What the check hands back to apply, and apply to its JSON result. */
export interface VerificationReport {
  before: VerifyResult;
  after: VerifyResult;
  comparison: VerifyComparison;
  blame: Blame[];
  /** Modules not imported because their own package's profile removes them whole. */
  removedOnPurpose: RemovedModule[];
}

/** Runs the baseline now and returns the check apply calls after the prune. */
export async function createVerificationCheck(prefix: string, plan: Plan, flags: VerifyFlags): Promise<(quarantine: QuarantineAccess) => Promise<CheckOutcome>> {
  const environment = readEnvironment(prefix);
  const discovered = discoverModules(environment);
  // A module a package's own profile removes whole (pip from an image that installs nothing) is
  // gone by intent; one a profile promises or the user names is checked all the same.
  const removedOnPurpose = findRemovedModules(discovered, environment, plan);
  const leftOut = new Set(removedOnPurpose.map((removed) => removed.module));
  const imports = [
    // What the profiles that took part promise still imports…
    ...plan.profiles.filter((profile) => profile.appliedTo.length > 0).flatMap((profile) => profile.verifyImports ?? []),
    // …every top-level module the env's packages provide…
    ...discovered.map((found) => found.module).filter((module) => !leftOut.has(module)),
    // …and what the user named.
    ...flags.import,
  ];
  const options = { prefix, imports: [...new Set(imports)], run: flags.run };
  const before = await verifyEnvironment({ ...options, environment });
  return async (quarantine) => {
    // Apply's journal is still there until it commits; this check is part of that run.
    const after = await verifyEnvironment({ ...options, environment: readEnvironment(prefix, { withinRun: true }) });
    const comparison = compareVerifications(before, after);
    const blame = blameRegressions(comparison.regressions, plan, { prefixes: [environment.prefix, environment.realPrefix] });
    await blameByRestoring(blame, plan, quarantine, (imports, run) => verifyEnvironment({ prefix, imports, run, environment: readEnvironment(prefix, { withinRun: true }) }));
    const report: VerificationReport = { before, after, comparison, blame, removedOnPurpose };
    return { ok: comparison.regressions.length === 0, report };
  };
}

/**
 * Traces regressions whose error text matched no removed file by restoring the plan's rules one
 * at a time from the quarantine: a rule whose files make the failing checks pass again is the
 * one they need. Each rule's files are set aside again before the next is tried.
 */
async function blameByRestoring(blame: Blame[], plan: Plan, quarantine: QuarantineAccess, reverify: (imports: string[], run: string[]) => Promise<VerifyResult>): Promise<void> {
  const unexplained = blame.filter((item) => item.rules.length === 0);
  if (unexplained.length === 0) return;
  const imports = unexplained.flatMap((item) => (item.check.module === undefined ? [] : [item.check.module]));
  const run = unexplained.flatMap((item) => (item.check.command === undefined ? [] : [item.check.command]));
  const byRule = new Map<string, PlanEntry[]>();
  for (const entry of plan.entries) byRule.set(`${entry.profile}/${entry.rule}`, [...(byRule.get(`${entry.profile}/${entry.rule}`) ?? []), entry]);
  for (const [key, entries] of byRule) {
    const paths = entries.map((entry) => entry.path);
    quarantine.restore(paths);
    let result: VerifyResult;
    try {
      result = await reverify(imports, run);
    } finally {
      quarantine.setAside(paths);
    }
    const [profile = '', rule = ''] = key.split('/');
    for (const item of unexplained) {
      const check = result.checks.find((candidate) => candidate.kind === item.check.kind && (candidate.module ?? candidate.command) === (item.check.module ?? item.check.command));
      if (check?.ok === true) item.rules.push({ profile, rule, entries, evidence: [{ kind: 'restored-rule', clue: `passes with ${key} restored` }] });
    }
  }
}
