/**
 * `conda-prune verify` as a built program (the single-file bundle, with the smoke script inside
 * it) on the real fixture env: exit codes, formats, and the interpreter it runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPythonEnvTemplate } from '../../fixtures/python-env/template.ts';
import type { VerifyResult } from '../../src/verify/types.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTempDirectories } from '../helpers/small-env.ts';

const temp = createTempDirectories();
let prefix = '';

beforeAll(async () => {
  prefix = (await getPythonEnvTemplate()).prefix;
}, 900_000);
afterAll(() => temp.cleanup());

describe('conda-prune verify', () => {
  it('imports every discovered module and exits 0, with a one-line summary', () => {
    const result = runCli(['verify', prefix]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^OK \d+ checks in \d+\.\d s: \d+ passed, 0 failed$/m);
    expect(result.stdout).not.toContain('FAIL');
  });

  it('prints the VerifyResult as JSON with the env interpreter, and takes the prefix from CONDA_PREFIX', () => {
    const result = runCli(['verify', '--format', 'json', '--import', 'scipy.stats', '--run', 'python3 -c "import sys; print(sys.prefix)"'], { env: { CONDA_PREFIX: prefix } });
    expect(result.status).toBe(0);
    const verified = JSON.parse(result.stdout) as VerifyResult;
    expect(verified).toMatchObject({ schemaVersion: 1, prefix, ok: true, python: `${join(prefix, 'bin/python3.11')} (3.11.2)` });
    expect(verified.checks.map((check) => check.module ?? check.command)).toEqual(expect.arrayContaining(['numpy', 'pandas', 'sklearn', 'fastapi', 'scipy.stats']));
    expect(verified.checks.at(-1)).toMatchObject({ kind: 'run', ok: true, output: `${prefix}\n` });
  });

  it('exits 1 when a check fails, naming the module and showing the failing command output', () => {
    const report = join(temp.make('verify-e2e'), 'verify.json');
    const text = runCli(['verify', prefix, '--only-user-imports', '--import', 'json', '--import', 'not_installed_anywhere', '--run', 'python3.11 -c "import sys; print(\'bad\'); sys.exit(3)"']);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain("FAIL    import not_installed_anywhere: ModuleNotFoundError: No module named 'not_installed_anywhere'");
    expect(text.stdout).toContain('exit code 3\n        | bad\n');
    expect(text.stdout).toMatch(/^FAILED 3 checks in \d+\.\d s: 1 passed, 2 failed$/m);

    const json = runCli(['verify', prefix, '--only-user-imports', '--import', 'not_installed_anywhere', '--format', 'json', '--output', report]);
    expect(json.status).toBe(1);
    expect(json.stdout).toBe('');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ ok: false, checks: [{ module: 'not_installed_anywhere', ok: false }] });
  });

  it('exits 2 for input errors', () => {
    expect(runCli(['verify', join(prefix, 'nowhere')]).status).toBe(2);
    const usage = runCli(['verify', prefix, '--only-user-imports']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('error CP_USAGE: nothing to verify');
    expect(runCli(['verify', prefix, '--only-user-imports', '--import', 'a b']).stderr).toContain('error CP_VERIFY_BAD_IMPORT');
  });
});
