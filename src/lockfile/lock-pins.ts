/**
 * Reads what a lockfile pins, in the shapes resolution needs: sha256 pins of builtin and file
 * profiles, and the exact version, URL and sha256 of each registry reference.
 */
import { dirname, resolve } from 'node:path';
import { PruneError } from '../errors.ts';
import type { PinnedVersion } from '../registry/resolve-registry-reference.ts';
import type { Lockfile } from './lockfile.ts';

/** Returns the pins of builtin (`builtin:NAME`) and file (`file:/abs`) profiles. */
export function lockPins(lockfile: Lockfile, lockfilePath: string): Map<string, { version: string; sha256: string }> {
  const pins = new Map<string, { version: string; sha256: string }>();
  for (const entry of lockfile.profiles) {
    if (entry.reference.startsWith('builtin:')) pins.set(entry.reference, entry);
    else if (entry.reference.startsWith('file:')) pins.set(`file:${resolve(dirname(lockfilePath), entry.reference.slice('file:'.length))}`, entry);
  }
  return pins;
}

/**
 * Returns the lockfile's pin of a registry reference. A pin whose registry URL changed since
 * locking no longer counts; with `required`, a reference without a valid pin is refused, so a
 * locked build never reaches the network for a profile nobody locked.
 */
export function pinnedRegistryVersion(lockfile: Lockfile, reference: string, registries: Readonly<Record<string, string>>, required: boolean, via: string[]): PinnedVersion | undefined {
  const entry = lockfile.profiles.find((candidate) => candidate.reference === reference);
  const registry = reference.slice(0, reference.indexOf('/'));
  const moved = lockfile.registries[registry] !== registries[registry];
  if (entry !== undefined && entry.url !== undefined && !moved) return { version: entry.version, url: entry.url, sha256: entry.sha256 };
  if (!required) return undefined;
  throw new PruneError('CP_LOCKFILE_STALE', moved && entry !== undefined ? `registry ${registry} has another URL than when conda-prune.lock was written` : `conda-prune.lock does not pin ${reference}`, {
    hint: 'run `conda-prune profiles lock` (or `profiles update`) after changing the config, and commit the lockfile',
    via,
  });
}
