/**
 * Loads one profile from its reference: reads the file (bounded in size), parses and validates
 * it, and records where it came from with the sha256 of its bytes. Registry profiles are read
 * from the local copy an earlier, asynchronous step located, so loading stays synchronous.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { PruneError } from '../errors.ts';
import type { Profile } from './types.ts';
import { registryReferenceText, type ProfileReference } from './reference.ts';
import { maxYamlBytes, parseYamlDocument } from './yaml-document.ts';
import { validateProfile } from './validate-profile.ts';
import { listBuiltinProfiles, readBuiltinProfile, type BuiltinProfileText } from './builtin-profiles.ts';
import type { LocatedProfile } from '../registry/types.ts';

/**
 * Loads and validates the profile a reference names; `via` is the chain that led here, and
 * `located` the local copy of a registry profile (required for registry references).
 */
export function loadProfile(reference: ProfileReference, via: string[], located?: LocatedProfile): Profile {
  if (reference.kind === 'registry') return loadRegistryProfile(reference, via, located);
  const { location, bytes, profile: validated } = reference.kind === 'builtin' ? readBuiltin(reference.name, via) : { location: reference.path, bytes: readBounded(reference.path, via), profile: undefined };
  if (validated !== undefined) return validated;
  return parseProfile(bytes, { kind: reference.kind, location, sha256: createHash('sha256').update(bytes).digest('hex') }, via);
}

function parseProfile(bytes: Buffer, source: Profile['source'], via: string[]): Profile {
  const text = bytes.toString('utf8');
  const location = source.location;
  const { profile, issues } = validateProfile(parseYamlDocument(text, location), source, location);
  if (profile === undefined) {
    throw new PruneError('CP_PROFILE_INVALID', `${location}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in profile`, {
      hint: 'fix each problem listed; the JSON Schema in schema/profile.schema.json lets an editor check the file as you type',
      via,
      issues,
    });
  }
  return profile;
}

function loadRegistryProfile(reference: Extract<ProfileReference, { kind: 'registry' }>, via: string[], located: LocatedProfile | undefined): Profile {
  const written = registryReferenceText(reference);
  if (located === undefined) {
    throw new PruneError('CP_LOCKFILE_STALE', `registry profile ${written} was not fetched before loading`, {
      hint: 'resolve registry references with resolveSelection (the CLI does) so they are fetched and verified first',
      via,
    });
  }
  const bytes = readBounded(located.file, via);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // Checked again on every load: the cached copy may have changed since it was located.
  if (sha256 !== located.sha256) {
    throw new PruneError('CP_INTEGRITY', `${located.file} (${written} ${located.version}) has sha256 ${sha256}, not ${located.sha256}`, {
      hint: `delete ${located.file} so it is downloaded and checked again`,
      via,
    });
  }
  // A registry profile is reported by its URL: that is where a reader can fetch the same bytes.
  const profile = parseProfile(bytes, { kind: 'file', location: located.url, sha256 }, via);
  if (profile.name !== reference.name || profile.version !== located.version) {
    throw new PruneError('CP_REGISTRY_INVALID', `${located.url} holds ${profile.name} ${profile.version}, but the index lists it as ${reference.name} ${located.version}`, {
      hint: 'regenerate the registry index with `conda-prune registry build` and publish it again',
      via,
    });
  }
  return profile;
}

function readBuiltin(name: string, via: string[]): BuiltinProfileText {
  const found = readBuiltinProfile(name);
  if (found !== undefined) return found;
  throw new PruneError('CP_PROFILE_NOT_FOUND', `profile builtin:${name} not found`, { hint: `builtin profiles: ${listBuiltinProfiles().join(', ')}`, via });
}

function readBounded(location: string, via: string[]): Buffer {
  let size: number;
  try {
    const stats = statSync(location);
    if (!stats.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    size = stats.size;
  } catch {
    throw new PruneError('CP_PROFILE_NOT_FOUND', `profile ${location} not found`, {
      hint: 'check the path; relative paths resolve against the working directory or the referring file',
      via,
    });
  }
  // Checked before reading, so a 100 MB file is refused without being loaded into memory.
  if (size > maxYamlBytes) {
    throw new PruneError('CP_PROFILE_INVALID', `${location} is ${size} bytes; profiles are limited to ${maxYamlBytes} bytes`, {
      hint: 'split the profile, or check that the path names a profile at all',
      via,
    });
  }
  return readFileSync(location);
}
