/**
 * dist/conda-prune.mjs on its own, as a Dockerfile uses it: copied alone into an empty directory
 * with no node_modules anywhere above it, run by plain node on a copy of the real python env.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPythonEnv } from '../../fixtures/python-env/template.ts';
import { cliPath } from '../helpers/run-cli.ts';
import { createTempDirectories } from '../helpers/small-env.ts';

const temp = createTempDirectories();
let bundle = '';
let prefix = '';

/** Runs the lone copy from its own directory, with nothing but PATH and HOME set. */
function runAlone(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bundle, ...args], {
    cwd: dirname(bundle),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    timeout: 300_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Lists the node_modules directories in `directory` and every directory above it. */
function nodeModulesAbove(directory: string): string[] {
  const found: string[] = [];
  for (let current = directory; ; current = dirname(current)) {
    if (existsSync(join(current, 'node_modules'))) found.push(join(current, 'node_modules'));
    if (dirname(current) === current) return found;
  }
}

beforeAll(async () => {
  const alone = temp.make('bundle-alone');
  bundle = join(alone, 'conda-prune.mjs');
  copyFileSync(cliPath, bundle);
  prefix = join(temp.make('bundle-alone-env'), 'env');
  await copyPythonEnv(prefix);
}, 900_000);
afterAll(() => temp.cleanup());

describe('the bundle copied alone', () => {
  it('sits in an otherwise empty directory with no node_modules above it', () => {
    expect(readdirSync(dirname(bundle))).toEqual(['conda-prune.mjs']);
    expect(nodeModulesAbove(dirname(bundle))).toEqual([]);
  });

  it('plans, applies with verification, verifies, and then has nothing left to do', () => {
    const planned = runAlone(['plan', prefix, '--format', 'json']);
    expect(planned.stderr).toBe('');
    expect(planned.status).toBe(0);
    const plan = JSON.parse(planned.stdout) as { tool: { version: string }; profiles: unknown[]; entries: Array<{ path: string }> };
    expect(plan.tool.version).toBe((JSON.parse(readFileSync(join(dirname(cliPath), '..', 'package.json'), 'utf8')) as { version: string }).version);
    // The shipped profiles come from inside the bundle: there is no profiles/ directory to read.
    expect(plan.profiles.length).toBeGreaterThan(3);
    expect(plan.entries.length).toBeGreaterThan(1000);

    const applied = runAlone(['apply', prefix, '--import', 'scipy.stats']);
    expect(applied.status).toBe(0);
    expect(applied.stdout).toMatch(new RegExp(`^Pruned ${prefix}: ${plan.entries.length.toLocaleString('en-US')} files, .+ \\(verified\\)\\.$`, 'm'));
    expect(plan.entries.filter((entry) => existsSync(join(prefix, entry.path)))).toEqual([]);
    expect(readFileSync(join(prefix, '.conda-prune/history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);

    const verified = runAlone(['verify', prefix, '--import', 'scipy.stats', '--format', 'json']);
    expect(verified.status).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, prefix });

    const again = runAlone(['plan', prefix, '--format', 'json']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).entries).toEqual([]);
  }, 600_000);
});
