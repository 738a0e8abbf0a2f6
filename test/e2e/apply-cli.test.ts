/**
 * `conda-prune apply` as a built program on a real env whose python is the machine's CPython:
 * a rule that breaks an import is caught by verification, traced to its rule and rolled back
 * byte for byte; --safe leaves that rule out and succeeds; recover and --plan behave as told.
 */
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPythonEnv } from '../../fixtures/python-env/template.ts';
import { writeCondaRecords } from '../../fixtures/lib/conda-records.ts';
import { createTempDirectories } from '../helpers/small-env.ts';
import { runCli } from '../helpers/run-cli.ts';
import { diffSnapshots, snapshotTree } from '../helpers/snapshot-tree.ts';

const temp = createTempDirectories();
let profiles = '';

/** A profile whose rule removes a module sniffio imports, and a harmless one for scipy's tests. */
function writeProfiles(directory: string): void {
  writeFileSync(join(directory, 'breaker.yaml'), ['apiVersion: conda-prune/v1', 'name: sniffio', 'version: "1.0.0"', 'appliesTo: { package: sniffio }', 'rules:', '  - { id: impl, category: sources, risk: safe, reason: "wrong on purpose", remove: ["{site-packages}/sniffio/_impl.py"] }', ''].join('\n'));
}

async function freshEnv(label: string): Promise<string> {
  const prefix = join(temp.make(label), 'env');
  await copyPythonEnv(prefix);
  return prefix;
}

beforeAll(() => {
  profiles = temp.make('profiles');
  writeProfiles(profiles);
});
afterAll(() => temp.cleanup());

describe('conda-prune apply on a real env', () => {
  it('rolls back a prune that breaks an import, names the module and the rule, exits 1', async () => {
    const prefix = await freshEnv('apply-break');
    const before = snapshotTree(prefix);
    const result = runCli(['apply', prefix, '--profile', 'scipy', '--profile', join(profiles, 'breaker.yaml')]);
    expect(result.stderr).toContain('error CP_VERIFY_REGRESSION');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/FAIL import (sniffio|anyio|starlette|fastapi)\b.*traced to sniffio\/impl/);
    expect(diffSnapshots(before, snapshotTree(prefix))).toEqual([]);
  }, 300_000);

  it('with --safe, leaves the blamed rule out, prunes the rest and verifies', async () => {
    const prefix = await freshEnv('apply-safe');
    const result = runCli(['apply', prefix, '--safe', '--profile', 'scipy', '--profile', join(profiles, 'breaker.yaml'), '--format', 'json']);
    expect(result.stderr).toContain('Verification failed; leaving out sniffio/impl and applying again.');
    expect(result.status).toBe(0);
    // stdout holds one JSON document and nothing else.
    const applied = JSON.parse(result.stdout);
    expect(applied.outcome).toBe('committed');
    expect(applied.leftOut).toEqual(['sniffio/impl']);
    expect(applied.removed.files).toBeGreaterThan(100);
    expect(runCli(['verify', prefix]).status).toBe(0);
    // Idempotent: nothing left to do.
    expect(JSON.parse(runCli(['plan', prefix, '--profile', 'scipy', '--format', 'json']).stdout).entries).toEqual([]);
  }, 300_000);

  it('traces a regression whose error names no file by restoring the rules one at a time', async () => {
    const prefix = await freshEnv('apply-restore-blame');
    // A package that reads a data file at import and hides the path in its own error.
    const site = 'lib/python3.11/site-packages/pkgx';
    mkdirSync(join(prefix, site), { recursive: true });
    writeFileSync(join(prefix, site, '__init__.py'), "import os\ntry:\n    open(os.path.join(os.path.dirname(__file__), 'data.bin'), 'rb').close()\nexcept OSError:\n    raise RuntimeError('broken install') from None\n");
    writeFileSync(join(prefix, site, 'data.bin'), Buffer.alloc(64));
    await writeCondaRecords(prefix, [{ name: 'pkgx', version: '1.0', build: 'py_0', noarch: 'python', files: [`${site}/__init__.py`, `${site}/data.bin`] }], { writer: 'conda', pythonVersion: '3.11', markers: false });
    writeFileSync(join(profiles, 'pkgx.yaml'), ['apiVersion: conda-prune/v1', 'name: pkgx', 'version: "1.0.0"', 'appliesTo: { package: pkgx }', 'rules:', '  - { id: data, category: data, risk: safe, reason: "wrong on purpose", remove: ["{site-packages}/pkgx/*.bin"] }', ''].join('\n'));
    const before = snapshotTree(prefix);
    const result = runCli(['apply', prefix, '--profile', 'scipy', '--profile', join(profiles, 'pkgx.yaml')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FAIL import pkgx: RuntimeError: broken install; traced to pkgx/data (1 files)');
    expect(diffSnapshots(before, snapshotTree(prefix))).toEqual([]);
  }, 300_000);

  it('commits a prune that breaks nothing, and warns about checks that failed before it too', async () => {
    const prefix = await freshEnv('apply-still-broken');
    const result = runCli(['apply', prefix, '--profile', 'scipy', '--import', 'no_such_module_anywhere', '--run', 'false']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Pruned .*\(verified\)\./m);
    expect(result.stdout).toContain('WARNING 2 checks failed before the prune and still fail (not caused by it):');
    expect(result.stdout).toMatch(/^ {2}import no_such_module_anywhere: ModuleNotFoundError/m);
    expect(result.stdout).toMatch(/^ {2}run false: exit code 1/m);
  }, 300_000);

  it('refuses a saved plan once the env changed since', async () => {
    const prefix = await freshEnv('apply-stale');
    const planFile = join(prefix, '..', 'plan.json');
    expect(runCli(['plan', prefix, '--profile', 'scipy', '--format', 'json', '--output', planFile]).status).toBe(0);
    // Another install or update rewrites a record.
    const record = join(prefix, 'conda-meta', 'six-1.16.0-pyhd8ed1ab_0.json');
    utimesSync(record, new Date(), new Date(Date.now() + 5000));
    const result = runCli(['apply', prefix, '--plan', planFile, '--no-verify']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error CP_PLAN_STALE');
  }, 300_000);

  it('lists at most 40 issues of a refusal as text, and every one of them as JSON', async () => {
    const prefix = await freshEnv('apply-many-stale');
    const planFile = join(prefix, '..', 'plan.json');
    expect(runCli(['plan', prefix, '--profile', 'scipy', '--format', 'json', '--output', planFile]).status).toBe(0);
    const planned = (JSON.parse(readFileSync(planFile, 'utf8')) as { entries: { path: string }[] }).entries;
    expect(planned.length).toBeGreaterThan(40);
    // Something else deleted the planned files after the plan was made: every entry is stale.
    for (const entry of planned) rmSync(join(prefix, entry.path));
    const text = runCli(['apply', prefix, '--plan', planFile, '--no-verify']);
    expect(text.status).toBe(3);
    expect(text.stderr.split('\n').filter((line) => line.includes('CP_SAFETY_STALE_MISSING'))).toHaveLength(40);
    expect(text.stderr).toContain(`… and ${planned.length - 40} more (--format json lists them all)`);
    expect(text.stderr).toMatch(/^hint: /m);
    const json = runCli(['apply', prefix, '--plan', planFile, '--no-verify', '--format', 'json']);
    expect(json.status).toBe(3);
    expect((JSON.parse(json.stdout) as { issues: unknown[] }).issues).toHaveLength(planned.length);
  }, 300_000);

  it('applies a saved plan without verification, and recover has nothing to do afterwards', async () => {
    const prefix = await freshEnv('apply-plan');
    const planFile = join(prefix, '..', 'plan.json');
    runCli(['plan', prefix, '--profile', 'scipy', '--format', 'json', '--output', planFile]);
    const applied = runCli(['apply', prefix, '--plan', planFile, '--no-verify']);
    expect(applied.status).toBe(0);
    expect(applied.stdout).toMatch(/^Pruned .*\(not verified\)\./);
    const recovered = runCli(['recover', prefix]);
    expect(recovered.status).toBe(0);
    expect(recovered.stdout).toContain('Nothing to recover');
  }, 300_000);
});
