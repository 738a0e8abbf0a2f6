/**
 * The import smoke test around an apply: run once before the prune to learn the baseline (a
 * module already broken is reported, never blamed), once after; only regressions fail the run,
 * each traced to the rules whose removed files it needed.
 */
import type { CheckOutcome } from '../apply/apply-plan.ts';
import { readEnvironment } from '../environment/read-environment.ts';
import type { Plan } from '../plan/types.ts';
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
}

/** Runs the baseline now and returns the check apply calls after the prune. */
export async function createVerificationCheck(prefix: string, plan: Plan, flags: VerifyFlags): Promise<() => Promise<CheckOutcome>> {
  const environment = readEnvironment(prefix);
  const imports = [
    // What the profiles that took part promise still imports…
    ...plan.profiles.filter((profile) => profile.appliedTo.length > 0).flatMap((profile) => profile.verifyImports ?? []),
    // …every top-level module the env's packages provide…
    ...discoverModules(environment).map((found) => found.module),
    // …and what the user named.
    ...flags.import,
  ];
  const options = { prefix, imports: [...new Set(imports)], run: flags.run };
  const before = await verifyEnvironment({ ...options, environment });
  return async () => {
    // Apply's journal is still there until it commits; this check is part of that run.
    const after = await verifyEnvironment({ ...options, environment: readEnvironment(prefix, { withinRun: true }) });
    const comparison = compareVerifications(before, after);
    const blame = blameRegressions(comparison.regressions, plan, { prefixes: [environment.prefix, environment.realPrefix] });
    const report: VerificationReport = { before, after, comparison, blame };
    return { ok: comparison.regressions.length === 0, report };
  };
}
