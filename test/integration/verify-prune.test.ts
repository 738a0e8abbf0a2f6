/**
 * Verify around a real prune of a copy of the fixture env: the baseline, the files a plan
 * removes, the regressions they cause and the rules they are blamed on; a module broken before
 * that is not blamed; a crashing extension built here with gcc; a hanging import; and proof that
 * the interpreter is the env's own, isolated, writing no bytecode.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPythonEnv } from '../../fixtures/python-env/template.ts';
import { readEnvironment } from '../../src/environment/read-environment.ts';
import { planPrefix } from '../../src/plan/plan-prefix.ts';
import type { Plan } from '../../src/plan/types.ts';
import { blameRegressions } from '../../src/verify/blame-regressions.ts';
import { compareVerifications } from '../../src/verify/compare-verifications.ts';
import { discoverModules } from '../../src/verify/discover-modules.ts';
import { verifyEnvironment } from '../../src/verify/verify-environment.ts';
import type { Blame, VerifyComparison, VerifyResult } from '../../src/verify/types.ts';
import { createTempDirectories } from '../helpers/small-env.ts';

const sp = 'lib/python3.11/site-packages';
const temp = createTempDirectories();
let work = '';
let prefix = '';

// Modules no package owns, so discovery never lists them; tests import them by name.
const extraModules: Record<string, string> = {
  'already_broken.py': 'raise ImportError("broken before any prune")\n',
  'good_a.py': 'import json\n',
  'good_b.py': 'import email.parser\n',
  'good_c.py': 'VALUE = 3\n',
  'slow_import.py': 'import time\ntime.sleep(60)\n',
  'chatty.py': 'import sys, os\nprint("noise on stdout")\nos.write(1, b"raw noise\\n")\nsys.stdin.read()\n',
};

const crashSource = `#include <Python.h>
#include <signal.h>
static struct PyModuleDef definition = { PyModuleDef_HEAD_INIT, "crashing_ext", NULL, -1, NULL };
PyMODINIT_FUNC PyInit_crashing_ext(void) {
  raise(SIGSEGV);
  return PyModule_Create(&definition);
}
`;

function profile(name: string, pkg: string, rule: string, glob: string): string {
  return `apiVersion: conda-prune/v1
name: ${name}
version: "1.0.0"
description: a rule that breaks ${pkg}, for the verify tests
appliesTo:
  package: ${pkg}
rules:
  - id: ${rule}
    category: tests
    risk: safe
    reason: breaks ${pkg} on purpose
    remove: ["${glob}"]
`;
}

beforeAll(async () => {
  work = temp.make('verify-prune');
  prefix = join(work, 'env');
  await copyPythonEnv(prefix);
  for (const [name, text] of Object.entries(extraModules)) writeFileSync(join(prefix, sp, name), text);
  const include = '/usr/include/python3.11';
  if (!existsSync(join(include, 'Python.h'))) throw new Error(`${include}/Python.h is missing: install python3.11-dev`);
  writeFileSync(join(work, 'crashing_ext.c'), crashSource);
  execFileSync('gcc', ['-shared', '-fPIC', `-I${include}`, '-o', join(prefix, sp, 'crashing_ext.cpython-311-x86_64-linux-gnu.so'), join(work, 'crashing_ext.c')]);
}, 900_000);
afterAll(() => temp.cleanup());

describe('the interpreter verify runs', () => {
  it('is the env python: sys.prefix is the prefix, isolated, and it writes no bytecode', async () => {
    const probe = join(prefix, sp, 'prefix_probe.py');
    writeFileSync(
      probe,
      `import sys\nassert sys.prefix == ${JSON.stringify(prefix)}, sys.prefix\nassert sys.executable == ${JSON.stringify(join(prefix, 'bin/python3.11'))}, sys.executable\n` +
        'assert sys.flags.isolated == 1 and sys.flags.dont_write_bytecode == 1 and sys.flags.no_user_site == 1\n' +
        `assert all(p.startswith(${JSON.stringify(`${prefix}/`)}) for p in sys.path if p), sys.path\n`,
    );
    try {
      const result = await verifyEnvironment({ prefix, imports: ['prefix_probe', 'good_c'] });
      expect(result.checks.map((check) => [check.module, check.ok, check.error])).toEqual([
        ['prefix_probe', true, undefined],
        ['good_c', true, undefined],
      ]);
      expect(readdirSync(join(prefix, sp, '__pycache__')).filter((name) => /^(prefix_probe|good_c)\./.test(name))).toEqual([]);
    } finally {
      rmSync(probe);
    }
  });

  it('keeps the protocol when imported code prints to stdout or reads stdin', async () => {
    const result = await verifyEnvironment({ prefix, imports: ['chatty', 'good_a'], concurrency: 1 });
    expect(result.checks.map((check) => [check.module, check.ok])).toEqual([
      ['chatty', true],
      ['good_a', true],
    ]);
  });
});

describe('crashes and hangs', () => {
  it('isolates the module that segfaults among good ones in one interpreter and reports it crashed', async () => {
    const result = await verifyEnvironment({ prefix, imports: ['good_a', 'crashing_ext', 'good_b', 'good_c'], concurrency: 1 });
    expect(result.ok).toBe(false);
    expect(result.checks.map((check) => [check.module, check.ok, check.crashed ?? false])).toEqual([
      ['good_a', true, false],
      ['crashing_ext', false, true],
      ['good_b', true, false],
      ['good_c', true, false],
    ]);
    const crash = result.checks[1];
    expect(crash?.signal).toBe('SIGSEGV');
    expect(crash?.error).toBe('interpreter crashed with SIGSEGV importing crashing_ext');
    // faulthandler's report of the crash, from stderr.
    expect(crash?.output).toContain('Fatal Python error: Segmentation fault');
  });

  it('isolates the crash the same way when the modules spread over several interpreters', async () => {
    const modules = ['good_a', 'good_b', 'crashing_ext', 'good_c', 'json', 'numpy'];
    const result = await verifyEnvironment({ prefix, imports: modules, concurrency: 3 });
    expect(result.checks.filter((check) => !check.ok).map((check) => [check.module, check.crashed])).toEqual([['crashing_ext', true]]);
  });

  it('times out a hanging import, kills its interpreter and goes on with the rest in a new one', async () => {
    const result = await verifyEnvironment({ prefix, imports: ['good_a', 'slow_import', 'good_b', 'numpy'], concurrency: 1, timeoutMs: 1500 });
    expect(result.checks.map((check) => [check.module, check.ok, check.timedOut ?? false])).toEqual([
      ['good_a', true, false],
      ['slow_import', false, true],
      ['good_b', true, false],
      ['numpy', true, false],
    ]);
    expect(result.checks[1]?.error).toBe('TimeoutError: import did not finish within 1.5 s');
    expect(result.durationMs).toBeLessThan(10_000);
  });
  it('gives up once, not per module, when the interpreter hangs before it can import anything', async () => {
    // site runs the import lines of .pth files at start, before the smoke script.
    const hang = join(prefix, sp, 'zz-hang.pth');
    writeFileSync(hang, 'import time; time.sleep(60)\n');
    try {
      const result = await verifyEnvironment({ prefix, imports: ['good_a', 'good_b', 'good_c', 'json'], concurrency: 1, timeoutMs: 1000 });
      expect(result.checks.map((check) => [check.module, check.ok, check.error])).toEqual(
        ['good_a', 'good_b', 'good_c', 'json'].map((module) => [module, false, 'interpreter did not start within 1 s']),
      );
      expect(result.durationMs).toBeLessThan(4000);
    } finally {
      rmSync(hang);
    }
  });
});

describe('a prune that breaks a pure-python subpackage and a library numpy needs', () => {
  let imports: string[] = [];
  let plan: Plan;
  let before: VerifyResult;
  let after: VerifyResult;
  let comparison: VerifyComparison;
  let blames: Blame[];

  beforeAll(async () => {
    // Every library the fixture vendored into PREFIX/lib was copied from this host, so the loader
    // would fall back to /usr/lib for a deleted one and numpy would still import. Give numpy's
    // core extension a BLAS that only the env has, as conda-forge's builds link libcblas.so.3 from
    // conda's libblas, which a slim runtime image does not carry.
    const core = join(prefix, sp, 'numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so');
    copyFileSync(join(prefix, 'lib/libblas.so.3'), join(prefix, 'lib/libcondablas.so.3'));
    execFileSync('patchelf', ['--set-soname', 'libcondablas.so.3', join(prefix, 'lib/libcondablas.so.3')]);
    execFileSync('patchelf', ['--replace-needed', 'libblas.so.3', 'libcondablas.so.3', core]);

    // The module list is made once, before the prune, and used for both runs: a module whose
    // files the prune removed would otherwise drop out of discovery and never be checked.
    imports = [...discoverModules(readEnvironment(prefix)).map((found) => found.module), 'already_broken', 'scipy.linalg'];
    before = await verifyEnvironment({ prefix, imports });

    const profiles = join(work, 'profiles');
    mkdirSync(profiles, { recursive: true });
    writeFileSync(join(profiles, 'starlette.yaml'), profile('starlette', 'starlette', 'middleware-init', '{site-packages}/starlette/middleware/__init__.py'));
    plan = await planPrefix({ prefix, profiles: ['./profiles/starlette.yaml'], cwd: work });
    // The planner's shared-library guard would keep a library with a record that an ELF file
    // needs; this one has no record, and the entry stands for a plan that removes it anyway (a
    // library reached through dlopen, say, which no DT_NEEDED names).
    plan.entries.unshift({ path: 'lib/libcondablas.so.3', package: '(unowned)', version: '', profile: 'libblas', rule: 'reference-blas', category: 'tests', risk: 'safe', bytes: statSync(join(prefix, 'lib/libcondablas.so.3')).size, kind: 'file' });
    // What apply does to these files, without apply: they are gone.
    for (const entry of plan.entries) rmSync(join(prefix, entry.path));

    after = await verifyEnvironment({ prefix, imports });
    comparison = compareVerifications(before, after);
    blames = blameRegressions(comparison.regressions, plan);
  }, 300_000);

  it('passes everything but the broken module before the prune', () => {
    expect(plan.entries.map((entry) => [entry.path, entry.profile, entry.rule])).toEqual([
      ['lib/libcondablas.so.3', 'libblas', 'reference-blas'],
      [`${sp}/starlette/middleware/__init__.py`, 'starlette', 'middleware-init'],
    ]);
    expect(before.checks.filter((check) => !check.ok).map((check) => check.module)).toEqual(['already_broken']);
  });

  it('fails the modules that needed the removed files, naming them', () => {
    const failed = Object.fromEntries(after.checks.filter((check) => !check.ok).map((check) => [check.module, check.error]));
    expect(failed.fastapi).toBe("ImportError: cannot import name 'Middleware' from 'starlette.middleware' (unknown location)");
    expect(failed.numpy).toBe(
      'ImportError: IMPORTANT: PLEASE READ THIS FOR ADVICE ON HOW TO SOLVE THIS ISSUE!; root cause: ImportError: libcondablas.so.3: cannot open shared object file: No such file or directory',
    );
    expect(after.checks.find((check) => check.module === 'numpy')?.output).toContain('File "' + join(prefix, sp, 'numpy/core/__init__.py') + '"');
    for (const dependant of ['scipy.linalg', 'pandas', 'sklearn']) expect(Object.keys(failed)).toContain(dependant);
    expect(Object.keys(failed)).not.toContain('uvicorn');
  });

  it('counts the module broken before as still broken, not as a regression', () => {
    expect(comparison.stillBroken.map((check) => check.module)).toEqual(['already_broken']);
    expect(comparison.regressions.map((check) => check.module)).not.toContain('already_broken');
    expect(comparison.fixed).toEqual([]);
  });

  it('blames every regression on the rule that removed the file it needed', () => {
    const byModule = Object.fromEntries(blames.map((blame) => [blame.check.module, blame.rules.map((rule) => `${rule.profile}/${rule.rule}: ${rule.entries.map((entry) => entry.path).join(', ')}`)]));
    expect(byModule.fastapi).toEqual([`starlette/middleware-init: ${sp}/starlette/middleware/__init__.py`]);
    expect(byModule.numpy).toEqual(['libblas/reference-blas: lib/libcondablas.so.3']);
    for (const blame of blames) expect(blame.rules, `${blame.check.module} is unexplained`).not.toEqual([]);
    const numpy = blames.find((blame) => blame.check.module === 'numpy');
    expect(numpy?.rules[0]?.evidence).toContainEqual({ kind: 'shared-library', clue: 'libcondablas.so.3' });
  });
});
