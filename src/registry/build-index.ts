/**
 * Builds a registry index from a folder of profiles (`conda-prune registry build DIR`):
 * validates every profile with the same loader that reads them at plan time, and lists each
 * version with its path and sha256. Every problem of every file is reported in one run.
 */
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { PruneError, type Issue } from '../errors.ts';
import { loadProfile } from '../profiles/load-profile.ts';
import { indexFileName } from './registry-index.ts';
import type { IndexEntry, RegistryIndex } from './types.ts';

/** Builds the index of the profiles under `directory`. */
export function buildRegistryIndex(directory: string): RegistryIndex {
  const profiles = new Map<string, IndexEntry[]>();
  const issues: Issue[] = [];
  const where = new Map<string, string>();
  for (const file of listProfileFiles(directory)) {
    const path = relative(directory, file).split(sep).join('/');
    let loaded;
    try {
      loaded = loadProfile({ kind: 'file', path: file }, [path]);
    } catch (error) {
      if (!(error instanceof PruneError)) throw error;
      issues.push(...(error.issues.length > 0 ? error.issues : [{ file, path: '', message: error.message }]));
      continue;
    }
    const key = `${loaded.name}@${loaded.version}`;
    const earlier = where.get(key);
    if (earlier !== undefined) {
      issues.push({ file, path: 'version', message: `${loaded.name} ${loaded.version} is also in ${earlier}; bump the version of one of them` });
      continue;
    }
    where.set(key, path);
    profiles.set(loaded.name, [...(profiles.get(loaded.name) ?? []), { version: loaded.version, path, sha256: loaded.source.sha256 }]);
  }
  if (issues.length > 0) {
    throw new PruneError('CP_PROFILE_INVALID', `${directory}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the registry's profiles`, {
      hint: 'fix each problem listed, then build the index again',
      issues,
    });
  }
  return { profiles };
}

/** Lists the YAML files below `directory`, sorted, skipping the index itself and hidden folders. */
function listProfileFiles(directory: string): string[] {
  const files: string[] = [];
  const walk = (folder: string, top: boolean): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      throw new PruneError('CP_USAGE', `cannot read ${folder}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { hint: 'name a folder of profile YAML files' });
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      // Links are not followed: a registry is published as the files it holds.
      if (entry.isDirectory()) walk(path, false);
      else if (entry.isFile() && /\.ya?ml$/.test(entry.name) && !(top && entry.name === indexFileName)) files.push(path);
    }
  };
  walk(directory, true);
  return files;
}
