/**
 * The whole-plan preflight apply runs before its first change: every safety violation at once,
 * and any of them refuses the run (exit 3, nothing touched). A stale entry refuses too: the env
 * changed under the plan, and a new plan is the honest answer.
 */
import { homedir } from 'node:os';
import type { Environment } from '../environment/types.ts';
import type { Plan } from '../plan/types.ts';
import { checkPlanSafety } from '../safety/check-plan-safety.ts';
import { createSafetyError } from '../safety/safety-error.ts';

/** Throws CP_SAFETY_REFUSED listing every violation, or returns when the plan may run. */
export function runPreflight(plan: Plan, environment: Environment, home: string | undefined = homedir()): void {
  const violations = checkPlanSafety(plan, { prefix: environment.prefix, realPrefix: environment.realPrefix, home });
  if (violations.length > 0) throw createSafetyError(violations, environment.prefix);
}
