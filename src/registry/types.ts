/**
 * Shapes shared by the registry modules: an index as the core uses it, and a registry profile
 * once it has been located on local disk with the version and sha256 it resolved to.
 */

/** One version of a profile as an index lists it. */
export interface IndexEntry {
  version: string;
  /** Path of the profile file, relative to the registry's root. */
  path: string;
  sha256: string;
}

/** A registry's index.yaml, normalised: profile name to its versions, highest first. */
export interface RegistryIndex {
  profiles: Map<string, IndexEntry[]>;
}

/** A registry profile resolved to one version and stored in a local file. */
export interface LocatedProfile {
  registry: string;
  name: string;
  /** The range as written in the reference. */
  range: string;
  version: string;
  /** Where the profile was (or would be) downloaded from. */
  url: string;
  sha256: string;
  /** The local copy (cache entry) the sync loader reads. */
  file: string;
}

/** Located registry profiles, keyed by their canonical reference text (`team/scipy@^1`). */
export type LocatedProfiles = ReadonlyMap<string, LocatedProfile>;
