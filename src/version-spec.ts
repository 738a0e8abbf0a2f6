/**
 * The version part of conda match specs (conda/models/version.py, VersionSpec): relational
 * operators, `=` and `.*` prefixes, `~=`, `*` globs, `,` (and) binding tighter than `|` (or), and
 * parentheses. A bare version means exactly that version (`==`), as in conda's VersionSpec; the
 * `numpy=1.2` → `1.2*` rewrite belongs to conda's MatchSpec parser, not to this grammar.
 */
import { PruneError } from './errors.ts';
import {
  compareVersionOrders,
  parseVersion,
  tryParseVersion,
  versionStartsWith,
  type VersionOrder,
} from './version-order.ts';

export { compareVersions, parseVersion, type VersionOrder } from './version-order.ts';

/** A parsed version spec that can be tested against installed versions. */
export interface VersionSpec {
  /** The spec text as written. */
  readonly source: string;
  /** Tests whether a version string satisfies the spec; throws CP_VERSION_SPEC for an invalid version. */
  matches(version: string): boolean;
}

type Matcher = (version: string) => boolean;

const SPEC_HINT =
  'Write a conda version spec: 1.2 (exactly 1.2), 1.2.* or =1.2 (starts with 1.2), >=1.2,<2 ' +
  '("," is and), 1.2|1.4 ("|" is or, binding looser than ","), ~=1.2, !=1.2.*, * (any), ' +
  'with parentheses to group; no spaces after an operator, no regular expressions.';
// Same shape as conda's operator regex: the lookahead rejects `<>`, `===` and `>=!`.
const RELATION = /^(==|!=|<=|>=|~=|=|<|>)(?![=<>!~])(\S+)$/;
const OPERATOR_START = '=<>!~';
const GLOB_CHARS = /^[*.+!_0-9a-zA-Z-]+$/;
const CACHE_LIMIT = 10_000;
const specCache = new Map<string, VersionSpec>();

function fail(spec: string, message: string): never {
  throw new PruneError('CP_VERSION_SPEC', `invalid version spec "${spec}": ${message}`, { hint: SPEC_HINT });
}

/** Builds the matcher for one constraint such as `>=1.2`, `1.2.*` or `1.*.1`; `at` is its 1-based column. */
function compileLeaf(spec: string, leaf: string, at: number): Matcher {
  const where = `"${leaf}" at column ${at}`;
  const target = (text: string): VersionOrder => {
    const parsed = tryParseVersion(text);
    return typeof parsed === 'string' ? fail(spec, `${where}: ${parsed}`) : parsed;
  };
  if (OPERATOR_START.includes(leaf.charAt(0))) {
    const match = RELATION.exec(leaf);
    if (match === null) fail(spec, `${where} has an unknown operator or a space after it`);
    let operator = match[1] ?? '';
    let text = match[2] ?? '';
    if (text.endsWith('.*')) {
      // Conda drops a trailing .* after any operator but ~=; after != it means "does not start with".
      if (operator === '~=') fail(spec, `${where}: ~= cannot be combined with .*`);
      if (operator === '!=') operator = '!=*';
      text = text.slice(0, -2);
    }
    const version = target(text);
    return relation(spec, where, operator, version);
  }
  if (leaf === '*') return () => true;
  if (leaf.replace(/\*+$/, '').includes('*')) {
    if (!GLOB_CHARS.test(leaf)) fail(spec, `${where}: a glob may contain only version characters and *`);
    const glob = new RegExp(`^(?:${leaf.replace(/[.+]/g, '\\$&').replaceAll('*', '.*')})$`);
    // Like conda, a glob is matched against the version text as recorded, not the parsed version.
    return (version) => glob.test(version);
  }
  if (leaf.endsWith('*')) {
    const dotted = leaf.endsWith('.*') ? leaf : `${leaf.slice(0, -1)}.*`;
    const prefix = target(dotted.replace(/\*+$/, '').replace(/\.+$/, ''));
    return (version) => versionStartsWith(parseVersion(version), prefix);
  }
  const exact = target(leaf);
  return (version) => compareVersionOrders(parseVersion(version), exact) === 0;
}

/** Builds the matcher for an operator and its already-parsed version. */
function relation(spec: string, where: string, operator: string, target: VersionOrder): Matcher {
  const order = (version: string): number => compareVersionOrders(parseVersion(version), target);
  switch (operator) {
    case '==': return (v) => order(v) === 0;
    case '!=': return (v) => order(v) !== 0;
    case '<=': return (v) => order(v) <= 0;
    case '>=': return (v) => order(v) >= 0;
    case '<': return (v) => order(v) < 0;
    case '>': return (v) => order(v) > 0;
    case '=': return (v) => versionStartsWith(parseVersion(v), target);
    case '!=*': return (v) => !versionStartsWith(parseVersion(v), target);
    default: {
      // ~=1.4.2 means >=1.4.2 and starts with 1.4: conda drops the last "."-separated part of the text.
      const stem = target.normalized.split('.').slice(0, -1).join('.');
      if (stem === '') fail(spec, `${where}: ~= needs a version with at least two "."-separated parts`);
      const prefix = tryParseVersion(stem);
      if (typeof prefix === 'string') fail(spec, `${where}: ${prefix}`);
      return (v) => order(v) >= 0 && versionStartsWith(parseVersion(v), prefix);
    }
  }
}

/** Parses `a|b` over `a,b` over `(…)` and constraints, reporting the column of the first problem. */
function compileSpec(spec: string): Matcher {
  let pos = 0;
  const skipSpaces = (): void => {
    while (pos < spec.length && /\s/.test(spec.charAt(pos))) pos++;
  };
  const list = (separator: string, item: () => Matcher, combine: (ms: Matcher[]) => Matcher): Matcher => {
    const items = [item()];
    for (skipSpaces(); spec.charAt(pos) === separator; skipSpaces()) {
      pos++;
      items.push(item());
    }
    return items.length === 1 ? (items[0] as Matcher) : combine(items);
  };
  const anyOf = (): Matcher => list('|', allOf, (ms) => (v) => ms.some((m) => m(v)));
  const allOf = (): Matcher => list(',', atom, (ms) => (v) => ms.every((m) => m(v)));
  const atom = (): Matcher => {
    skipSpaces();
    const start = pos;
    if (spec.charAt(pos) === '(') {
      pos++;
      const inner = anyOf();
      if (spec.charAt(pos) !== ')') fail(spec, `the "(" at column ${start + 1} is never closed`);
      pos++;
      return inner;
    }
    while (pos < spec.length && !'()|,'.includes(spec.charAt(pos))) pos++;
    const leaf = spec.slice(start, pos).trim();
    if (leaf === '') {
      const found = pos < spec.length ? `"${spec.charAt(pos)}"` : 'the end';
      fail(spec, `expected a version constraint at column ${start + 1}, found ${found}`);
    }
    return compileLeaf(spec, leaf, start + 1);
  };
  if (/[\^$]/.test(spec)) fail(spec, 'regular-expression specs (^…$) are not supported; use operators or * globs');
  const matcher = anyOf();
  if (pos < spec.length) fail(spec, `unexpected "${spec.charAt(pos)}" at column ${pos + 1}`);
  return matcher;
}

/** Parses a conda version spec such as `>=1.21,<3` or `1.2|1.4`, throwing CP_VERSION_SPEC on bad syntax. */
export function parseVersionSpec(spec: string): VersionSpec {
  const matcher = compileSpec(spec);
  return { source: spec, matches: matcher };
}

/** Tests a version against a spec, parsing each distinct spec only once. */
export function matchesVersionSpec(spec: string, version: string): boolean {
  let parsed = specCache.get(spec);
  if (parsed === undefined) {
    parsed = parseVersionSpec(spec);
    if (specCache.size >= CACHE_LIMIT) specCache.clear();
    specCache.set(spec, parsed);
  }
  return parsed.matches(version);
}
