/**
 * The smoke test on the real fixture env (Debian's CPython copied into a conda-like prefix, with
 * numpy, scipy, pandas, sklearn, uvloop, fastapi, uvicorn and gunicorn): discovery, the checks,
 * commands, and that the interpreter cannot reach anything outside the prefix.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPythonEnvTemplate } from '../../fixtures/python-env/template.ts';
import { readEnvironment } from '../../src/environment/read-environment.ts';
import { PruneError } from '../../src/errors.ts';
import { discoverModules } from '../../src/verify/discover-modules.ts';
import { verifyEnvironment } from '../../src/verify/verify-environment.ts';
import { createTempDirectories, writeSmallEnvironment } from '../helpers/small-env.ts';

const temp = createTempDirectories();
// The template is shared by every test file: these tests only read it (-B writes no bytecode).
let prefix = '';

beforeAll(async () => {
  prefix = (await getPythonEnvTemplate()).prefix;
}, 900_000);
afterAll(() => temp.cleanup());

describe('verifyEnvironment on the real env', () => {
  it('discovers every top-level module of the env and imports them all with the env python', async () => {
    const environment = readEnvironment(prefix);
    const discovered = discoverModules(environment);
    const modules = discovered.map((found) => found.module);
    for (const module of ['numpy', 'scipy', 'pandas', 'sklearn', 'uvloop', 'fastapi', 'uvicorn', 'gunicorn', 'starlette', 'six', 'typing_extensions', 'pkg_resources', '_distutils_hack']) {
      expect(modules).toContain(module);
    }
    // setuptools' top_level.txt names `debian`, which no file backs.
    expect(modules).not.toContain('debian');
    expect(discovered.find((found) => found.module === 'sklearn')?.package).toBe('scikit-learn');

    const progress: number[] = [];
    const result = await verifyEnvironment({ prefix, environment, imports: modules, onProgress: (done, total) => progress.push(total - done) });
    expect(result.checks.filter((check) => !check.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.schemaVersion).toBe(1);
    expect(result.python).toBe(`${join(prefix, 'bin/python3.11')} (3.11.2)`);
    expect(result.checks.map((check) => check.module)).toEqual(modules);
    expect(progress.at(-1)).toBe(0);
    expect(progress).toHaveLength(modules.length);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('takes the import of a module that fails only beside another from a fresh interpreter of its own', async () => {
    // Once pip has been imported, setuptools' distutils shim stands down and `import setuptools`
    // raises in that interpreter; in any fresh one it imports fine. One lane: pip goes first.
    const result = await verifyEnvironment({ prefix, imports: ['pip', 'setuptools', 'no_such_module'], concurrency: 1 });
    expect(result.checks.map((check) => [check.module, check.ok])).toEqual([
      ['pip', true],
      ['setuptools', true],
      ['no_such_module', false],
    ]);
  });

  it('reports a missing module with its error and keeps checking the rest', async () => {
    const result = await verifyEnvironment({ prefix, imports: ['no_such_module', 'json', 'numpy.no_such_sub', 'scipy.stats'], concurrency: 1 });
    expect(result.ok).toBe(false);
    expect(result.checks.map((check) => [check.module, check.ok, check.error])).toEqual([
      ['no_such_module', false, "ModuleNotFoundError: No module named 'no_such_module'"],
      ['json', true, undefined],
      ['numpy.no_such_sub', false, "ModuleNotFoundError: No module named 'numpy.no_such_sub'"],
      ['scipy.stats', true, undefined],
    ]);
  });

  it('cannot import from outside the prefix, not even with PYTHONPATH and PYTHONHOME pointing there', async () => {
    // `decorator` and `yaml` are installed on this host (python3-decorator, python3-yaml) but not in the env.
    const host = '/usr/lib/python3/dist-packages';
    expect(existsSync(join(host, 'decorator.py'))).toBe(true);
    const saved = { PYTHONPATH: process.env.PYTHONPATH, PYTHONHOME: process.env.PYTHONHOME };
    process.env.PYTHONPATH = host;
    process.env.PYTHONHOME = '/usr';
    try {
      const result = await verifyEnvironment({ prefix, imports: ['decorator', 'yaml', 'six'], run: ['python3 -c "import decorator"', 'python3 -c "import sys; print(sys.prefix, sys.executable)"'] });
      expect(result.checks.map((check) => [check.module ?? check.command, check.ok])).toEqual([
        ['decorator', false],
        ['yaml', false],
        ['six', true],
        ['python3 -c "import decorator"', false],
        ['python3 -c "import sys; print(sys.prefix, sys.executable)"', true],
      ]);
      expect(result.checks[0]?.error).toBe("ModuleNotFoundError: No module named 'decorator'");
      // Commands find the env's python first on PATH, and it knows its own prefix.
      expect(result.checks[4]?.output).toBe(`${prefix} ${join(prefix, 'bin/python3')}\n`);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('runs commands through /bin/sh and reports a failing one with its exit code and output', async () => {
    const result = await verifyEnvironment({
      prefix,
      imports: [],
      run: ['false', "python3.11 -c \"import sys; print('stdout line'); print('stderr line', file=sys.stderr); sys.exit(3)\"", 'echo "$CONDA_PREFIX"'],
    });
    expect(result.ok).toBe(false);
    const [falseCheck, pythonCheck, prefixCheck] = result.checks;
    expect(falseCheck).toMatchObject({ kind: 'run', command: 'false', ok: false, exitCode: 1, error: 'exit code 1' });
    expect(pythonCheck).toMatchObject({ ok: false, exitCode: 3, error: 'exit code 3' });
    expect(pythonCheck?.output).toContain('stdout line\n');
    expect(pythonCheck?.output).toContain('stderr line\n');
    expect(prefixCheck).toMatchObject({ ok: true, exitCode: 0, output: `${prefix}\n` });
  });

  it('kills a command that outlives the timeout, with everything it started', async () => {
    const started = performance.now();
    const result = await verifyEnvironment({ prefix, imports: [], run: ['sleep 37.25 & sleep 37.25; echo never'], timeoutMs: 500 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.checks[0]).toMatchObject({ ok: false, timedOut: true });
    expect(result.checks[0]?.output).toBeUndefined();
    const sleepers = execFileSync('ps', ['-eo', 'stat,args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes('sleep 37.25') && !line.startsWith('Z'));
    expect(sleepers).toEqual([]);
  });

  it('stops every interpreter and rejects when aborted', async () => {
    const controller = new AbortController();
    const pending = verifyEnvironment({ prefix, imports: ['json', 'sklearn', 'pandas', 'scipy.stats'], concurrency: 2, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(pending).rejects.toThrow(/abort/i);
    // Only this process's children: other test files may be verifying the same template right now.
    const leftovers = execFileSync('ps', ['-eo', 'ppid=,stat=,args='], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([ppid, stat, ...args]) => Number(ppid) === process.pid && !stat?.startsWith('Z') && args.join(' ').includes('python3.11 -I -B -c'));
    expect(leftovers).toEqual([]);
  });

  it('refuses names that are not modules', async () => {
    const error = await verifyEnvironment({ prefix, imports: ['numpy', 'x\nos', '../evil'] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PruneError);
    expect((error as PruneError).code).toBe('CP_VERIFY_BAD_IMPORT');
    expect((error as PruneError).exitCode).toBe(2);
  });
});

describe('verifyEnvironment when the interpreter cannot run', () => {
  it('fails every import with the reason, once, without retrying module by module', async () => {
    // The small env's bin/python3.11 is filler bytes, not a program.
    const small = temp.make('verify-small');
    await writeSmallEnvironment(small, 'conda');
    const result = await verifyEnvironment({ prefix: small, imports: ['os', 'six', 'scipy'], concurrency: 2 });
    expect(result.ok).toBe(false);
    expect(result.python).toBe(`${join(small, 'bin/python3.11')} (did not start)`);
    for (const check of result.checks) {
      expect(check.ok).toBe(false);
      expect(check.crashed).toBeUndefined();
      expect(check.error).toMatch(/^interpreter did not start: cannot run .*python3\.11: EACCES$/);
    }
  });

  it('throws CP_VERIFY_NO_PYTHON for an env without a python record', async () => {
    const bare = temp.make('verify-bare');
    execFileSync('mkdir', ['-p', join(bare, 'conda-meta')]);
    const error = await verifyEnvironment({ prefix: bare, imports: ['os'] }).catch((caught: unknown) => caught);
    expect((error as PruneError).code).toBe('CP_VERIFY_NO_PYTHON');
    // Commands alone need no python of the env.
    const commands = await verifyEnvironment({ prefix: bare, imports: [], run: ['true'] });
    expect(commands).toMatchObject({ ok: true, python: 'none' });
  });
});
