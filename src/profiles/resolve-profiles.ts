/**
 * Resolves the user's selection (a preset and profile references) into the list of profiles
 * that take part in a plan, expanding `extends` depth-first with cycle detection.
 */
import { dirname } from 'node:path';
import { PruneError } from '../errors.ts';
import type { ProfileSelection, ResolvedProfile, Risk } from './types.ts';
import { parseReference, referenceKey, type ProfileReference } from './reference.ts';
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
}

/** Resolves presets and profile references into the profiles of a plan. */
export function resolveProfiles(options: SelectionOptions): ProfileSelection {
  const profiles = options.profiles ?? [];
  const roots = [...(options.preset !== undefined || profiles.length === 0 ? [options.preset ?? 'default'] : []), ...profiles];
  const resolved: ResolvedProfile[] = [];
  const seen = new Set<string>();
  let presetRisk: Risk | undefined;

  const visit = (reference: ProfileReference, written: string, chain: string[], keys: string[]): void => {
    const key = referenceKey(reference);
    const via = [...chain, written];
    if (keys.includes(key)) {
      throw new PruneError('CP_PROFILE_CYCLE', `profile ${written} extends itself: ${via.join(' → ')}`, {
        hint: 'remove one of the extends entries in this chain',
        via,
      });
    }
    if (seen.has(key)) return;
    seen.add(key);
    const profile = loadProfile(reference, via);
    resolved.push({ profile, via });
    const base = reference.kind === 'file' ? dirname(reference.path) : options.cwd;
    for (const child of profile.extends) {
      visit(withBuiltinContext(parseReference(child, base), reference), child, via, [...keys, key]);
    }
  };

  for (const root of roots) {
    const reference = parseReference(root, options.cwd);
    const before = resolved.length;
    visit(reference, root, [], []);
    const top = resolved[before]?.profile;
    // The cap comes from the preset the user named, not from presets it happens to extend.
    if (top?.maxRisk !== undefined && presetRisk === undefined) presetRisk = top.maxRisk;
  }
  const selection: ProfileSelection = { profiles: resolved, maxRisk: options.maxRisk ?? presetRisk ?? 'safe' };
  if (options.disable !== undefined && options.disable.length > 0) selection.disabled = new Set(options.disable);
  return selection;
}

/** Builtin profiles refer to each other by bare name; keep that from reading a local file. */
function withBuiltinContext(reference: ProfileReference, parent: ProfileReference): ProfileReference {
  if (parent.kind === 'builtin' && reference.kind === 'file') {
    throw new PruneError('CP_BAD_REFERENCE', `builtin profile ${parent.name} refers to a file (${reference.path})`, {
      hint: 'builtin profiles may only extend other builtin profiles',
    });
  }
  return reference;
}
