/**
 * Where the shipped profiles come from: the profiles/ folder when running from the source tree
 * or the npm package, or the texts embedded at bundle time, so that the single-file bundle
 * needs nothing beside it in a Docker builder stage.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from './types.ts';
import { indexFileName } from '../registry/registry-index.ts';

/** A shipped profile as the bundle embeds it: its text, and the profile the validator made of it. */
export interface EmbeddedProfile {
  text: string;
  profile: Profile;
}

/**
 * Set by scripts/bundle.ts: every shipped profile, validated at build time by the same
 * validator, so the bundle never parses YAML for them (a third of a plan's start-up otherwise).
 */
declare const __CONDA_PRUNE_BUILTIN_PROFILES__: string | undefined;

let parsedEmbedded: Record<string, EmbeddedProfile> | undefined;

/** The embedded profiles, parsed on first use; undefined outside the bundle. */
function embeddedProfiles(): Record<string, EmbeddedProfile> | undefined {
  if (typeof __CONDA_PRUNE_BUILTIN_PROFILES__ === 'undefined') return undefined;
  parsedEmbedded ??= JSON.parse(__CONDA_PRUNE_BUILTIN_PROFILES__) as Record<string, EmbeddedProfile>;
  return parsedEmbedded;
}

/** One shipped profile's bytes and where they came from. */
export interface BuiltinProfileText {
  /** The file path, or `builtin:NAME.yaml` when embedded in the bundle. */
  location: string;
  bytes: Buffer;
  /** The validated profile, when the bundle embedded it. */
  profile?: Profile;
}

/** Returns the folder of the profiles shipped with this release. */
export function builtinProfilesDirectory(): string {
  // src/profiles/ and dist/profiles/ both sit two levels below the package root.
  return fileURLToPath(new URL('../../profiles/', import.meta.url));
}

/** Tells whether a file of profiles/ is a profile: the folder is a registry too, with its index. */
export function isProfileFileName(name: string): boolean {
  return name.endsWith('.yaml') && name !== indexFileName;
}

/** Lists the names of the shipped profiles. */
export function listBuiltinProfiles(): string[] {
  const embedded = embeddedProfiles();
  if (embedded !== undefined) return Object.keys(embedded).sort();
  return readdirSync(builtinProfilesDirectory())
    .filter(isProfileFileName)
    .map((name) => name.slice(0, -'.yaml'.length))
    .sort();
}

/** Returns a shipped profile's text, or undefined when there is none of that name. */
export function readBuiltinProfile(name: string): BuiltinProfileText | undefined {
  if (!isProfileFileName(`${name}.yaml`)) return undefined;
  const embedded = embeddedProfiles();
  if (embedded !== undefined) {
    const entry = embedded[name];
    return entry === undefined ? undefined : { location: entry.profile.source.location, bytes: Buffer.from(entry.text, 'utf8'), profile: entry.profile };
  }
  const location = join(builtinProfilesDirectory(), `${name}.yaml`);
  try {
    return { location, bytes: readFileSync(location) };
  } catch {
    return undefined;
  }
}
