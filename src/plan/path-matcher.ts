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
 * Collects the first segment and final extension of every path in one pass. A package's paths
 * come sorted, so most share the previous path's first segment and many its extension: those are
 * recognised without slicing, which is most of the cost on 60,000 paths.
 */
export function collectPathShapes(paths: readonly string[]): PathShapes {
  const tops = new Set<string>();
  const extensions = new Set<string>();
  const directories = new Set<string>();
  let top = '\0';
  let extension = '\0';
  let directory = '\0';
  for (const path of paths) {
    if (!(path.startsWith(directory) && path.charCodeAt(directory.length) === 47 && path.indexOf('/', directory.length + 1) === -1)) {
      directory = path.slice(0, Math.max(path.lastIndexOf('/'), 0));
      addDirectories(directories, directory);
    }
    if (!(path.startsWith(top) && path.charCodeAt(top.length) === 47)) {
      const slash = path.indexOf('/');
      top = slash === -1 ? path : path.slice(0, slash);
      tops.add(top);
    }
    if (!(path.endsWith(extension) && isFinalExtension(path, extension))) {
      extension = extensionOf(path);
      extensions.add(extension);
    }
  }
  return { tops, extensions, directories };
}

/** Adds a directory's leading segments, each depth of them, up to shapeDepth. */
function addDirectories(directories: Set<string>, directory: string): void {
  if (directory === '') return;
  let end = -1;
  for (let depth = 0; depth < shapeDepth; depth++) {
    end = directory.indexOf('/', end + 1);
    const prefix = end === -1 ? directory : directory.slice(0, end);
    if (directories.has(prefix) && end !== -1) continue;
    directories.add(prefix);
    if (end === -1) return;
  }
}

function leadingSegments(directory: string, count: number): string {
  let end = -1;
  for (let segment = 0; segment < count; segment++) {
    end = directory.indexOf('/', end + 1);
    if (end === -1) return directory;
  }
  return directory.slice(0, end);
}

function extensionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot === -1 || dot < path.lastIndexOf('/') ? '' : path.slice(dot);
}

/** Tells whether `extension`, which `path` ends with, is its whole final extension. */
function isFinalExtension(path: string, extension: string): boolean {
  if (extension === '') return extensionOf(path) === '';
  // `.gz` ends `x.tar.gz` as its final extension; `.a` does not end `x.la` as one.
  return path.charCodeAt(path.length - extension.length) === 46 && path.lastIndexOf('.') === path.length - extension.length && path.lastIndexOf('/') < path.length - extension.length;
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
