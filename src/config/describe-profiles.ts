/**
 * What `profiles list` and `profiles show` report: the profiles a selection resolved to, where
 * each came from, which packages of an env it applies to, and every rule with its origin.
 */
import type { Environment } from '../environment/types.ts';
import { appliesTo } from '../plan/compile-rules.ts';
import { listBuiltinProfiles } from '../profiles/builtin-profiles.ts';
import { loadProfile } from '../profiles/load-profile.ts';
import type { Profile, ProfileSelection, Rule } from '../profiles/types.ts';

/** One profile as the listing shows it. */
export interface ProfileRow {
  name: string;
  version: string;
  /** `builtin:NAME`, a file path or the URL a registry profile came from. */
  source: string;
  sha256: string;
  /** The references that led to it, outermost first; empty for an available profile not selected. */
  via: string[];
  /** The package it is written for, `*` for a generic profile, empty for a preset. */
  package: string;
  /** Packages of the env it applies to, when an env was given. */
  matches?: string[];
}

/** A rule of the effective profile, with the profile it came from. */
export interface EffectiveRule extends Rule {
  profile: string;
  version: string;
  source: string;
  via: string[];
}

/** Returns where a profile came from, as plans name it. */
export function profileSource(profile: Profile): string {
  return profile.source.kind === 'builtin' ? `builtin:${profile.name}` : profile.source.location;
}

/** Lists the selected profiles, with the env's packages each applies to when an env is given. */
export function describeSelection(selection: ProfileSelection, environment?: Environment): ProfileRow[] {
  return selection.profiles.map(({ profile, via }) => {
    const row: ProfileRow = { name: profile.name, version: profile.version, source: profileSource(profile), sha256: profile.source.sha256, via, package: profile.appliesTo?.package ?? '' };
    if (environment !== undefined) {
      row.matches = environment.packages.filter((pkg) => appliesTo({ profile, via }, pkg)).map((pkg) => `${pkg.name} ${pkg.version}`);
    }
    return row;
  });
}

/** Lists every shipped profile with its version. */
export function describeBuiltins(): ProfileRow[] {
  return listBuiltinProfiles().map((name) => {
    const profile = loadProfile({ kind: 'builtin', name }, [`builtin:${name}`]);
    return { name, version: profile.version, source: `builtin:${name}`, sha256: profile.source.sha256, via: [], package: profile.appliesTo?.package ?? '' };
  });
}

/** Returns every rule the selection's profiles contribute, in resolution order, with its origin. */
export function effectiveRules(selection: ProfileSelection): EffectiveRule[] {
  return selection.profiles.flatMap(({ profile, via }) => profile.rules.map((rule) => ({ ...rule, profile: profile.name, version: profile.version, source: profileSource(profile), via })));
}
