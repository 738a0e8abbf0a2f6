/**
 * Resolves a prepared selection and records what it resolved to as a lockfile: every profile,
 * builtin, file or registry, with its version and sha256.
 */
import { dirname, relative, sep } from 'node:path';
import type { PreparedSelection } from '../config/prepare-selection.ts';
import { resolveProfiles } from '../profiles/resolve-profiles.ts';
import type { ProfileSelection } from '../profiles/types.ts';
import type { Lockfile, LockedProfile } from './lockfile.ts';

/** Resolves the selection and returns the lockfile that pins it, with the selection itself. */
export function createLockfile(prepared: PreparedSelection): { lockfile: Lockfile; selection: ProfileSelection } {
  const selection = resolveProfiles(prepared);
  const located = [...(prepared.located?.values() ?? [])];
  const registryUrls = new Set(located.map((item) => item.url));
  const lockDirectory = dirname(prepared.lockfilePath);
  const profiles: LockedProfile[] = located.map((item) => ({ reference: `${item.registry}/${item.name}@${item.range}`, name: item.name, version: item.version, sha256: item.sha256, url: item.url }));
  for (const { profile } of selection.profiles) {
    if (registryUrls.has(profile.source.location)) continue;
    const reference = profile.source.kind === 'builtin' ? `builtin:${profile.name}` : `file:${relative(lockDirectory, profile.source.location).split(sep).join('/')}`;
    profiles.push({ reference, name: profile.name, version: profile.version, sha256: profile.source.sha256 });
  }
  return { lockfile: { registries: { ...(prepared.registries ?? {}) }, profiles }, selection };
}

