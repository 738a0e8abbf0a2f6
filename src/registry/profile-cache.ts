/**
 * The local cache of registry profiles, content-addressed by sha256, so that a build with a
 * lockfile finds every pinned profile without the network, and a changed copy is noticed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PruneError } from '../errors.ts';
import { writeFileAtomic } from '../fs/write-atomic.ts';

/** The environment variable that overrides the cache location (the --cache-dir flag wins over it). */
export const cacheDirectoryVariable = 'CONDA_PRUNE_CACHE_DIR';

/** Returns the cache folder: the flag, else $CONDA_PRUNE_CACHE_DIR, else $XDG_CACHE_HOME/conda-prune, else ~/.cache/conda-prune. */
export function cacheDirectory(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag !== undefined && flag !== '') return flag;
  const override = env[cacheDirectoryVariable];
  if (override !== undefined && override !== '') return override;
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'conda-prune');
}

/** Returns the sha256 of bytes in lowercase hex. */
export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Returns where the cache keeps the profile with this sha256. */
export function cachedProfilePath(cache: string, sha256: string): string {
  return join(cache, 'profiles', `${sha256}.yaml`);
}

/** Returns the cached copy's path when there is one; throws CP_INTEGRITY when it was changed. */
export function findCachedProfile(cache: string, sha256: string, label: string): string | undefined {
  const path = cachedProfilePath(cache, sha256);
  if (!existsSync(path)) return undefined;
  const actual = sha256Of(readFileSync(path));
  if (actual !== sha256) {
    throw new PruneError('CP_INTEGRITY', `the cached copy of ${label} (${path}) has sha256 ${actual}, not ${sha256}`, {
      hint: `something changed the cache; delete ${path} so it is downloaded and checked again`,
    });
  }
  return path;
}

/** Stores a verified profile in the cache and returns its path. */
export function storeProfile(cache: string, sha256: string, bytes: Buffer): string {
  const path = cachedProfilePath(cache, sha256);
  try {
    mkdirSync(join(cache, 'profiles'), { recursive: true });
    writeFileAtomic(path, bytes);
  } catch (error) {
    throw new PruneError('CP_OUTPUT', `cannot write the profile cache ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: `make the folder writable, or choose another with --cache-dir or ${cacheDirectoryVariable}`,
    });
  }
  return path;
}
