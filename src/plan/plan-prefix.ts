/**
 * The `plan` use case from inputs to Plan: read the environment, resolve the profile selection,
 * compute the plan. The CLI and the programmatic API both call this one function.
 */
import { readEnvironment } from '../environment/read-environment.ts';
import { fingerprintEnvironment } from '../environment/fingerprint.ts';
import { resolveProfiles, type SelectionOptions } from '../profiles/resolve-profiles.ts';
import { createPlan, type PlanOptions } from './create-plan.ts';
import type { Plan } from './types.ts';

/** Inputs of planPrefix. */
export interface PlanPrefixOptions extends SelectionOptions, PlanOptions {
  prefix: string;
}

/** Reads the environment at a prefix and plans the prune the selected profiles describe. */
export async function planPrefix(options: PlanPrefixOptions): Promise<Plan> {
  const environment = readEnvironment(options.prefix);
  const selection = resolveProfiles(options);
  const plan = await createPlan(environment, selection, options);
  plan.fingerprint = fingerprintEnvironment(environment.prefix);
  return plan;
}
