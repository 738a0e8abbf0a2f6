/**
 * Which profiles apply to a package, and the path matcher's guarantee: its literal prefilter
 * never changes what the glob itself would answer.
 */
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { appliesTo } from '../../src/plan/compile-rules.ts';
import { compileGlobs } from '../../src/plan/path-matcher.ts';
import type { Profile, ResolvedProfile } from '../../src/profiles/types.ts';

function profileFor(pkg: string, versions?: string): ResolvedProfile {
  const profile: Profile = {
    name: pkg,
    version: '1.0.0',
    description: '',
    appliesTo: versions === undefined ? { package: pkg } : { package: pkg, versions },
    extends: [],
    rules: [],
    verify: { imports: [] },
    source: { kind: 'builtin', location: '', sha256: '' },
  };
  return { profile, via: [pkg] };
}

describe('appliesTo', () => {
  it.each([
    ['scipy', undefined, { name: 'scipy', version: '1.9.3' }, true],
    ['scipy', '<1.10.1', { name: 'scipy', version: '1.9.3' }, true],
    ['scipy', '<1.10.1', { name: 'scipy', version: '1.14.1' }, false],
    ['libgcc-ng', '<10', { name: 'libgcc-ng', version: '9.3.0' }, true],
    ['libgcc-ng', '<10', { name: 'libgcc-ng', version: '14.2.0' }, false],
    ['*', undefined, { name: 'anything', version: '0' }, true],
    ['scipy', undefined, { name: 'numpy', version: '1.26.4' }, false],
    // pip normalises names; a profile written for the conda name applies to the pip dist.
    ['jupyter_core', undefined, { name: 'jupyter-core', version: '5.7.2', source: 'pypi' as const }, true],
    // Two conda packages whose names differ only in _ and - are different packages.
    ['typing_extensions', undefined, { name: 'typing-extensions', version: '4.12.2', source: 'conda' as const }, false],
    // A version conda cannot order is in no range, and never an error.
    ['odd', '>=1', { name: 'odd', version: '1.0@x' }, false],
  ])('%s %s on %j → %s', (pkg, versions, installed, expected) => {
    expect(appliesTo(profileFor(pkg, versions), installed)).toBe(expected);
  });
});

describe('compileGlobs', () => {
  const globs = [
    'lib/python3.11/site-packages/scipy/**/tests/**',
    '**/*.a',
    '**/__pycache__/*.pyc',
    'lib/lib{a,t,l,ub}san.so*',
    '**/tests/conftest.py',
    'share/terminfo/[a-k]/**',
    'lib/python3.11/test/**',
    'include/**/*.h',
  ];
  const paths = [
    'lib/python3.11/site-packages/scipy/tests/test_a.py',
    'lib/python3.11/site-packages/scipy/stats/tests/data/.hidden',
    'lib/python3.11/site-packages/scipy/tests',
    'lib/python3.11/site-packages/scipyx/tests/a.py',
    'lib/libz.a',
    'libz.a',
    'lib/libz.a.1',
    'lib/python3.11/__pycache__/os.cpython-311.pyc',
    '__pycache__/x.pyc',
    'lib/libasan.so.8.0.0',
    'lib/libubsan.so',
    'lib/libgsan.so',
    'tests/conftest.py',
    'a/b/tests/conftest.py',
    'a/b/tests/conftest.pyc',
    'share/terminfo/a/ansi',
    'share/terminfo/x/xterm',
    'lib/python3.11/test/support/__init__.py',
    'include/python3.11/Python.h',
    'include/x.hpp',
  ];

  it('answers exactly as picomatch does for every glob and path', () => {
    for (const glob of globs) {
      const reference = picomatch(glob, { dot: true });
      const matcher = compileGlobs([glob]);
      for (const path of paths) expect(matcher?.test(path), `${glob} on ${path}`).toBe(reference(path));
    }
  });

  it('matches when any of several globs does, and is null for none', () => {
    const matcher = compileGlobs(['**/*.a', 'include/**']);
    expect(matcher?.test('lib/libz.a')).toBe(true);
    expect(matcher?.test('include/zlib.h')).toBe(true);
    expect(matcher?.test('lib/libz.so')).toBe(false);
    expect(compileGlobs([])).toBeNull();
  });
});
