/**
 * Refuses prefixes no prune may ever run on: the filesystem root, the home directory and its
 * parents, by the path as given and by its real path, so a symlink to `/` is refused as `/`.
 * No flag overrides these.
 */
import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { createSafetyError } from './safety-error.ts';
import type { SafetyContext, SafetyViolation } from './types.ts';

/**
 * Throws CP_SAFETY_REFUSED when the prefix, or its real path, is `/`, the home directory or a
 * parent of it.
 *
 * @remarks Meant for the start of every command, before anything reads the prefix. A prefix that
 * does not exist passes: the command's own reader reports that with its usual code.
 */
export function assertSafePrefix(prefix: string, home: string | undefined = homedir()): void {
  const absolute = resolve(prefix);
  const violations = findPrefixDangers([absolute, realPathOf(absolute) ?? absolute], absolute, home);
  if (violations.length > 0) throw createSafetyError(violations, absolute);
}

/** Checks the prefix of a run: dangerous places, existence, a moved real path, conda-meta/. */
export function checkPrefix(context: SafetyContext): SafetyViolation[] {
  const absolute = resolve(context.prefix);
  const actual = realPathOf(absolute);
  const dangers = findPrefixDangers([absolute, context.realPrefix, actual ?? absolute], absolute, context.home);
  // Past a refused prefix nothing else is worth a system call.
  if (dangers.length > 0) return dangers;
  if (actual === undefined) return [violation('CP_SAFETY_PREFIX_MISSING', absolute, `${absolute} does not exist or cannot be resolved`)];
  if (actual !== context.realPrefix) {
    return [violation('CP_SAFETY_PREFIX_MOVED', absolute, `${absolute} now resolves to ${actual}, not to ${context.realPrefix} as when it was read`)];
  }
  if (!isDirectory(join(absolute, 'conda-meta'))) {
    return [violation('CP_SAFETY_PREFIX_NOT_ENV', absolute, `${absolute} has no conda-meta/ directory: it is not a conda environment`)];
  }
  return [];
}

function findPrefixDangers(spellings: string[], absolute: string, home: string | undefined): SafetyViolation[] {
  const candidates = [...new Set(spellings.map(trimSeparator))];
  if (candidates.includes(sep)) {
    return [violation('CP_SAFETY_PREFIX_ROOT', absolute, `${describe(absolute, candidates, sep)} is the filesystem root`)];
  }
  if (home === undefined || home === '') return [];
  const homes = [...new Set([trimSeparator(resolve(home)), trimSeparator(realPathOf(resolve(home)) ?? resolve(home))])];
  for (const candidate of candidates) {
    const match = homes.find((dir) => dir === candidate || dir.startsWith(`${candidate}${sep}`));
    if (match === undefined) continue;
    const what = match === candidate ? 'the home directory' : `a parent of the home directory ${match}`;
    return [violation('CP_SAFETY_PREFIX_HOME', absolute, `${describe(absolute, candidates, candidate)} is ${what}`)];
  }
  return [];
}

function describe(absolute: string, candidates: string[], match: string): string {
  return candidates[0] === match ? `prefix ${absolute}` : `prefix ${absolute} resolves to ${match}, which`;
}

function violation(code: SafetyViolation['code'], path: string, message: string): SafetyViolation {
  return { code, severity: 'refuse', path, location: 'prefix', message };
}

function realPathOf(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function trimSeparator(path: string): string {
  return path.length > 1 && path.endsWith(sep) ? path.slice(0, -1) : path;
}
