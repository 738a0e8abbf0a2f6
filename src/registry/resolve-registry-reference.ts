/**
 * Resolves one `REGISTRY/NAME@RANGE` reference to a local, verified file: the version a
 * lockfile pins, or else the highest version in the registry's index that the range accepts;
 * then the cached copy, or else a download whose sha256 must match (CP_INTEGRITY).
 */
import maxSatisfying from 'semver/ranges/max-satisfying.js';
import { PruneError } from '../errors.ts';
import { registryReferenceText } from '../profiles/reference.ts';
import { fetchResource, type FetchOptions } from './fetch-resource.ts';
import { findCachedProfile, sha256Of, storeProfile } from './profile-cache.ts';
import { indexFileName, parseRegistryIndex } from './registry-index.ts';
import type { LocatedProfile, RegistryIndex } from './types.ts';

/** A registry reference with the root URL of its registry. */
export interface RegistryTarget {
  registry: string;
  name: string;
  range: string;
  /** The registry's root URL, ending in `/`. */
  root: string;
}

/** What a lockfile pins for a reference. */
export interface PinnedVersion {
  version: string;
  url: string;
  sha256: string;
}

/** Shared state of one resolution: the cache, download limits and indexes already fetched. */
export interface RegistryContext {
  cache: string;
  fetch: FetchOptions;
  indexes: Map<string, Promise<RegistryIndex>>;
}

/** Locates a registry reference, from its pin when given, else from the registry's index. */
export async function resolveRegistryReference(target: RegistryTarget, context: RegistryContext, pinned?: PinnedVersion): Promise<LocatedProfile> {
  const reference = registryReferenceText(target);
  const chosen = pinned ?? (await chooseVersion(target, context));
  const file = findCachedProfile(context.cache, chosen.sha256, reference) ?? (await download(reference, chosen, context));
  return { registry: target.registry, name: target.name, range: target.range, version: chosen.version, url: chosen.url, sha256: chosen.sha256, file };
}

/** Picks the highest version the range accepts, from the registry's index. */
async function chooseVersion(target: RegistryTarget, context: RegistryContext): Promise<PinnedVersion> {
  const index = await readIndex(target.root, context);
  const entries = index.profiles.get(target.name);
  if (entries === undefined) {
    const names = [...index.profiles.keys()].sort();
    throw new PruneError('CP_PROFILE_NOT_FOUND', `registry ${target.registry} (${target.root}) has no profile ${target.name}`, {
      hint: names.length === 0 ? 'the registry lists no profiles' : `its profiles: ${names.join(', ')}`,
    });
  }
  const version = maxSatisfying(
    entries.map((entry) => entry.version),
    target.range,
  );
  const entry = entries.find((candidate) => candidate.version === version);
  if (entry === undefined) {
    throw new PruneError('CP_REGISTRY_NO_MATCH', `no version of ${target.registry}/${target.name} matches ${target.range}`, {
      hint: `available versions: ${entries.map((candidate) => candidate.version).join(', ')}`,
    });
  }
  const url = new URL(entry.path, target.root);
  // Checked again here although the index validator refuses "..": the URL is what gets fetched.
  if (!url.href.startsWith(target.root)) {
    throw new PruneError('CP_REGISTRY_INVALID', `${target.registry}/${target.name} ${entry.version}: path ${entry.path} leaves the registry`, { hint: 'regenerate the index with `conda-prune registry build`' });
  }
  return { version: entry.version, url: url.href, sha256: entry.sha256 };
}

function readIndex(root: string, context: RegistryContext): Promise<RegistryIndex> {
  let index = context.indexes.get(root);
  if (index === undefined) {
    const url = new URL(indexFileName, root).href;
    index = fetchResource(url, context.fetch).then((bytes) => parseRegistryIndex(bytes.toString('utf8'), url));
    context.indexes.set(root, index);
  }
  return index;
}

async function download(reference: string, chosen: PinnedVersion, context: RegistryContext): Promise<string> {
  const bytes = await fetchResource(chosen.url, context.fetch);
  const actual = sha256Of(bytes);
  if (actual !== chosen.sha256) {
    throw new PruneError('CP_INTEGRITY', `${chosen.url} (${reference} ${chosen.version}) has sha256 ${actual}, not the ${chosen.sha256} its index or lockfile pins`, {
      hint: 'the profile changed after it was published or locked: ask its publisher; if the change is intended, run `conda-prune profiles update`',
    });
  }
  return storeProfile(context.cache, chosen.sha256, bytes);
}
