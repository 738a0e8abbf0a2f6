/**
 * The standalone executable: scripts/build-sea.ts builds dist/conda-prune and smoke-tests it
 * (version, plan of the demo env equal to the bundle's); here the result also prunes and
 * verifies the real python env, from an empty directory, with no node on PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPythonEnv } from '../../fixtures/python-env/template.ts';
import { createTempDirectories } from '../helpers/small-env.ts';

const repository = fileURLToPath(new URL('../../', import.meta.url));
const executable = join(repository, 'dist/conda-prune');
const temp = createTempDirectories();
let built: ReturnType<typeof spawnSync> | undefined;
let prefix = '';

/** Runs the executable from an empty directory; PATH holds only the basic system tools. */
function runExecutable(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(executable, args, { cwd: temp.make('sea-cwd'), encoding: 'utf8', env: { PATH: '/nonexistent' }, timeout: 300_000, maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  built = spawnSync(process.execPath, ['--import', tsx, join(repository, 'scripts/build-sea.ts')], { cwd: repository, encoding: 'utf8', timeout: 300_000 });
  prefix = join(temp.make('sea-env'), 'env');
  await copyPythonEnv(prefix);
}, 900_000);
afterAll(() => temp.cleanup());

describe('the standalone executable', () => {
  it('is built and passes the smoke test of its build script', () => {
    expect(built?.stderr.toString()).not.toContain('build-sea failed');
    expect(built?.status).toBe(0);
    expect(built?.stdout.toString()).toContain('smoke test passed');
    expect(existsSync(executable)).toBe(true);
  });

  it('prunes, verifies and re-plans the real python env without node', () => {
    const version = (JSON.parse(readFileSync(join(repository, 'package.json'), 'utf8')) as { version: string }).version;
    expect(runExecutable(['--version']).stdout.trim()).toBe(version);
    const applied = runExecutable(['apply', prefix, '--format', 'json']);
    expect(applied.status).toBe(0);
    const result = JSON.parse(applied.stdout) as { outcome: string; mode: string; removed: { files: number } };
    expect(result).toMatchObject({ outcome: 'committed', mode: 'quarantine' });
    expect(result.removed.files).toBeGreaterThan(1000);
    expect(runExecutable(['verify', prefix]).status).toBe(0);
    expect(JSON.parse(runExecutable(['plan', prefix, '--format', 'json']).stdout).entries).toEqual([]);
  }, 300_000);
});
