/**
 * compileGlobs only adds guards in front of picomatch: for every glob and path it must answer
 * exactly as picomatch itself does, including where a guard could wrongly reject (globstars
 * that match no directory, dot paths, braces and classes whose literals are alternatives).
 */
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { collectPathShapes, compileGlobs, type PathMatcher } from '../../src/plan/path-matcher.ts';

const globs = [
  '**/tests/**',
  '**/tests',
  'tests/**',
  '**/*.a',
  '**/__pycache__/*.pyc',
  'include/**',
  'lib/python3.11/site-packages/numpy/**/tests/**',
  '**/test?/**',
  '{lib,share}/**/*.a',
  '**/*.{pyx,pxd}',
  'share/terminfo/[a-c]/**',
  '**/x/**/tests/*.py',
  '**/*.js.map',
  'lib/libpython3.11.so.1.0',
  '**/!(keep)/*.h',
];

const paths = [
  'tests',
  'tests/a.py',
  'a/tests',
  'a/tests/b.py',
  'a/mytests/b.py',
  'a/testsuite/b.py',
  'a/test1/b.py',
  'lib/libz.a',
  'lib/.a',
  '.a',
  'share/x/libq.a',
  'lib/python3.11/site-packages/numpy/tests/test_a.py',
  'lib/python3.11/site-packages/numpy/_core/tests/_natype.py',
  'lib/python3.11/site-packages/numpy/__pycache__/x.cpython-311.pyc',
  'lib/python3.11/__pycache__/os.cpython-311.pyc',
  '__pycache__/a.pyc',
  'include/python3.11/Python.h',
  'include',
  'a/b.pyx',
  'a/b.pxd',
  'a/b.py',
  'share/terminfo/a/ansi',
  'share/terminfo/x/xterm',
  'x/tests/a.py',
  'q/x/r/s/tests/a.py',
  'x/.hidden/tests/a.py',
  'share/jupyter/lab/static/app.js.map',
  'lib/libpython3.11.so.1.0',
  'lib/libpython3.11.so',
  'keep/a.h',
  'other/a.h',
];

/**
 * picomatch lets `dir/**` match `dir` itself; a rule that names a folder's contents never removes
 * a file that merely has the folder's name, so there the matcher answers no on purpose.
 */
function expected(glob: string, path: string): boolean {
  const folder = /^([^*?[\]{}()!+@]+)\/\*\*$/.exec(glob)?.[1];
  return path === folder ? false : picomatch(glob, { dot: true })(path);
}

describe('compileGlobs', () => {
  it.each(globs)('answers as picomatch does for %s on every path', (glob) => {
    const matcher = compileGlobs([glob]) as PathMatcher;
    const disagreements = paths.filter((path) => matcher.test(path) !== expected(glob, path));
    expect(disagreements).toEqual([]);
  });

  it('never takes a folder glob for a file with the folder name', () => {
    expect(compileGlobs(['tests/**'])?.test('tests')).toBe(false);
    expect(compileGlobs(['tests/**'])?.test('tests/a.py')).toBe(true);
  });

  it('narrowed to the shapes of a set of paths, answers as before for every path of the set', () => {
    const matcher = compileGlobs(globs) as PathMatcher;
    // Every path alone, and all of them together: the narrowed matcher may drop globs, never answers.
    for (const set of [...paths.map((path) => [path]), paths]) {
      const narrowed = matcher.forShapes(collectPathShapes(set));
      for (const path of set) expect(narrowed?.test(path) ?? false, `${path} in ${set.length} paths`).toBe(matcher.test(path));
    }
  });

  it('collects the first segments and final extensions of paths, as a plain split would', () => {
    const list = ['a/b/c/d/e/f.py', 'a/b/c/d/e/g.py', 'a/b/c/h/i.py', 'bin/x', 'bin/x.gz', 'lib/a.tar.gz', 'lib/b.gz', 'lib/libz.a', 'lib/libz.la', 'lib/python3.11/os', 'lib/python3.11/os.py', 'LICENSE', 'LICENSE.txt', 'share/a.b/c', 'share/a.b/c.d', 'x', 'x.a'];
    const naive = (paths: string[]) => ({
      tops: new Set(paths.map((path) => path.split('/')[0])),
      extensions: new Set(paths.map((path) => /(\.[^./]*)$/.exec(path.slice(path.lastIndexOf('/') + 1))?.[1] ?? '')),
      directories: new Set(paths.flatMap((path) => path.split('/').slice(0, -1).slice(0, 4).map((_, depth, segments) => segments.slice(0, depth + 1).join('/')))),
    });
    for (const paths of [list, [...list].reverse(), [...list].sort()]) expect(collectPathShapes(paths)).toEqual(naive(paths));
  });

  it('drops the globs a package cannot match, and says so with null when none is left', () => {
    const matcher = compileGlobs(['include/**', '**/*.js.map', 'share/man/**']) as PathMatcher;
    expect(matcher.forShapes(collectPathShapes(['lib/libz.so', 'bin/zlib']))).toBeNull();
    const headersOnly = matcher.forShapes(collectPathShapes(['include/zlib.h', 'lib/libz.so'])) as PathMatcher;
    expect(headersOnly).not.toBe(matcher);
    expect(headersOnly.test('include/zlib.h')).toBe(true);
    expect(matcher.forShapes(collectPathShapes(['include/zlib.h', 'share/man/man3/z.3', 'a/b.js.map']))).toBe(matcher);
  });

  it('matches when any of several globs does, and returns null for none', () => {
    const matcher = compileGlobs(['**/*.a', 'include/**']) as PathMatcher;
    expect(paths.filter((path) => matcher.test(path))).toEqual(paths.filter((path) => expected('**/*.a', path) || expected('include/**', path)));
    expect(compileGlobs([])).toBeNull();
  });
});
