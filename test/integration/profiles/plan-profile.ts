/**
 * Builds a real env from a package's paths (excerpted from the corpus records) and plans it with
 * one shipped profile, for the per-profile fixture tests.
 */
import { createEnvironment, type PackageSpec } from '../../../fixtures/lib/build-env.ts';
import { readEnvironment } from '../../../src/environment/read-environment.ts';
import { createPlan } from '../../../src/plan/create-plan.ts';
import type { Plan } from '../../../src/plan/types.ts';
import { resolveProfiles } from '../../../src/profiles/resolve-profiles.ts';
import type { Risk } from '../../../src/profiles/types.ts';

/** site-packages of the fixture's python 3.11. */
export const sp = 'lib/python3.11/site-packages';

/** A python record for the env, so `{site-packages}` and `{stdlib}` expand. */
export const python: PackageSpec = {
  name: 'python',
  version: '3.11.9',
  build: 'hb806964_0_cpython',
  files: [{ path: 'bin/python3.11', size: 64 }, { path: 'bin/python3', link: 'python3.11' }, { path: 'lib/python3.11/os.py', size: 40 }],
};

/** A package spec whose files all get a small deterministic size. */
export function pkg(name: string, version: string, paths: string[], extra: Partial<PackageSpec> = {}): PackageSpec {
  return { name, version, build: 'h0_0', files: paths.map((path) => ({ path, size: 16 + (path.length % 50) })), ...extra };
}

/** What a plan did with the package's paths. */
export interface PlannedPaths {
  removed: string[];
  /** `path reason` for every matched path that stays. */
  skipped: string[];
  /** `profile/rule` of every entry, deduplicated. */
  rules: string[];
  plan: Plan;
}

/** Writes the env under prefix and plans it with the named shipped profiles, up to maxRisk. */
export async function planWith(prefix: string, profiles: string[], packages: PackageSpec[], maxRisk: Risk = 'aggressive'): Promise<PlannedPaths> {
  await createEnvironment(prefix, { writer: 'conda', packages: packages.some((item) => item.name === 'python') ? packages : [python, ...packages] });
  const selection = resolveProfiles({ profiles, maxRisk, cwd: prefix });
  const plan = await createPlan(readEnvironment(prefix), selection, { now: () => new Date(0) });
  return {
    removed: plan.entries.map((entry) => entry.path),
    skipped: plan.skipped.map((skip) => `${skip.path} ${skip.reason}`),
    rules: [...new Set(plan.entries.map((entry) => `${entry.profile}/${entry.rule}`))].sort(),
    plan,
  };
}
