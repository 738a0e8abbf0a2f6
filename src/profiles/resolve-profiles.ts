/**
 * Resolves the user's selection (a preset and profile references) into the list of profiles
 * that take part in a plan, expanding `extends` depth-first with cycle detection. Registry
 * profiles must have been located on disk first (resolveSelection does it), so this stays pure
 * and synchronous.
 */
import { dirname } from 'node:path';
import { PruneError } from '../errors.ts';
import type { LocatedProfiles } from '../registry/types.ts';
import type { Profile, ProfileSelection, ResolvedProfile, Risk } from './types.ts';
import { parseReference, referenceKey, registryReferenceText, type ProfileReference } from './reference.ts';
import { loadProfile } from './load-profile.ts';

/** What the user asked for. */
export interface SelectionOptions {
  /** A preset name (builtin) or reference; defaults to `default` when no profile is named either. */
  preset?: string;
  profiles?: string[];
  /** Overrides the preset's cap. */
  maxRisk?: Risk;
  /** Rules (`PROFILE/RULE`) or whole profiles (`PROFILE`) to leave out. */
  disable?: string[];
  /** Directory that relative references resolve against. */
  cwd: string;
  /** Registry names the config declares, to their root URLs; `REGISTRY/NAME@RANGE` may name only these. */
  registries?: Readonly<Record<string, string>>;
  /** Registry profiles already located on disk, by canonical reference (`team/scipy@^1`). */
  located?: LocatedProfiles;
  /** Versions and sha256 a lockfile pins for builtin (`builtin:NAME`) and file (`file:/abs`) profiles. */
  pins?: ReadonlyMap<string, { version: string; sha256: string }>;
  /** Globs no rule may remove, whatever the package (the config's `keep`). */
  keep?: string[];
}

/** Resolves presets and profile references into the profiles of a plan. */
export function resolveProfiles(options: SelectionOptions): ProfileSelection {
  const profiles = options.profiles ?? [];
  const roots = [...(options.preset !== undefined || profiles.length === 0 ? [options.preset ?? 'default'] : []), ...profiles];
  const registries = new Set(Object.keys(options.registries ?? {}));
  const resolved: ResolvedProfile[] = [];
  const seen = new Set<string>();
  let presetRisk: Risk | undefined;

  const visit = (reference: ProfileReference, written: string, chain: string[], keys: string[]): void => {
    const via = [...chain, written];
    const located = reference.kind === 'registry' ? options.located?.get(registryReferenceText(reference)) : undefined;
    // Two ranges that resolve to one version are one profile: a cycle through either is a cycle.
    const key = located === undefined ? referenceKey(reference) : `registry:${located.registry}/${located.name}@${located.version}`;
    if (keys.includes(key)) {
      throw new PruneError('CP_PROFILE_CYCLE', `profile ${written} extends itself: ${via.join(' → ')}`, {
        hint: 'remove one of the extends entries in this chain',
        via,
      });
    }
    if (seen.has(key)) return;
    seen.add(key);
    const profile = withVia(via, () => loadProfile(reference, via, located));
    checkPin(reference, profile, options.pins, via);
    resolved.push({ profile, via });
    const base = reference.kind === 'file' ? dirname(reference.path) : options.cwd;
    for (const child of profile.extends) {
      const childReference = withVia([...via, child], () => checkContext(parseReference(child, base, registries), reference));
      visit(childReference, child, via, [...keys, key]);
    }
  };

  for (const root of roots) {
    const reference = withVia([root], () => parseReference(root, options.cwd, registries));
    const before = resolved.length;
    visit(reference, root, [], []);
    const top = resolved[before]?.profile;
    // The cap comes from the preset the user named, not from presets it happens to extend.
    if (top?.maxRisk !== undefined && presetRisk === undefined) presetRisk = top.maxRisk;
  }
  const selection: ProfileSelection = { profiles: resolved, maxRisk: options.maxRisk ?? presetRisk ?? 'safe' };
  if (options.disable !== undefined && options.disable.length > 0) selection.disabled = new Set(options.disable);
  if (options.keep !== undefined && options.keep.length > 0) selection.keep = options.keep;
  return selection;
}

/** Builtin profiles refer to each other by bare name, registry profiles to builtins and registries: neither reads a local file. */
function checkContext(reference: ProfileReference, parent: ProfileReference): ProfileReference {
  if (parent.kind === 'builtin' && reference.kind !== 'builtin') {
    const target = reference.kind === 'file' ? `a file (${reference.path})` : `a registry profile (${registryReferenceText(reference)})`;
    throw new PruneError('CP_BAD_REFERENCE', `builtin profile ${parent.name} refers to ${target}`, {
      hint: 'builtin profiles may only extend other builtin profiles',
    });
  }
  if (parent.kind === 'registry' && reference.kind === 'file') {
    // A relative path would be read from the consumer's disk, not from the registry, unverified.
    throw new PruneError('CP_BAD_REFERENCE', `registry profile ${registryReferenceText(parent)} refers to a file (${reference.path})`, {
      hint: 'a registry profile may extend builtin:NAME and REGISTRY/NAME@RANGE references only',
    });
  }
  return reference;
}

/** Refuses a builtin or file profile whose bytes differ from what the lockfile pinned. */
function checkPin(reference: ProfileReference, profile: Profile, pins: SelectionOptions['pins'], via: string[]): void {
  if (pins === undefined || reference.kind === 'registry') return;
  const pin = pins.get(referenceKey(reference));
  if (pin === undefined || pin.sha256 === profile.source.sha256) return;
  const what = reference.kind === 'builtin' ? `builtin profile ${reference.name}` : `profile ${reference.path}`;
  throw new PruneError('CP_INTEGRITY', `${what} is ${profile.version} with sha256 ${profile.source.sha256}, but conda-prune.lock pins ${pin.version} with ${pin.sha256}`, {
    hint: reference.kind === 'builtin' ? 'this conda-prune release ships another version of it: run `conda-prune profiles update` to accept it' : 'the file changed since it was locked: run `conda-prune profiles update` to accept the change',
    via,
  });
}

/** Runs `load`, adding the chain of references to a PruneError that does not carry one yet. */
function withVia<T>(via: string[], load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof PruneError) || error.via.length > 0) throw error;
    const options = { via, issues: error.issues, cause: error.cause, ...(error.hint === undefined ? {} : { hint: error.hint }) };
    throw new PruneError(error.code, error.message, options);
  }
}
