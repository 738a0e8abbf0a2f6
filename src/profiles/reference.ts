/**
 * The grammar of profile references. Every form names its source explicitly, so a reference
 * never silently switches from a local file to a builtin profile, or to a registry, or back.
 *
 *   builtin:NAME           a profile shipped in profiles/
 *   NAME                   short for builtin:NAME (no slash, no colon, no .yaml ending)
 *   ./x.yaml, /x.yml       a YAML file; relative to the file or directory that refers to it
 *   REGISTRY/NAME@RANGE    the highest version of NAME in a configured registry that the semver
 *                          RANGE accepts (`team/scipy@^1`, `team/scipy@1.2.0`)
 */
import { isAbsolute, resolve } from 'node:path';
// One function of semver, not its index: the index loads every module of the package at start-up.
import validRange from 'semver/ranges/valid.js';
import { PruneError } from '../errors.ts';

/** A parsed reference. */
export type ProfileReference =
  | { kind: 'builtin'; name: string }
  | { kind: 'file'; path: string }
  | { kind: 'registry'; registry: string; name: string; range: string };

const builtinName = /^[a-z0-9_][a-z0-9_.+-]*$/;
const registryForm = /^([^/@\s]+)\/([^/@\s]+)@(.+)$/;

/** A registry name as the config file declares it. */
export const registryNamePattern = /^[a-z0-9][a-z0-9_.-]*$/;

/**
 * Parses a reference as written; paths resolve against `baseDirectory`, and `REGISTRY/…`
 * references only name the registries in `registries` (the ones the config file declares).
 */
export function parseReference(text: string, baseDirectory: string, registries: ReadonlySet<string> = new Set()): ProfileReference {
  const trimmed = text.trim();
  if (trimmed.startsWith('builtin:')) return builtin(trimmed.slice('builtin:'.length), text);
  if (/\.ya?ml$/i.test(trimmed) || trimmed.startsWith('.') || isAbsolute(trimmed)) {
    return { kind: 'file', path: resolve(baseDirectory, trimmed) };
  }
  if (!trimmed.includes('/') && !trimmed.includes(':')) return builtin(trimmed, text);
  const registry = registryForm.exec(trimmed);
  if (registry !== null && registries.has(registry[1] as string)) return registryReference(registry[1] as string, registry[2] as string, (registry[3] as string).trim(), text);
  const unknownRegistry = registry === null ? '' : ` (no registry "${registry[1]}" is configured; declare it under registries: in conda-prune.yaml)`;
  throw new PruneError('CP_BAD_REFERENCE', `cannot tell what profile reference "${text}" names`, {
    hint: `use builtin:NAME for a shipped profile, a path ending in .yaml (./profiles/mine.yaml), or REGISTRY/NAME@RANGE${unknownRegistry}`,
  });
}

function builtin(name: string, text: string): ProfileReference {
  if (!builtinName.test(name)) {
    throw new PruneError('CP_BAD_REFERENCE', `"${text}" is not a valid builtin profile name`, {
      hint: 'builtin names are conda package names, e.g. builtin:scipy; `conda-prune profiles list` shows them',
    });
  }
  return { kind: 'builtin', name };
}

function registryReference(registry: string, name: string, range: string, text: string): ProfileReference {
  if (!builtinName.test(name)) {
    throw new PruneError('CP_BAD_REFERENCE', `"${text}": "${name}" is not a valid profile name`, {
      hint: 'profile names are conda package names: lowercase letters, digits, _ . + -',
    });
  }
  // semver reads "latest" or "" as nothing at all; a range must say what it accepts.
  if (validRange(range) === null) {
    throw new PruneError('CP_BAD_REFERENCE', `"${text}": "${range}" is not a semver range`, {
      hint: 'write a range such as ^1, ~1.2, >=1.2.0 <2 or an exact 1.2.0 (use * to accept any version)',
    });
  }
  return { kind: 'registry', registry, name, range };
}

/** Returns a stable identity of a reference, for cycle detection and de-duplication. */
export function referenceKey(reference: ProfileReference): string {
  if (reference.kind === 'builtin') return `builtin:${reference.name}`;
  if (reference.kind === 'file') return `file:${reference.path}`;
  return registryReferenceText(reference);
}

/** Writes a registry reference in its canonical form, the key of lockfile and cache entries. */
export function registryReferenceText(reference: { registry: string; name: string; range: string }): string {
  return `${reference.registry}/${reference.name}@${reference.range}`;
}
