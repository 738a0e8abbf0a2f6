/**
 * Finds the discovered modules a plan removes on purpose: every file of the module goes, and
 * every one of them by a profile written for the very package that provides it (pip's
 * `package` rule, which removes pip from images that never install anything). Importing such a
 * module after the prune can only fail, and that failure is the rule's intent, not a regression.
 *
 * A generic profile (one that applies to every package) never removes a module on purpose: a
 * broad glob that takes a whole module by accident is exactly what verification must catch.
 */
import type { Environment } from '../environment/types.ts';
import type { Plan } from '../plan/types.ts';
import type { DiscoveredModule } from './types.ts';

/** A module the plan removes whole, with the rules that remove it. */
export interface RemovedModule {
  module: string;
  package: string;
  /** `profile/rule` names, sorted. */
  rules: string[];
}

/** Returns the discovered modules whose files the plan removes whole through their own package's profile. */
export function findRemovedModules(discovered: readonly DiscoveredModule[], environment: Environment, plan: Plan): RemovedModule[] {
  const sitePackages = environment.python?.sitePackages;
  if (sitePackages === undefined || plan.entries.length === 0) return [];
  const ownProfiles = new Set(plan.profiles.filter((profile) => !profile.appliedTo.includes('*')).map((profile) => profile.name));
  const entryOf = new Map(plan.entries.map((entry) => [entry.path, entry]));
  const removed: RemovedModule[] = [];
  for (const { module, package: name } of discovered) {
    const pkg = environment.packages.find((candidate) => candidate.name === name);
    if (pkg === undefined) continue;
    const files = moduleFiles(pkg.paths, `${sitePackages}/${module.split('.').join('/')}`);
    if (files.length === 0) continue;
    const entries = files.map((path) => entryOf.get(path));
    const whole = entries.every((entry) => entry !== undefined && entry.package === name && ownProfiles.has(entry.profile));
    if (!whole) continue;
    const rules = [...new Set(entries.map((entry) => `${entry?.profile ?? ''}/${entry?.rule ?? ''}`))].sort();
    removed.push({ module, package: name, rules });
  }
  return removed;
}

/** The package's files that make up the module at `base`: its folder, or its single file. */
function moduleFiles(paths: readonly string[], base: string): string[] {
  const folder = `${base}/`;
  const single = `${base}.`;
  return paths.filter((path) => path.startsWith(folder) || (path.startsWith(single) && !path.includes('/', single.length) && /\.(?:py|so|pyd)$/.test(path)));
}
