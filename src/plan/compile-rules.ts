/**
 * Compiles the rules of the selected profiles once into matchers, and finds which of them apply
 * to each installed package. Globs become one regular expression per rule, so matching a path
 * costs one regex test per rule, never a glob parse.
 */
import type { Package, PythonInfo } from '../environment/types.ts';
import { risks, type ProfileSelection, type ResolvedProfile, type Rule } from '../profiles/types.ts';
import { expandPlaceholders } from '../profiles/placeholders.ts';
import { matchesVersionSpec } from '../version-spec.ts';
import { compileGlobs, type PathMatcher } from './path-matcher.ts';
import { normalizeDistributionName } from '../environment/read-pip.ts';

/** A rule ready to match prefix-relative paths. */
export interface CompiledRule {
  resolved: ResolvedProfile;
  rule: Rule;
  /** Matches a path the rule removes; null when no glob could be expanded (no python). */
  remove: PathMatcher | null;
  keep: PathMatcher | null;
  /** Remove globs with placeholders expanded, for fast-glob walks of unowned rules. */
  removeGlobs: string[];
  keepGlobs: string[];
}

/** Compiles the rules of every selected profile up to the risk cap, package-specific profiles first. */
export function compileRules(selection: ProfileSelection, python: PythonInfo | undefined): CompiledRule[] {
  const cap = risks.indexOf(selection.maxRisk);
  const ordered = [
    ...selection.profiles.filter((item) => item.profile.appliesTo?.package !== '*'),
    ...selection.profiles.filter((item) => item.profile.appliesTo?.package === '*'),
  ];
  const compiled: CompiledRule[] = [];
  for (const resolved of ordered) {
    for (const rule of resolved.profile.rules) {
      if (risks.indexOf(rule.risk) > cap) continue;
      if (selection.disabled?.has(resolved.profile.name) === true || selection.disabled?.has(`${resolved.profile.name}/${rule.id}`) === true) continue;
      const removeGlobs = expandAll(rule.remove, python);
      const keepGlobs = expandAll(rule.keep, python);
      compiled.push({ resolved, rule, remove: compileGlobs(removeGlobs), keep: compileGlobs(keepGlobs), removeGlobs, keepGlobs });
    }
  }
  return compiled;
}

/** Compiles the selection's own keep globs (the config's `keep`), or null when it has none. */
export function compileSelectionKeep(selection: ProfileSelection, python: PythonInfo | undefined): PathMatcher | null {
  return selection.keep === undefined ? null : compileGlobs(expandAll([...selection.keep], python));
}

/** Returns the compiled rules whose profile applies to the package's name and version. */
export function rulesForPackage(rules: CompiledRule[], pkg: Package): CompiledRule[] {
  return rules.filter((compiled) => appliesTo(compiled.resolved, pkg));
}

/** Tells whether a profile's `appliesTo` selects the package. */
export function appliesTo(resolved: ResolvedProfile, pkg: Pick<Package, 'name' | 'version'> & { source?: Package['source'] }): boolean {
  const target = resolved.profile.appliesTo;
  if (target === undefined) return false;
  if (target.package !== '*' && target.package !== pkg.name && !samePypiName(target.package, pkg)) return false;
  if (target.versions === undefined) return true;
  try {
    return matchesVersionSpec(target.versions, pkg.version);
  } catch {
    // A version conda itself could not order (pip's free-form ones) is not in any range.
    return false;
  }
}

/**
 * Pip names are normalised (`jupyter-core`) where conda keeps `jupyter_core`; a profile written
 * for the conda name still applies to the pip distribution. Conda packages are compared exactly:
 * `typing_extensions` and `typing-extensions` are two different conda packages.
 */
function samePypiName(profilePackage: string, pkg: { name: string; source?: Package['source'] }): boolean {
  return pkg.source === 'pypi' && normalizeDistributionName(profilePackage) === pkg.name;
}

function expandAll(globs: string[], python: PythonInfo | undefined): string[] {
  return globs.flatMap((glob) => {
    const expanded = expandPlaceholders(glob, python);
    return expanded === undefined ? [] : [expanded];
  });
}
