/**
 * Tracing a regression to the plan entries and rules that removed what it needed, from the text
 * python and the loader print.
 */
import { describe, expect, it } from 'vitest';
import type { Plan, PlanEntry } from '../../src/plan/types.ts';
import { blameRegressions } from '../../src/verify/blame-regressions.ts';
import { readEvidence } from '../../src/verify/read-evidence.ts';
import type { VerifyCheck } from '../../src/verify/types.ts';

const sp = 'lib/python3.11/site-packages';

function entry(path: string, profile: string, rule: string, pkg = profile): PlanEntry {
  return { path, package: pkg, version: '1.0', profile, rule, category: 'tests', risk: 'safe', bytes: 10, kind: 'file' };
}

function plan(entries: PlanEntry[]): Plan {
  return {
    schemaVersion: 1,
    tool: { name: 'conda-prune', version: '0.1.0' },
    prefix: '/env',
    createdAt: '2024-01-01T00:00:00.000Z',
    maxRisk: 'aggressive',
    python: { version: '3.11.7', sitePackages: sp },
    packages: 3,
    profiles: [],
    entries,
    directories: [],
    skipped: [],
    totals: { files: entries.length, bytes: 0, uniqueFiles: 0, uniqueBytes: 0, directories: 0 },
    summary: { byPackage: [], byProfile: [], byRule: [], byCategory: [], byRisk: [] },
    problems: [],
  };
}

function failed(module: string, error: string, output?: string): VerifyCheck {
  return { kind: 'import', module, ok: false, error, durationMs: 1, ...(output === undefined ? {} : { output }) };
}

const entries = [
  entry(`${sp}/pkg/sub/__init__.py`, 'pkg', 'strip-sub'),
  entry(`${sp}/pkg/sub/core.py`, 'pkg', 'strip-sub'),
  entry(`${sp}/pkg/subtle.py`, 'pkg', 'other'),
  entry(`${sp}/pkg/_speedups.cpython-311-x86_64-linux-gnu.so`, 'pkg', 'native'),
  entry(`${sp}/starlette/middleware/__init__.py`, 'starlette', 'inits'),
  entry(`${sp}/app/views.py`, 'sources', 'py-with-pyc', 'app'),
  entry(`${sp}/app/data/table.json`, 'app', 'data'),
  entry(`${sp}/app/data/more.json`, 'app', 'data'),
  entry('lib/libblas.so.3', 'libopenblas', 'reference-blas'),
  entry('lib/libopenblasp-r0.3.21.so', 'libopenblas', 'openblas'),
  entry('lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so', 'python', 'ssl'),
];

function blamedPaths(check: VerifyCheck, options = {}): Record<string, string[]> {
  const [blame] = blameRegressions([check], plan(entries), options);
  return Object.fromEntries((blame?.rules ?? []).map((rule) => [`${rule.profile}/${rule.rule}`, rule.entries.map((item) => item.path)]));
}

describe('readEvidence', () => {
  it('reads module names, names, traceback files, libraries and missing files from error and output', () => {
    const check = failed(
      'app',
      "ImportError: cannot import name 'Middleware' from 'starlette.middleware' (unknown location)",
      [
        'Traceback (most recent call last):',
        '  File "/env/lib/python3.11/site-packages/app/__init__.py", line 3, in <module>',
        '  File "<frozen importlib._bootstrap>", line 1178, in _find_and_load',
        "ModuleNotFoundError: No module named 'pkg.sub'",
        'ImportError: libblas.so.3: cannot open shared object file: No such file or directory',
        "FileNotFoundError: [Errno 2] No such file or directory: '/env/lib/python3.11/site-packages/app/data/table.json'",
      ].join('\n'),
    );
    expect(readEvidence(check)).toEqual([
      { kind: 'missing-module', clue: 'pkg.sub' },
      { kind: 'missing-name', clue: 'starlette.middleware.Middleware' },
      { kind: 'traceback-file', clue: '/env/lib/python3.11/site-packages/app/__init__.py' },
      { kind: 'shared-library', clue: 'libblas.so.3' },
      { kind: 'missing-file', clue: '/env/lib/python3.11/site-packages/app/data/table.json' },
    ]);
  });
});

describe('blameRegressions', () => {
  it('traces a missing module to the files of that module, not to siblings that share its prefix', () => {
    expect(blamedPaths(failed('pkg', "ModuleNotFoundError: No module named 'pkg.sub'"))).toEqual({
      'pkg/strip-sub': [`${sp}/pkg/sub/__init__.py`, `${sp}/pkg/sub/core.py`],
    });
    expect(blamedPaths(failed('pkg', "ModuleNotFoundError: No module named 'pkg._speedups'"))).toEqual({
      'pkg/native': [`${sp}/pkg/_speedups.cpython-311-x86_64-linux-gnu.so`],
    });
  });

  it('traces a stdlib extension module to lib-dynload', () => {
    expect(blamedPaths(failed('ssl', "ModuleNotFoundError: No module named '_ssl'"))).toEqual({
      'python/ssl': ['lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so'],
    });
  });

  it("traces a name that a namespace package lost to the package's removed __init__.py", () => {
    const check = failed('fastapi', "ImportError: cannot import name 'Middleware' from 'starlette.middleware' (unknown location)");
    expect(blamedPaths(check)).toEqual({ 'starlette/inits': [`${sp}/starlette/middleware/__init__.py`] });
  });

  it('traces a library the loader cannot open by its name, and a kept symlink to its removed target by stem', () => {
    const direct = failed('numpy', 'ImportError: libblas.so.3: cannot open shared object file: No such file or directory');
    expect(blamedPaths(direct)).toEqual({ 'libopenblas/reference-blas': ['lib/libblas.so.3'] });
    const throughLink = failed('numpy', 'ImportError: libopenblas.so.0: cannot open shared object file: No such file or directory');
    expect(blamedPaths(throughLink)).toEqual({ 'libopenblas/openblas': ['lib/libopenblasp-r0.3.21.so'] });
  });

  it('traces traceback files and missing files to entries, through any of the given prefixes', () => {
    const check = failed(
      'app',
      'OSError: could not get source code',
      '  File "/real/env/lib/python3.11/site-packages/app/views.py", line 12, in <module>\n' +
        "FileNotFoundError: [Errno 2] No such file or directory: '/env/lib/python3.11/site-packages/app/data'",
    );
    expect(blamedPaths(check)).toEqual({ 'app/data': [`${sp}/app/data/more.json`, `${sp}/app/data/table.json`] });
    expect(blamedPaths(check, { prefixes: ['/env', '/real/env'] })).toEqual({
      'sources/py-with-pyc': [`${sp}/app/views.py`],
      'app/data': [`${sp}/app/data/more.json`, `${sp}/app/data/table.json`],
    });
  });

  it('groups one regression by rule with the evidence for each, and leaves a regression without clues unexplained', () => {
    const check = failed('pkg', "ModuleNotFoundError: No module named 'pkg.sub'", 'ImportError: libblas.so.3: cannot open shared object file');
    const [blame, unexplained] = blameRegressions([check, failed('odd', 'RuntimeError: something else')], plan(entries));
    expect(blame?.check).toBe(check);
    expect(blame?.rules.map((rule) => ({ rule: `${rule.profile}/${rule.rule}`, evidence: rule.evidence }))).toEqual([
      { rule: 'pkg/strip-sub', evidence: [{ kind: 'missing-module', clue: 'pkg.sub' }] },
      { rule: 'libopenblas/reference-blas', evidence: [{ kind: 'shared-library', clue: 'libblas.so.3' }] },
    ]);
    expect(unexplained?.rules).toEqual([]);
    // Plain data, so apply can store it in its journal and print it as JSON.
    expect(JSON.parse(JSON.stringify(blame))).toEqual(blame);
  });
});
