/**
 * compileGlobs only adds guards in front of picomatch: for every glob and path it must answer
 * exactly as picomatch itself does, including where a guard could wrongly reject (globstars
 * that match no directory, dot paths, braces and classes whose literals are alternatives).
 */
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { compileGlobs, type PathMatcher } from '../../src/plan/path-matcher.ts';

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

  it('matches when any of several globs does, and returns null for none', () => {
    const matcher = compileGlobs(['**/*.a', 'include/**']) as PathMatcher;
    expect(paths.filter((path) => matcher.test(path))).toEqual(paths.filter((path) => expected('**/*.a', path) || expected('include/**', path)));
    expect(compileGlobs([])).toBeNull();
  });
});
