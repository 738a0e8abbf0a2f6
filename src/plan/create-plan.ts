/**
 * Computes the plan of a prune: environment × profiles → every file to remove, with owner,
 * profile, rule and bytes, and every matched file that stays, with the reason. Reads the disk
 * only through lstat and readdir; changes nothing.
 */
import type { Environment, Package } from '../environment/types.ts';
import type { ProfileSelection } from '../profiles/types.ts';
import { toolVersion } from '../version.ts';
import { appliesTo, compileRules } from './compile-rules.ts';
import { selectOwned, selectUnowned } from './select-candidates.ts';
import { inspectCandidates } from './inspect-candidates.ts';
import { findEmptiedDirectories } from './find-emptied-directories.ts';
import { summarize } from './summarize.ts';
import { planSchemaVersion, type Plan, type PlanProfile } from './types.ts';

/** Options of createPlan. */
export interface PlanOptions {
  /** Clock for `createdAt`; tests pass a fixed one. */
  now?: () => Date;
}

/** Computes what the selected profiles would remove from the environment. */
export async function createPlan(environment: Environment, selection: ProfileSelection, options: PlanOptions = {}): Promise<Plan> {
  const rules = compileRules(selection, environment.python);
  const owned = selectOwned(environment, rules);
  const unowned = await selectUnowned(environment, rules);
  const inspection = inspectCandidates(environment, [...owned.candidates, ...unowned.candidates]);
  const entries = inspection.entries.sort((a, b) => compareText(a.path, b.path));
  const skipped = [...owned.skipped, ...unowned.skipped, ...inspection.skipped].sort((a, b) => compareText(a.path, b.path));
  const directories = findEmptiedDirectories(
    environment.prefix,
    entries.map((entry) => entry.path),
  );
  const plan: Plan = {
    schemaVersion: planSchemaVersion,
    tool: { name: 'conda-prune', version: toolVersion() },
    prefix: environment.prefix,
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    maxRisk: selection.maxRisk,
    packages: environment.packages.length,
    profiles: describeProfiles(selection, environment.packages),
    entries,
    directories,
    skipped,
    totals: {
      files: entries.length,
      bytes: entries.reduce((sum, entry) => sum + entry.bytes, 0),
      uniqueFiles: inspection.uniqueFiles,
      uniqueBytes: inspection.uniqueBytes,
      directories: directories.length,
    },
    summary: summarize(entries),
    problems: environment.problems,
  };
  if (environment.python !== undefined) plan.python = { version: environment.python.version, sitePackages: environment.python.sitePackages };
  return plan;
}

function describeProfiles(selection: ProfileSelection, packages: Package[]): PlanProfile[] {
  return selection.profiles.map(({ profile, via }) => ({
    name: profile.name,
    version: profile.version,
    source: profile.source.kind === 'builtin' ? `builtin:${profile.name}` : profile.source.location,
    sha256: profile.source.sha256,
    via,
    appliedTo:
      profile.appliesTo === undefined ? [] : profile.appliesTo.package === '*' ? ['*'] : packages.filter((pkg) => appliesTo({ profile, via }, pkg)).map((pkg) => pkg.name),
  }));
}

/** Orders paths by code unit, so plans are byte-identical across locales. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
