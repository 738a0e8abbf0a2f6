/**
 * The grammar of profile references. Every form names its source explicitly, so a reference
 * never silently switches from a local file to a builtin profile or back.
 *
 *   builtin:NAME      a profile shipped in profiles/
 *   NAME              short for builtin:NAME (no slash, no colon, no .yaml ending)
 *   ./x.yaml, /x.yml  a YAML file; relative to the file or directory that refers to it
 */
import { isAbsolute, resolve } from 'node:path';
import { PruneError } from '../errors.ts';

/** A parsed reference. */
export type ProfileReference = { kind: 'builtin'; name: string } | { kind: 'file'; path: string };

const builtinName = /^[a-z0-9_][a-z0-9_.+-]*$/;

/** Parses a reference as written; paths resolve against `baseDirectory`. */
export function parseReference(text: string, baseDirectory: string): ProfileReference {
  const trimmed = text.trim();
  if (trimmed.startsWith('builtin:')) return builtin(trimmed.slice('builtin:'.length), text);
  if (/\.ya?ml$/i.test(trimmed) || trimmed.startsWith('.') || isAbsolute(trimmed)) {
    return { kind: 'file', path: resolve(baseDirectory, trimmed) };
  }
  if (!trimmed.includes('/') && !trimmed.includes(':')) return builtin(trimmed, text);
  throw new PruneError('CP_BAD_REFERENCE', `cannot tell what profile reference "${text}" names`, {
    hint: 'use builtin:NAME for a shipped profile, or a path ending in .yaml (./profiles/mine.yaml)',
  });
}

function builtin(name: string, text: string): ProfileReference {
  if (!builtinName.test(name)) {
    throw new PruneError('CP_BAD_REFERENCE', `"${text}" is not a valid builtin profile name`, {
      hint: 'builtin names are conda package names, e.g. builtin:scipy; list them with the profiles/ folder',
    });
  }
  return { kind: 'builtin', name };
}

/** Returns a stable identity of a reference, for cycle detection and de-duplication. */
export function referenceKey(reference: ProfileReference): string {
  return reference.kind === 'builtin' ? `builtin:${reference.name}` : `file:${reference.path}`;
}
