/**
 * Finds the paths the rules select, before looking at the disk: owned paths from each package's
 * manifest, and unowned files found by walking the prefix for unowned-scope rules.
 */
import type { Environment, Package, PackageFile } from '../environment/types.ts';
import { isUnsafeRelativePath, parentOf } from '../environment/paths.ts';
import type { PlanSkip } from './types.ts';
import { appliesTo, rulesForPackage, type CompiledRule } from './compile-rules.ts';
import { collectPathShapes, type PathMatcher, type PathShapes } from './path-matcher.ts';
import { protectionReason } from './protected-paths.ts';

/** A path a rule selected, still to be checked against the disk. */
export interface Candidate {
  path: string;
  /** Index into `environment.packages`, or -1 for a file no package owns. */
  packageIndex: number;
  /** The record's entry; undefined for unowned files. */
  file?: PackageFile;
  compiled: CompiledRule;
}

/** Candidates and the matched paths that were passed over before any disk access. */
export interface Selection {
  candidates: Candidate[];
  skipped: PlanSkip[];
}

/** Selects the owned paths that the rules applying to each package remove. */
export function selectOwned(environment: Environment, rules: CompiledRule[], selectionKeep: PathMatcher | null = null): Selection {
  const selection: Selection = { candidates: [], skipped: [] };
  const owned = rules.filter((compiled) => compiled.rule.scope === 'owned' && compiled.remove !== null);
  environment.packages.forEach((pkg, packageIndex) => {
    const applicable = rulesForPackage(owned, pkg);
    if (applicable.length === 0) return;
    const { paths } = pkg;
    // Each rule narrowed to the globs this package's paths can match: most generic globs name a
    // folder or an extension the package does not have. Keeps too.
    const shapes = collectPathShapes(paths);
    const narrowed = narrow(applicable, (compiled) => compiled.remove, shapes);
    const keeps = narrow(applicable, (compiled) => compiled.keep, shapes);
    if (narrowed.length === 0) return;
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i] as string;
      const compiled = firstMatch(narrowed, path);
      if (compiled === undefined) continue;
      // Only now is the record's paths_data needed, and only this path's entry.
      const file = pkg.fileAt(i);
      const skip = passOver(path, file, pkg, compiled, keeps, selectionKeep);
      if (skip !== undefined) selection.skipped.push(skip);
      else selection.candidates.push({ path, packageIndex, file, compiled });
    }
  });
  return selection;
}

/**
 * Selects files no package owns (bytecode written after install, pip leftovers) that
 * unowned-scope rules reach, walking the prefix without following links.
 */
export async function selectUnowned(environment: Environment, rules: CompiledRule[], selectionKeep: PathMatcher | null = null): Promise<Selection> {
  const selection: Selection = { candidates: [], skipped: [] };
  const unowned = rules.filter((compiled) => compiled.rule.scope === 'unowned' && compiled.removeGlobs.length > 0);
  if (unowned.length === 0) return selection;
  // Loaded here: only unowned-scope rules walk the disk, and most plans have none.
  const { default: fg } = await import('fast-glob');
  const ownerOfDirectory = indexDirectoryOwners(environment);
  const claimed = new Set<string>();
  for (const compiled of unowned) {
    const found = await fg(compiled.removeGlobs, {
      cwd: environment.prefix,
      dot: true,
      onlyFiles: true,
      followSymbolicLinks: false,
      unique: true,
      // conda-prune's own state (journal, quarantine, backups) is never a candidate; conda's
      // records only for the lastStep rule that exists to remove them.
      ignore: compiled.rule.lastStep === true ? ['.conda-prune/**'] : ['conda-meta/**', '.conda-prune/**'],
    });
    for (const path of found.sort()) {
      // Validation refuses escaping globs; this holds the line should one get through anyway.
      if (isUnsafeRelativePath(path)) continue;
      if (environment.owners.has(path) || claimed.has(path)) continue;
      const packageIndex = ownerOf(path, ownerOfDirectory);
      const pkg = environment.packages[packageIndex];
      const identity = pkg ?? { name: '(unowned)', version: '' };
      if (!appliesTo(compiled.resolved, identity)) continue;
      claimed.add(path);
      const keepers = pkg === undefined ? [] : rulesForPackage(rules, pkg);
      const keeps = narrow(compiled.keep === null ? keepers : [compiled, ...keepers], (rule) => rule.keep, undefined);
      const skip = passOver(path, undefined, identity, compiled, keeps, selectionKeep);
      if (skip !== undefined) selection.skipped.push(skip);
      else selection.candidates.push({ path, packageIndex, compiled });
    }
  }
  return selection;
}

/** A rule with one of its matchers, narrowed to what a package's paths can match. */
interface NarrowedRule {
  compiled: CompiledRule;
  matcher: PathMatcher;
}

/** Pairs each rule with the chosen matcher, narrowed to the shapes when given; rules left with none drop out. */
function narrow(rules: readonly CompiledRule[], matcherOf: (compiled: CompiledRule) => PathMatcher | null, shapes: PathShapes | undefined): NarrowedRule[] {
  return rules.flatMap((compiled) => {
    const full = matcherOf(compiled);
    const matcher = full === null || shapes === undefined ? full : full.forShapes(shapes);
    return matcher === null ? [] : [{ compiled, matcher }];
  });
}

/** Returns the first rule whose remove globs match; a plain loop, as it runs for every path. */
function firstMatch(rules: readonly NarrowedRule[], path: string): CompiledRule | undefined {
  for (const rule of rules) if (rule.matcher.test(path)) return rule.compiled;
  return undefined;
}

/** Returns a skip when the path is protected or kept by any rule that applies to its package. */
function passOver(path: string, file: PackageFile | undefined, pkg: Pick<Package, 'name'>, compiled: CompiledRule, keeps: readonly NarrowedRule[], selectionKeep: PathMatcher | null): PlanSkip | undefined {
  const base = { path, package: pkg.name, profile: compiled.resolved.profile.name, rule: compiled.rule.id };
  const protection = protectionReason(path, file?.pathType ?? 'unknown', compiled.rule.lastStep === true);
  if (protection !== undefined) return { ...base, reason: 'protected', detail: protection };
  // A keep protects the path from every rule of the package, not only from its own rule:
  // keeps name what runtime code imports, which no other profile may take away either.
  if (selectionKeep?.test(path) === true) return { ...base, reason: 'kept', detail: 'kept by the configuration (keep)' };
  const keeper = keeps.find((candidate) => candidate.matcher.test(path))?.compiled;
  if (keeper !== undefined) return { ...base, reason: 'kept', detail: `kept by ${keeper.resolved.profile.name}/${keeper.rule.id}` };
  return undefined;
}

/** Marks a directory whose tree holds files of several packages: it says nothing about an owner. */
const ambiguous = -1;

/**
 * Maps each directory to the one package that owns everything below it, or to `ambiguous`.
 * Recursive on purpose: `lib/python3.11` directly holds only python's files, but site-packages
 * below it makes it everyone's.
 */
function indexDirectoryOwners(environment: Environment): Map<string, number> {
  const owners = new Map<string, number>();
  environment.packages.forEach((pkg, index) => {
    for (const path of pkg.paths) {
      for (let directory = parentOf(path); directory !== ''; directory = parentOf(directory)) {
        const owner = owners.get(directory);
        // Ancestors of a directory already marked by this package or by several are marked too.
        if (owner === index || owner === ambiguous) break;
        owners.set(directory, owner === undefined ? index : ambiguous);
      }
    }
  });
  return owners;
}

function ownerOf(path: string, ownerOfDirectory: Map<string, number>): number {
  // `__pycache__` belongs with the package whose sources sit one level up; the walk stops at a
  // directory several packages share (site-packages itself), which identifies no one.
  for (let directory = parentOf(path); directory !== ''; directory = parentOf(directory)) {
    const owner = ownerOfDirectory.get(directory);
    if (owner !== undefined) return owner;
  }
  return ambiguous;
}

