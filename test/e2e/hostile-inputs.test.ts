/**
 * Hostile inputs through the CLI, as a Dockerfile would meet them: each is refused with its
 * stable code and exit status, and every file inside the prefix and beside it (a sentinel
 * directory standing for the rest of the machine) is still there, byte for byte.
 *
 * `/` is refused by the in-process preflight tests only (test/integration/safety.test.ts): a
 * test never points a deleting command at the real root. The home directory is tested here with
 * a disposable one, passed to the child as HOME.
 */
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeCondaRecords } from '../../fixtures/lib/conda-records.ts';
import { createTempDirectories, put, writeSmallEnvironment } from '../helpers/small-env.ts';
import { runCli, type CliResult } from '../helpers/run-cli.ts';
import { diffSnapshots, snapshotTree } from '../helpers/snapshot-tree.ts';

const temp = createTempDirectories();
afterEach(() => temp.cleanup());

interface Sandbox {
  root: string;
  prefix: string;
  outside: string;
  /** Everything under root, to compare after the run. */
  before: ReturnType<typeof snapshotTree>;
}

/** A small env at root/env and sentinel files at root/outside that rules would match. */
async function sandbox(layout?: (box: Omit<Sandbox, 'before'>) => Promise<void> | void): Promise<Sandbox> {
  const root = temp.make('hostile');
  const prefix = join(root, 'env');
  const outside = join(root, 'outside');
  await writeSmallEnvironment(prefix, 'conda');
  put(outside, 'libvictim.a', 500);
  put(outside, 'tests/test_victim.py', 300);
  put(outside, 'keep/precious.txt', 100);
  await layout?.({ root, prefix, outside });
  return { root, prefix, outside, before: snapshotTree(root, []) };
}

/** Writes a profile beside the sandbox, so the sandbox's snapshot does not include it. */
function profile(name: string, body: string): string {
  const path = join(temp.make('profile'), `${name}.yaml`);
  writeFileSync(path, `apiVersion: conda-prune/v1\nname: ${name}\nversion: "1.0.0"\ndescription: hostile\nappliesTo:\n  package: "*"\n${body}`);
  return path;
}

function expectRefused(result: CliResult, code: string, status: number): void {
  expect(result.stderr, result.stdout).toContain(`error ${code}`);
  expect(result.stderr).toMatch(/^hint: /m);
  expect(result.status).toBe(status);
}

function expectUntouched(box: Sandbox): void {
  expect(diffSnapshots(box.before, snapshotTree(box.root, []))).toEqual([]);
}

describe('hostile profiles are refused before the env is read', () => {
  it('a glob that climbs out with ..', async () => {
    const box = await sandbox();
    const path = profile('climber', 'rules:\n  - { id: out, category: tests, risk: safe, reason: x, remove: ["../outside/**"] }\n');
    expectRefused(runCli(['apply', box.prefix, '--profile', path, '--no-verify']), 'CP_PROFILE_INVALID', 2);
    expectUntouched(box);
  });

  it('an absolute glob, also hidden in a brace alternative', async () => {
    const box = await sandbox();
    const path = profile('absolute', `rules:\n  - { id: out, category: tests, risk: safe, reason: x, remove: ["${box.outside}/**", "{lib,${box.outside}}/*.a"] }\n`);
    const result = runCli(['apply', box.prefix, '--profile', path, '--no-verify']);
    expectRefused(result, 'CP_PROFILE_INVALID', 2);
    expect(result.stderr).toContain('rules[0].remove[0]');
    expect(result.stderr).toContain('rules[0].remove[1]');
    expectUntouched(box);
  });

  it('a YAML alias bomb, quickly and without expanding it', async () => {
    const box = await sandbox();
    const path = join(temp.make('profile'), 'bomb.yaml');
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 10; level++) levels.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9).fill(`*${String.fromCharCode(96 + level)}`).join(',')}]`);
    writeFileSync(path, `${levels.join('\n')}\n`);
    const started = Date.now();
    expectRefused(runCli(['apply', box.prefix, '--profile', path, '--no-verify']), 'CP_PROFILE_INVALID', 2);
    // 9^10 nodes expanded would take minutes and gigabytes; refused, it takes a blink.
    expect(Date.now() - started).toBeLessThan(20_000);
    expectUntouched(box);
  });

  it('a 100 MB profile, refused by its size', async () => {
    const box = await sandbox();
    const path = join(temp.make('profile'), 'huge.yaml');
    writeFileSync(path, 'apiVersion: conda-prune/v1\n');
    truncateSync(path, 100 * 1024 * 1024);
    const result = runCli(['apply', box.prefix, '--profile', path, '--no-verify']);
    expectRefused(result, 'CP_PROFILE_INVALID', 2);
    expect(result.stderr).toContain('is 104857600 bytes; profiles are limited to 1048576 bytes');
    expectUntouched(box);
  });
});

describe('hostile environments: nothing outside the prefix is touched or followed', () => {
  it('a symlink inside the prefix to a directory outside: skipped when planning, refused in a forged plan', async () => {
    const box = await sandbox(async ({ prefix, outside }) => {
      symlinkSync(outside, join(prefix, 'lib/linked'));
      // A record that lists files through the link, as a careless package could.
      await writeCondaRecords(prefix, [{ name: 'linker', version: '1.0', build: '0', files: ['lib/linked/libvictim.a', 'lib/linked/tests/test_victim.py'] }], { writer: 'conda', markers: false });
    });
    const path = profile('grabby', 'rules:\n  - { id: archives, category: static-libs, risk: safe, reason: x, remove: ["**/*.a", "**/tests/**"] }\n');
    const planFile = join(box.root, 'plan.json');
    const planned = runCli(['plan', box.prefix, '--profile', path, '--format', 'json', '--output', planFile]);
    expect(planned.status, planned.stderr).toBe(0);

    // The forged plan: the two files behind the link, as if the planner had listed them.
    const plan = JSON.parse(readText(planFile)) as { entries: Record<string, unknown>[] };
    const template = plan.entries[0] ?? {};
    plan.entries.push({ ...template, path: 'lib/linked/libvictim.a', bytes: 500 }, { ...template, path: 'lib/linked/tests/test_victim.py', bytes: 300 });
    writeFileSync(planFile, JSON.stringify(plan));
    const before = snapshotTree(box.root, []);
    const forged = runCli(['apply', box.prefix, '--plan', planFile, '--no-verify']);
    expectRefused(forged, 'CP_SAFETY_REFUSED', 3);
    expect(forged.stderr).toContain('CP_SAFETY_PATH_OUTSIDE');
    expect(diffSnapshots(before, snapshotTree(box.root, []))).toEqual([]);

    // The honest plan prunes the env and leaves the linked directory alone.
    const applied = runCli(['apply', box.prefix, '--profile', path, '--no-verify']);
    expect(applied.status, applied.stderr).toBe(0);
    const after = snapshotTree(box.outside, []);
    expect([...after.keys()].sort()).toEqual(['keep', 'keep/precious.txt', 'libvictim.a', 'tests', 'tests/test_victim.py']);
  });

  it('a record whose paths climb out of the prefix or are absolute', async () => {
    const box = await sandbox(async ({ prefix, outside }) => {
      put(prefix, 'lib/climber.txt', 10);
      const [recordPath] = await writeCondaRecords(prefix, [{ name: 'climber', version: '1.0', build: '0', files: ['lib/climber.txt'] }], { writer: 'conda', markers: false });
      // The record as a hostile or broken package would leave it: one path climbs, one is absolute.
      const record = JSON.parse(readText(recordPath as string)) as { files: string[]; paths_data: { paths: Record<string, unknown>[] } };
      const template = record.paths_data.paths[0] ?? {};
      for (const path of ['../outside/libvictim.a', `${outside}/tests/test_victim.py`]) {
        record.files.push(path);
        record.paths_data.paths.push({ ...template, _path: path });
      }
      writeFileSync(recordPath as string, JSON.stringify(record, null, 2));
    });
    const path = profile('grabby', 'rules:\n  - { id: archives, category: static-libs, risk: safe, reason: x, remove: ["**/*.a", "**/tests/**"] }\n');
    const result = runCli(['apply', box.prefix, '--profile', path, '--no-verify', '--format', 'json']);
    // The climbing paths are reported as record problems and never become candidates; the
    // rest of the env is pruned as usual.
    expect(result.status, result.stderr).toBe(0);
    const after = snapshotTree(box.outside, []);
    expect([...after.keys()].sort()).toEqual(['keep', 'keep/precious.txt', 'libvictim.a', 'tests', 'tests/test_victim.py']);
    const planned = runCli(['plan', box.prefix, '--profile', path, '--format', 'json']);
    const report = JSON.parse(planned.stdout) as { entries: { path: string }[]; problems: { message: string }[] };
    expect(report.entries.some((entry) => entry.path.includes('..') || entry.path.startsWith('/'))).toBe(false);
    expect(JSON.stringify(report.problems)).toMatch(/climber/);
  });

  it('a forged plan with absolute and climbing entries', async () => {
    const box = await sandbox();
    const planFile = join(box.root, 'plan.json');
    expect(runCli(['plan', box.prefix, '--format', 'json', '--output', planFile]).status).toBe(0);
    const plan = JSON.parse(readText(planFile)) as { entries: Record<string, unknown>[] };
    const template = plan.entries[0] ?? {};
    plan.entries.push({ ...template, path: '../outside/libvictim.a' }, { ...template, path: join(box.outside, 'keep/precious.txt') });
    writeFileSync(planFile, JSON.stringify(plan));
    const before = snapshotTree(box.root, []);
    const result = runCli(['apply', box.prefix, '--plan', planFile, '--no-verify']);
    expectRefused(result, 'CP_SAFETY_REFUSED', 3);
    expect(result.stderr).toContain('climbs out with ..');
    expect(result.stderr).toContain('is absolute');
    expect(diffSnapshots(before, snapshotTree(box.root, []))).toEqual([]);
  });

  it('the home directory as the prefix (a disposable one, passed as HOME)', async () => {
    const box = await sandbox();
    const result = runCli(['apply', box.prefix, '--no-verify'], { env: { HOME: box.prefix } });
    expectRefused(result, 'CP_SAFETY_REFUSED', 3);
    expectUntouched(box);
    // Its parent too: pruning it could reach the home directory.
    mkdirSync(join(box.prefix, 'home'));
    const parent = runCli(['apply', box.prefix, '--no-verify'], { env: { HOME: join(box.prefix, 'home') } });
    expectRefused(parent, 'CP_SAFETY_REFUSED', 3);
  });
});

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
