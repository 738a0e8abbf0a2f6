/**
 * conda-prune.lock: the exact version and sha256 of every profile a selection resolved, so
 * that two builds of one commit prune the same files and a registry profile is found offline.
 * Read with every problem reported at once; written deterministically (sorted, no timestamps).
 */
import { existsSync, readFileSync } from 'node:fs';
import { PruneError } from '../errors.ts';
import { FieldReader } from '../config/field-reader.ts';
import { parseYamlDocument } from '../profiles/yaml-document.ts';

/** The lockfile's name, beside the config file (or in the working directory). */
export const lockfileName = 'conda-prune.lock';

/** One locked profile. */
export interface LockedProfile {
  /** `builtin:NAME`, `file:PATH` (relative to the lockfile, `/`-separated) or `REGISTRY/NAME@RANGE`. */
  reference: string;
  name: string;
  version: string;
  sha256: string;
  /** Where a registry profile is downloaded from. */
  url?: string;
}

/** A lockfile's content. */
export interface Lockfile {
  /** Registry name to root URL, as the config declared them when locking. */
  registries: Record<string, string>;
  profiles: LockedProfile[];
}

const sha256Pattern = /^[0-9a-f]{64}$/;

/** Reads a lockfile; returns undefined when there is none. */
export function readLockfile(path: string): Lockfile | undefined {
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PruneError('CP_LOCKFILE_INVALID', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { hint: 'check its permissions' });
  }
  return parseLockfile(text, path);
}

/** Parses and validates lockfile text. */
export function parseLockfile(text: string, file: string): Lockfile {
  const read = new FieldReader(parseYamlDocument(text, file), file);
  const lockfile: Lockfile = { registries: {}, profiles: [] };
  const root = read.issues.length > 0 ? undefined : read.object([], ['lockVersion', 'registries', 'profiles']);
  if (root !== undefined) {
    if (root.lockVersion !== 1) read.report(['lockVersion'], 'must be 1');
    const registries = root.registries === undefined ? {} : (read.object(['registries']) ?? {});
    for (const name of Object.keys(registries)) {
      const url = read.string(['registries', name]);
      if (url !== undefined) lockfile.registries[name] = url;
    }
    const profiles = read.valueAt(['profiles']);
    if (!Array.isArray(profiles)) read.report(['profiles'], 'must be a list');
    else profiles.forEach((_, index) => readEntry(read, index, lockfile));
  }
  if (read.issues.length > 0) {
    throw new PruneError('CP_LOCKFILE_INVALID', `${file}: ${read.issues.length} problem${read.issues.length === 1 ? '' : 's'} in lockfile`, {
      hint: 'the lockfile is written by `conda-prune profiles lock`; delete it and lock again rather than editing it',
      issues: read.issues,
    });
  }
  return lockfile;
}

function readEntry(read: FieldReader, index: number, lockfile: Lockfile): void {
  const path = ['profiles', index];
  if (read.object(path, ['reference', 'name', 'version', 'sha256', 'url']) === undefined) return;
  const reference = read.string([...path, 'reference']);
  const name = read.string([...path, 'name']);
  const version = read.string([...path, 'version']);
  const sha256 = read.string([...path, 'sha256'], sha256Pattern, 'a sha256 in lowercase hex');
  const url = read.valueAt([...path, 'url']) === undefined ? undefined : read.string([...path, 'url']);
  if (reference === undefined || name === undefined || version === undefined || sha256 === undefined) return;
  lockfile.profiles.push({ reference, name, version, sha256, ...(url === undefined ? {} : { url }) });
}

/** Writes a lockfile as YAML: entries sorted by reference, so relocking an unchanged selection changes nothing. */
export function renderLockfile(lockfile: Lockfile): string {
  const lines = ['# conda-prune.lock, written by `conda-prune profiles lock` and `profiles update`; commit it, do not edit it.', 'lockVersion: 1'];
  const names = Object.keys(lockfile.registries).sort();
  lines.push(names.length === 0 ? 'registries: {}' : 'registries:');
  for (const name of names) lines.push(`  ${name}: ${JSON.stringify(lockfile.registries[name])}`);
  const entries = [...lockfile.profiles].sort((a, b) => (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
  lines.push(entries.length === 0 ? 'profiles: []' : 'profiles:');
  for (const entry of entries) {
    lines.push(`  - reference: ${JSON.stringify(entry.reference)}`, `    name: ${entry.name}`, `    version: ${JSON.stringify(entry.version)}`, `    sha256: "${entry.sha256}"`);
    if (entry.url !== undefined) lines.push(`    url: ${JSON.stringify(entry.url)}`);
  }
  return `${lines.join('\n')}\n`;
}
