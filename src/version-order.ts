/**
 * Conda's version ordering (conda/models/version.py, VersionOrder), reproduced rule for rule so
 * that a profile's version range selects exactly the records conda itself would select.
 */
import { PruneError } from './errors.ts';

/** One run inside a component: a number, `Infinity` for `post`, or a lowercased string (`dev` is `DEV`). */
export type VersionAtom = number | bigint | string;

/** A parsed version in the form conda compares: lists of atoms, compared lexicographically. */
export interface VersionOrder {
  /** Trimmed, lowercased text, with `-` read as `_` when the version has no `_`. */
  readonly normalized: string;
  /** The epoch (`[0]` when absent) followed by one atom list per `.`/`_` component. */
  readonly release: readonly (readonly VersionAtom[])[];
  /** Components of the local version after `+`; empty when there is none. */
  readonly local: readonly (readonly VersionAtom[])[];
}

const VERSION_HINT =
  'A conda version is letters and digits separated by "." or "_", with an optional "N!" epoch ' +
  'and "+local" suffix, e.g. 1.26.4, 2024a, 1.1.1w, 1!2.0, 1.0rc1, 3.1.1+cuda118.';
const ALLOWED = /^[*.+!_0-9a-z]+$/;
const RUNS = /[0-9]+|\*+|[^0-9*]+/g;
const DIGITS = /^[0-9]+$/;
const EMPTY: readonly VersionAtom[] = [];
const CACHE_LIMIT = 50_000;
const cache = new Map<string, VersionOrder>();

/** Converts one run; `dev` is upper-cased so it sorts below `_` and every lowercase tag, as in conda. */
function toAtom(run: string): VersionAtom {
  if (DIGITS.test(run)) return run.length <= 15 ? Number(run) : BigInt(run);
  if (run === 'post') return Infinity;
  if (run === 'dev') return 'DEV';
  return run;
}

/** Splits components into atoms; a component that starts with a letter gets a leading 0 to stay in phase. */
function toComponents(parts: string[]): VersionAtom[][] | undefined {
  const out: VersionAtom[][] = [];
  for (const part of parts) {
    const runs = part.match(RUNS);
    if (runs === null) return undefined;
    const atoms = runs.map(toAtom);
    if (!DIGITS.test(part.charAt(0))) atoms.unshift(0);
    out.push(atoms);
  }
  return out;
}

/** Parses like conda's VersionOrder constructor; returns the reason as a string when the text is invalid. */
export function tryParseVersion(text: string): VersionOrder | string {
  let version = text.trim().toLowerCase();
  if (version === '') return 'the version is empty';
  let valid = ALLOWED.test(version);
  // Conda accepts dashes only as a stand-in for underscores, and only when no underscore is present.
  if (!valid && version.includes('-') && !version.includes('_')) {
    version = version.replaceAll('-', '_');
    valid = ALLOWED.test(version);
  }
  if (!valid) {
    const bad = [...version].find((c) => !ALLOWED.test(c)) ?? '';
    return `"${bad}" is not allowed in a version`;
  }
  const bang = version.split('!');
  if (bang.length > 2) return 'the epoch separator "!" appears more than once';
  const epoch = bang.length === 2 ? (bang[0] ?? '') : '0';
  if (!DIGITS.test(epoch)) return 'the epoch before "!" must be an integer';
  const plus = (bang.at(-1) ?? '').split('+');
  if (plus.length > 2) return 'the local version separator "+" appears more than once';
  const main = plus[0] ?? '';
  if (main === '') return plus.length === 2 ? 'nothing comes before the local version "+"' : 'nothing follows the epoch "!"';
  let parts: string[];
  if (main.endsWith('_')) {
    // A trailing underscore stays attached to the last component: the openssl-style `1.0.1_ < 1.0.1a`.
    parts = main.slice(0, -1).replaceAll('_', '.').split('.');
    parts[parts.length - 1] += '_';
  } else {
    parts = main.replaceAll('_', '.').split('.');
  }
  const release = toComponents([epoch, ...parts]);
  const local = plus.length === 2 ? toComponents((plus[1] ?? '').replaceAll('_', '.').split('.')) : [];
  if (release === undefined || local === undefined) return 'a component is empty (two separators in a row, or one at an end)';
  return { normalized: version, release, local };
}

/** Parses a conda version string, caching the result, and throws CP_VERSION_SPEC when it is invalid. */
export function parseVersion(text: string): VersionOrder {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const parsed = tryParseVersion(text);
  if (typeof parsed === 'string') {
    throw new PruneError('CP_VERSION_SPEC', `invalid version "${text}": ${parsed}`, { hint: VERSION_HINT });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, parsed);
  return parsed;
}

/** Orders two atoms: numbers numerically, strings by code point, any string below any number. */
function compareAtoms(a: VersionAtom, b: VersionAtom): -1 | 0 | 1 {
  const aString = typeof a === 'string';
  const bString = typeof b === 'string';
  if (aString !== bString) return aString ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares component lists, padding missing components and atoms with 0 so that 1.1 == 1.1.0. */
function compareParts(a: readonly (readonly VersionAtom[])[], b: readonly (readonly VersionAtom[])[]): -1 | 0 | 1 {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? EMPTY;
    const y = b[i] ?? EMPTY;
    const width = Math.max(x.length, y.length);
    for (let j = 0; j < width; j++) {
      const order = compareAtoms(x[j] ?? 0, y[j] ?? 0);
      if (order !== 0) return order;
    }
  }
  return 0;
}

/** Compares two parsed versions; the local version decides only when the releases are equal. */
export function compareVersionOrders(a: VersionOrder, b: VersionOrder): -1 | 0 | 1 {
  return compareParts(a.release, b.release) || compareParts(a.local, b.local);
}

/** Compares two version strings the way conda orders them. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  return compareVersionOrders(parseVersion(a), parseVersion(b));
}

/**
 * Tests whether `version` begins with `prefix` component by component, the prefix's last atom
 * matching as a string prefix when it is a string (so 2013ab starts with 2013a), as conda's
 * VersionOrder.startswith does.
 */
export function versionStartsWith(version: VersionOrder, prefix: VersionOrder): boolean {
  let mine = version.release;
  let theirs = prefix.release;
  if (prefix.local.length > 0) {
    if (compareParts(mine, theirs) !== 0) return false;
    mine = version.local;
    theirs = prefix.local;
  }
  const last = theirs.length - 1;
  if (compareParts(mine.slice(0, last), theirs.slice(0, last)) !== 0) return false;
  const mineLast = mine[last] ?? EMPTY;
  const theirsLast = theirs[last] ?? EMPTY;
  const lastAtom = theirsLast.length - 1;
  if (compareParts([mineLast.slice(0, lastAtom)], [theirsLast.slice(0, lastAtom)]) !== 0) return false;
  const a = mineLast[lastAtom] ?? 0;
  const b = theirsLast[lastAtom] ?? 0;
  if (typeof b === 'string') return typeof a === 'string' && a.startsWith(b);
  return compareAtoms(a, b) === 0;
}
