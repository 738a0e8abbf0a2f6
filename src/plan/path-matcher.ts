/**
 * Matches prefix-relative paths against a rule's globs quickly. Most paths fail a glob on a
 * literal part (`lib/python3.11/site-packages/scipy/` before the first wildcard, `.a` after
 * the last), so each glob is guarded by a cheap startsWith/endsWith before its expression runs;
 * picomatch's expressions are correct but slow to fail on long paths. One deliberate difference:
 * `dir/**` names a folder's contents and never matches a file that is merely called `dir`.
 */
import picomatch from 'picomatch';

/** Something that tells whether a path matches. */
export interface PathMatcher {
  test(path: string): boolean;
  /**
   * The same matcher without the globs no path of these shapes can match (null when none is
   * left), so a package's paths are not tried against `include/**` when it ships no include/.
   */
  forShapes(shapes: PathShapes): PathMatcher | null;
}

/** What a set of paths offers the guards: their first segments and their final extensions. */
export interface PathShapes {
  tops: ReadonlySet<string>;
  /** `.a`, `.map`…; '' for a name without a dot. */
  extensions: ReadonlySet<string>;
  /**
   * Every directory the paths lie in, down to `shapeDepth` segments (`lib`, `lib/python3.11`,
   * …, `lib/python3.11/site-packages/scipy`): what tells a package apart inside site-packages.
   */
  directories: ReadonlySet<string>;
}

/** How many leading segments of a directory the shapes keep. */
const shapeDepth = 4;

/**
 * Collects the shapes of every path in one pass. A package's paths come sorted, so most lie in
 * the same leading directories as the path before (only those down to shapeDepth matter), and
 * their names alternate between a few extensions (`.py` beside `__pycache__/*.pyc`): those are
 * recognised by comparing in place, without slicing a string or asking a set, which is most of
 * the cost on 60,000 paths.
 */
export function collectPathShapes(paths: readonly string[]): PathShapes {
  const tops = new Set<string>();
  const extensions = new Set<string>();
  const directories = new Set<string>();
  // The previous path's directories down to shapeDepth segments.
  let leading = '\0';
  // The two extensions met last.
  let recent = '\0';
  let before = '\0';
  for (const path of paths) {
    const lastSlash = path.lastIndexOf('/');
    let end = path.indexOf('/');
    for (let depth = 1; depth < shapeDepth && end !== -1 && end < lastSlash; depth++) end = path.indexOf('/', end + 1);
    // A file at the top is its own first segment, and lies in no directory.
    if (end === -1) tops.add(path);
    else if (!(end === leading.length && path.startsWith(leading))) {
      leading = path.slice(0, end);
      addLeading(tops, directories, path, leading);
    }
    const dot = path.lastIndexOf('.');
    if (dot === -1 || dot < lastSlash) {
      extensions.add('');
      continue;
    }
    const length = path.length - dot;
    if (recent.length === length && path.endsWith(recent)) continue;
    if (before.length === length && path.endsWith(before)) {
      [recent, before] = [before, recent];
      continue;
    }
    before = recent;
    recent = path.slice(dot);
    extensions.add(recent);
  }
  return { tops, extensions, directories };
}

/** Adds a path's first segment, and each depth of its leading directories (`lib`, `lib/python3.11`, …). */
function addLeading(tops: Set<string>, directories: Set<string>, path: string, leading: string): void {
  for (let at = path.indexOf('/'); at !== -1 && at < leading.length; at = path.indexOf('/', at + 1)) directories.add(path.slice(0, at));
  directories.add(leading);
  const slash = leading.indexOf('/');
  tops.add(slash === -1 ? leading : leading.slice(0, slash));
}

function leadingSegments(directory: string, count: number): string {
  let end = -1;
  for (let segment = 0; segment < count; segment++) {
    end = directory.indexOf('/', end + 1);
    if (end === -1) return directory;
  }
  return directory.slice(0, end);
}

interface GuardedGlob {
  glob: string;
  prefix: string;
  suffix: string;
  /** The longest literal every match contains (`tests` for any directory named tests); '' when unknown. */
  infix: string;
  /** Compiled on the first path that passes the guard; most globs of a plan never get there. */
  expression?: RegExp;
}

// Backslash too: an escaped character is no longer a literal of the path.
const wildcard = /[*?[\]{}()!+@\\]/;

/**
 * Every glob's expression, compiled once per process: the audit compiles the same profiles for
 * each preset it prices, and picomatch's compiler costs more than the matching it serves.
 */
const expressions = new Map<string, RegExp>();

function expressionOf(glob: string): RegExp {
  let expression = expressions.get(glob);
  if (expression === undefined) {
    // `dot` so that `**` also reaches `.hidden` paths, as it does for unowned walks.
    expression = picomatch.makeRe(glob, { dot: true });
    expressions.set(glob, expression);
  }
  return expression;
}

/** Compiles globs into one matcher; returns null when there are none. */
export function compileGlobs(globs: readonly string[]): PathMatcher | null {
  return globs.length === 0 ? null : matcherOf(globs.map(guard));
}

/** A matcher over guarded globs; restricted copies share them, and so their compiled expressions. */
function matcherOf(guarded: readonly GuardedGlob[]): PathMatcher {
  return {
    test(path: string): boolean {
      for (const glob of guarded) {
        if (!path.startsWith(glob.prefix) || !path.endsWith(glob.suffix) || !path.includes(glob.infix)) continue;
        glob.expression ??= expressionOf(glob.glob);
        if (glob.expression.test(path)) return true;
      }
      return false;
    },
    forShapes(shapes: PathShapes): PathMatcher | null {
      const possible = guarded.filter((glob) => canMatchShapes(glob, shapes));
      if (possible.length === guarded.length) return this;
      return possible.length === 0 ? null : matcherOf(possible);
    },
  };
}

/**
 * A glob whose literal prefix names a first segment (`include/`) needs a path under it; one whose
 * literal suffix ends in an extension (`.js.map`) needs a path with that final extension.
 * Anything less certain (a partial first segment, a suffix without a dot) keeps the glob.
 */
function canMatchShapes(glob: GuardedGlob, shapes: PathShapes): boolean {
  const slash = glob.prefix.indexOf('/');
  if (slash !== -1 && !shapes.tops.has(glob.prefix.slice(0, slash))) return false;
  // The literal prefix's directory, cut to shapeDepth segments, must be one the paths lie in.
  const directory = leadingSegments(glob.prefix.slice(0, Math.max(glob.prefix.lastIndexOf('/'), 0)), shapeDepth);
  if (directory !== '' && !shapes.directories.has(directory)) return false;
  const dot = glob.suffix.lastIndexOf('.');
  if (dot !== -1 && !glob.suffix.includes('/', dot) && !shapes.extensions.has(glob.suffix.slice(dot))) return false;
  return true;
}

function guard(glob: string): GuardedGlob {
  const first = glob.search(wildcard);
  if (first === -1) return { glob, prefix: glob, suffix: '', infix: '' };
  const prefix = glob.slice(0, first);
  const tail = glob.slice(lastWildcard(glob) + 1);
  // `**/` also matches no directory at all, so a suffix never keeps its leading slash.
  return { glob, prefix, suffix: tail.startsWith('/') ? tail.slice(1) : tail, infix: requiredInfix(glob) };
}

/**
 * Generic globs (every directory named tests, every __pycache__ file) have no literal prefix, so
 * without this their expression ran on every path of the env. Only globs made of plain wildcards
 * qualify: in braces, classes or extglobs a literal is one alternative, not a requirement. Slashes
 * are trimmed because a globstar may match no directory at all, taking the slash beside it along.
 */
function requiredInfix(glob: string): string {
  if (/[[\]{}()!+@\\]/.test(glob)) return '';
  let longest = '';
  for (const part of glob.split(/[*?]/)) {
    const literal = part.replace(/^\/+|\/+$/g, '');
    if (literal.length > longest.length) longest = literal;
  }
  return longest;
}

function lastWildcard(glob: string): number {
  for (let i = glob.length - 1; i >= 0; i--) if (wildcard.test(glob[i] as string)) return i;
  return -1;
}
