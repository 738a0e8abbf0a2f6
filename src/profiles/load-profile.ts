/**
 * Loads one profile from its reference: reads the file (bounded in size), parses and validates
 * it, and records where it came from with the sha256 of its bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { PruneError } from '../errors.ts';
import type { Profile } from './types.ts';
import type { ProfileReference } from './reference.ts';
import { maxYamlBytes, parseYamlDocument } from './yaml-document.ts';
import { validateProfile } from './validate-profile.ts';
import { listBuiltinProfiles, readBuiltinProfile, type BuiltinProfileText } from './builtin-profiles.ts';

/** Loads and validates the profile a reference names; `via` is the chain that led here. */
export function loadProfile(reference: ProfileReference, via: string[]): Profile {
  const { location, bytes, profile: validated } = reference.kind === 'builtin' ? readBuiltin(reference.name, via) : { location: reference.path, bytes: readBounded(reference.path, via), profile: undefined };
  if (validated !== undefined) return validated;
  const text = bytes.toString('utf8');
  const source = { kind: reference.kind, location, sha256: createHash('sha256').update(bytes).digest('hex') };
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
