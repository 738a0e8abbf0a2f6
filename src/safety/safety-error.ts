/**
 * Turns preflight violations into the one error a refused run throws (CP_SAFETY_REFUSED, exit 3),
 * with every violation as an issue, so the CLI and `--json` show them all at once.
 */
import { PruneError, type Issue } from '../errors.ts';
import type { SafetyViolation } from './types.ts';

/** Creates the CP_SAFETY_REFUSED error for violations found in the run on `prefix`. */
export function createSafetyError(violations: readonly SafetyViolation[], prefix: string): PruneError {
  const count = violations.length;
  const first = violations[0];
  const summary = count === 1 && first !== undefined ? first.message : `${count} safety violations`;
  return new PruneError('CP_SAFETY_REFUSED', `refused to prune ${prefix}: ${summary}; nothing was touched`, {
    hint: hintFor(violations),
    issues: violations.map(toIssue),
  });
}

/** Returns a violation as an issue: the path it is about, where in the plan, code and message. */
export function toIssue(violation: SafetyViolation): Issue {
  return { file: violation.path, path: violation.location, message: `${violation.code}: ${violation.message}` };
}

function hintFor(violations: readonly SafetyViolation[]): string {
  if (violations.every((violation) => violation.location === 'prefix')) return 'point at the environment itself, e.g. /opt/conda/envs/app';
  if (violations.some((violation) => violation.severity === 'refuse')) return 'fix or remove the profile rules that select these paths, then plan again';
  return 'the environment changed since the plan was made: make a new plan';
}
