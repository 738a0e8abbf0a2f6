/**
 * Suggests the remove globs of a rule for a set of files of one category in one package: as
 * general as they can be while matching no file of that package in another category.
 */
import type { PythonInfo } from '../environment/types.ts';
import { compileGlobs } from '../plan/path-matcher.ts';
import { expandPlaceholders } from '../profiles/placeholders.ts';
import type { AuditCategory } from './types.ts';

/** A path of the package and what it is. */
export interface ClassifiedPath {
  path: string;
  category: AuditCategory;
  bytes: number;
}

/** The globs of a suggested rule and the bytes they match. */
export interface GlobSuggestion {
  globs: string[];
  coveredBytes: number;
}

/** Most globs one suggested rule lists; past this the largest groups win. */
const maxGlobs = 12;

const segmentOf: Partial<Record<AuditCategory, RegExp>> = {
  tests: /^(?:tests?|__tests__|unittests|idle_test|testsuite)$/,
  headers: /^include$/,
  'build-files': /^(?:pkgconfig|cmake|aclocal)$/,
  docs: /^(?:doc|docs|man|info|gtk-doc|help|examples?|demos?|samples)$/i,
};

/** Suggests globs for `targets` (files of one category) that match nothing else among `packagePaths`. */
export function suggestGlobs(targets: readonly ClassifiedPath[], packagePaths: readonly ClassifiedPath[], python: PythonInfo | undefined): GlobSuggestion {
  const category = targets[0]?.category;
  if (category === undefined) return { globs: [], coveredBytes: 0 };
  const others = packagePaths.filter((item) => item.category !== category && item.category !== 'metadata');
  const verdicts = new Map<string, boolean>();
  const isClean = (glob: string): boolean => {
    let verdict = verdicts.get(glob);
    if (verdict === undefined) {
      const matcher = compileGlobs([expandPlaceholders(glob, python) ?? glob]);
      verdict = matcher !== null && !others.some((item) => matcher.test(item.path));
      verdicts.set(glob, verdict);
    }
    return verdict;
  };
  const bytesByGlob = new Map<string, number>();
  // Files of one folder with one extension get the same glob: work it out once per such group.
  const globByShape = new Map<string, string | null>();
  for (const target of targets) {
    const slash = target.path.lastIndexOf('/');
    const name = target.path.slice(slash + 1);
    const shape = `${target.path.slice(0, slash + 1)}\u0000${extensionPattern(name) ?? name}`;
    let general = globByShape.get(shape);
    if (general === undefined) {
      general = candidatesFor(target.path, category, python).find(isClean) ?? null;
      globByShape.set(shape, general);
    }
    const glob = general ?? escapeGlob(withPlaceholders(target.path, python));
    bytesByGlob.set(glob, (bytesByGlob.get(glob) ?? 0) + target.bytes);
  }
  const chosen = [...bytesByGlob.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxGlobs);
  const globs = chosen.map(([glob]) => glob).sort();
  const matcher = compileGlobs(globs.map((glob) => expandPlaceholders(glob, python) ?? glob));
  const coveredBytes = matcher === null ? 0 : targets.reduce((sum, target) => sum + (matcher.test(target.path) ? target.bytes : 0), 0);
  return { globs, coveredBytes };
}

/** Returns globs for one path, most general first: package-wide by segment or extension, then its own folder. */
function candidatesFor(path: string, category: AuditCategory, python: PythonInfo | undefined): string[] {
  const written = withPlaceholders(path, python);
  const segments = written.split('/');
  const base = baseOf(segments);
  const name = segments[segments.length - 1] as string;
  const folder = segments.slice(0, -1).join('/');
  const candidates: string[] = [];
  const segmentPattern = segmentOf[category];
  const at = segmentPattern === undefined ? -1 : segments.findIndex((segment, index) => index < segments.length - 1 && segmentPattern.test(segment));
  if (at !== -1) {
    const segment = escapeGlob(segments[at] as string);
    if (at >= base.length) candidates.push(`${base.join('/')}/**/${segment}/**`);
    candidates.push(`${segments.slice(0, at + 1).map(escapeGlob).join('/')}/**`);
  }
  const extension = extensionPattern(name);
  if (extension !== undefined) {
    if (segments.length > base.length) candidates.push(`${base.join('/')}/**/${extension}`);
    if (folder !== '') candidates.push(`${escapeGlob(folder)}/${extension}`);
  }
  return candidates.map((glob) => glob.replace(/^\/+/, ''));
}

/** The folder a package's globs start from: its top-level module in site-packages, else the first folder. */
function baseOf(segments: readonly string[]): string[] {
  const depth = segments[0] === '{site-packages}' || segments[0] === '{stdlib}' ? 2 : 1;
  return segments.slice(0, Math.min(depth, segments.length - 1)).map(escapeGlob);
}

/** Returns `*.ext` for the name (`*.js.map` for source maps), or a name pattern for test files. */
function extensionPattern(name: string): string | undefined {
  if (/^test_.*\.py$/.test(name)) return 'test_*.py';
  if (/_test\.py$/.test(name)) return '*_test.py';
  const map = /(\.[A-Za-z0-9]+\.map)$/.exec(name);
  if (map !== null) return `*${map[1]}`;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const extension = name.slice(dot);
  return /^\.[A-Za-z0-9+]+$/.test(extension) ? `*${escapeGlob(extension)}` : undefined;
}

/** Writes a path with `{site-packages}` or `{stdlib}` in place of the env's own folders. */
function withPlaceholders(path: string, python: PythonInfo | undefined): string {
  if (python === undefined) return path;
  if (path.startsWith(`${python.sitePackages}/`)) return `{site-packages}/${path.slice(python.sitePackages.length + 1)}`;
  if (path.startsWith(`${python.stdlib}/`)) return `{stdlib}/${path.slice(python.stdlib.length + 1)}`;
  return path;
}

const globSyntax = /[*?[\]{}()!+@\\]/;
const leadingPlaceholder = /^\{(?:site-packages|stdlib)\}(?=\/|$)/;

/** Escapes glob syntax in a literal path segment; placeholders stay as they are. */
function escapeGlob(text: string): string {
  // Most paths hold no glob syntax past a leading placeholder: they need no rewriting at all.
  if (!globSyntax.test(text.slice(leadingPlaceholder.exec(text)?.[0].length ?? 0))) return text;
  return text.replace(/(^|\/)(\{site-packages\}|\{stdlib\})(?=\/|$)|[*?[\]{}()!+@\\]/g, (match, lead: string | undefined, placeholder: string | undefined) => (placeholder !== undefined ? `${lead ?? ''}${placeholder}` : `\\${match}`));
}
