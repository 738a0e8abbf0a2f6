/**
 * Reads a plan saved with `plan --format json` for `apply --plan`, and refuses it when it does
 * not fit the env any more: another prefix, an unknown schema, or records changed since.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PruneError } from '../errors.ts';
import { fingerprintEnvironment } from '../environment/fingerprint.ts';
import { planSchemaVersion, type Plan } from './types.ts';

/** Loads and checks a saved plan against the prefix it is to be applied to. */
export async function loadPlanFile(file: string, prefix: string): Promise<Plan> {
  let plan: Plan;
  try {
    plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  } catch (error) {
    throw new PruneError('CP_PLAN_STALE', `cannot read the plan ${file}: ${(error as Error).message}`, { hint: 'save one with: conda-prune plan PREFIX --format json --output plan.json' });
  }
  if (plan?.schemaVersion !== planSchemaVersion || !Array.isArray(plan.entries) || !Array.isArray(plan.directories) || typeof plan.prefix !== 'string') {
    throw new PruneError('CP_PLAN_STALE', `${file} is not a conda-prune plan of schema version ${planSchemaVersion}`, { hint: 'save one with: conda-prune plan PREFIX --format json --output plan.json' });
  }
  const target = resolve(prefix);
  if (resolve(plan.prefix) !== target) {
    throw new PruneError('CP_PLAN_STALE', `${file} is a plan for ${plan.prefix}, not for ${target}`, { hint: 'apply it to the prefix it was made for, or plan this one' });
  }
  if (plan.fingerprint === undefined || plan.fingerprint !== fingerprintEnvironment(target)) {
    throw new PruneError('CP_PLAN_STALE', `${target} changed since ${file} was made (its conda-meta records differ)`, { hint: 'plan again and apply the new plan' });
  }
  return plan;
}
