/**
 * Sets an after run against its before run, so a prune is judged only by what it changed: a
 * module that was already broken is reported, never blamed.
 */
import type { VerifyCheck, VerifyComparison, VerifyResult } from './types.ts';

/** Sorts the after run's failures into regressions, still-broken checks and fixed ones. */
export function compareVerifications(before: VerifyResult, after: VerifyResult): VerifyComparison {
  const baseline = new Map(before.checks.map((check) => [checkKey(check), check]));
  const comparison: VerifyComparison = { regressions: [], stillBroken: [], fixed: [] };
  for (const check of after.checks) {
    const earlier = baseline.get(checkKey(check));
    if (check.ok) {
      if (earlier !== undefined && !earlier.ok) comparison.fixed.push(check);
    } else if (earlier !== undefined && !earlier.ok) {
      comparison.stillBroken.push(check);
    } else {
      // Without a baseline there is no proof it was broken before, so it counts against the prune.
      comparison.regressions.push(check);
    }
  }
  return comparison;
}

/** Returns the identity of a check across runs: its kind and its module or command. */
export function checkKey(check: VerifyCheck): string {
  return check.kind === 'import' ? `import:${check.module ?? ''}` : `run:${check.command ?? ''}`;
}
