/**
 * The asynchronous step before resolution: walks the selection's references and their
 * `extends`, and locates every registry profile on local disk (lockfile pin or index, then
 * cache or download, sha256 checked), so the synchronous loader never touches the network.
 */
import { dirname } from 'node:path';
import { PruneError } from '../errors.ts';
import { loadProfile } from '../profiles/load-profile.ts';
import { parseReference, referenceKey, registryReferenceText, type ProfileReference } from '../profiles/reference.ts';
import { resolveRegistryReference, type PinnedVersion, type RegistryContext } from './resolve-registry-reference.ts';
import type { LocatedProfile } from './types.ts';

/** Inputs of locateRegistryProfiles. */
export interface LocateOptions {
  /** The selection's references as written (preset first). */
  roots: string[];
  cwd: string;
  /** Registry name to root URL. */
  registries: Readonly<Record<string, string>>;
  context: RegistryContext;
  /** Returns the lockfile's pin for a canonical reference; may throw when the lock must pin it and does not. */
  pinned(reference: string, via: string[]): PinnedVersion | undefined;
}

/** Locates every registry profile the selection reaches, by canonical reference. */
export async function locateRegistryProfiles(options: LocateOptions): Promise<Map<string, LocatedProfile>> {
  const located = new Map<string, LocatedProfile>();
  const registries = new Set(Object.keys(options.registries));
  const visited = new Set<string>();

  const visit = async (reference: ProfileReference, via: string[]): Promise<void> => {
    const key = referenceKey(reference);
    // A cycle stops here; the synchronous resolver reports it with its chain.
    if (visited.has(key) || reference.kind === 'builtin') return;
    visited.add(key);
    let found: LocatedProfile | undefined;
    if (reference.kind === 'registry') {
      const text = registryReferenceText(reference);
      const root = options.registries[reference.registry] as string;
      found = await withChain(via, () => resolveRegistryReference({ ...reference, root }, options.context, options.pinned(text, via)));
      located.set(text, found);
    }
    const profile = loadProfile(reference, via, found);
    const base = reference.kind === 'file' ? dirname(reference.path) : options.cwd;
    for (const child of profile.extends) {
      const childVia = [...via, child];
      let parsed: ProfileReference;
      try {
        parsed = parseReference(child, base, registries);
      } catch (error) {
        throw addChain(error, childVia);
      }
      // A registry profile's file references are refused by the resolver, never read from here.
      if (reference.kind === 'registry' && parsed.kind === 'file') continue;
      await visit(parsed, childVia);
    }
  };

  for (const root of options.roots) {
    let parsed: ProfileReference;
    try {
      parsed = parseReference(root, options.cwd, registries);
    } catch (error) {
      throw addChain(error, [root]);
    }
    await visit(parsed, [root]);
  }
  return located;
}

async function withChain<T>(via: string[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw addChain(error, via);
  }
}

function addChain(error: unknown, via: string[]): unknown {
  if (!(error instanceof PruneError) || error.via.length > 0) return error;
  return new PruneError(error.code, error.message, { via, issues: error.issues, cause: error.cause, ...(error.hint === undefined ? {} : { hint: error.hint }) });
}
