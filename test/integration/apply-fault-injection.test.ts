/**
 * Kills `apply` with SIGKILL at many random moments on an env of a few thousand files, runs
 * recover, and requires the tree (paths, contents, modes, links) to be byte-identical to the
 * original or to the fully pruned result: never anything in between.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverPrefix } from '../../src/apply/recover.ts';
import { planPrefix } from '../../src/plan/plan-prefix.ts';
import { writeCondaRecords, type FixturePackage } from '../../fixtures/lib/conda-records.ts';
import { createTempDirectories, put } from '../helpers/small-env.ts';
import { diffSnapshots, snapshotTree, type TreeSnapshot } from '../helpers/snapshot-tree.ts';

const kills = Number(process.env.CONDA_PRUNE_KILLS ?? 100);
const child = fileURLToPath(new URL('../helpers/apply-child.ts', import.meta.url));
/** One process: the tsx CLI would start a second node, which a SIGKILL of the first misses. */
const childArgs = (...args: string[]): string[] => ['--import', 'tsx', child, ...args];
const temp = createTempDirectories();
let template = '';
let planFile = '';
let original: TreeSnapshot;
const pruned: Record<string, TreeSnapshot> = {};

/** An env of 3,000 files in 30 packages, with test suites, static libraries and links. */
async function writeTemplate(prefix: string): Promise<void> {
  const packages: FixturePackage[] = [];
  for (let p = 0; p < 30; p++) {
    const files: string[] = [];
    for (let f = 0; f < 90; f++) {
      const path = `lib/python3.11/site-packages/pkg${p}/${f % 3 === 0 ? `tests/sub${f % 4}/` : ''}mod${f}.py`;
      put(prefix, path, 100 + ((p * 90 + f) % 700));
      files.push(path);
    }
    for (let a = 0; a < 10; a++) {
      const path = `lib/libpkg${p}_${a}.a`;
      put(prefix, path, 2000 + a);
      files.push(path);
    }
    packages.push({ name: `pkg${p}`, version: '1.0', build: 'py_0', files });
  }
  await writeCondaRecords(prefix, packages, { writer: 'conda', pythonVersion: '3.11' });
  // Every package's tests/ go with a local profile; the static libraries with the builtin one.
  writeFileSync(join(prefix, 'tests.yaml'), ['apiVersion: conda-prune/v1', 'name: tests', 'version: "1.0.0"', 'appliesTo: { package: "*" }', 'rules:', '  - { id: tests, category: tests, risk: safe, reason: test suites, remove: ["**/tests/**"] }', ''].join('\n'));
}

function runToEnd(prefix: string, mode: string): string {
  const result = spawnSync(process.execPath, childArgs(planFileFor(prefix), mode, '0'), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

function planFileFor(prefix: string): string {
  const text = JSON.stringify({ ...JSON.parse(planFile), prefix });
  const path = `${prefix}.plan.json`;
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  template = join(temp.make('fault'), 'env');
  await writeTemplate(template);
  original = snapshotTree(template);
  const plan = await planPrefix({ prefix: template, profiles: ['static-libs', join(template, 'tests.yaml')], cwd: template });
  expect(plan.entries.length).toBeGreaterThan(1000);
  planFile = JSON.stringify(plan);
  for (const mode of ['quarantine', 'roll-forward']) {
    const copy = `${template}-${mode}-done`;
    copyTree(template, copy);
    expect(runToEnd(copy, mode)).toBe('committed');
    pruned[mode] = snapshotTree(copy);
  }
}, 600_000);

afterAll(() => temp.cleanup());

/** Copies a tree with cp -a: several times faster than a recursive copy in node for 3,000 files. */
function copyTree(from: string, to: string): void {
  const result = spawnSync('cp', ['-a', from, to]);
  if (result.status !== 0) throw new Error(`cp -a ${from} ${to} failed: ${result.stderr.toString()}`);
}

/** Starts the apply child, kills it after `delayMs`, and resolves when it is gone. */
function applyAndKill(prefix: string, mode: string, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const running = spawn(process.execPath, childArgs(planFileFor(prefix), mode, '40'), { stdio: 'ignore' });
    const timer = setTimeout(() => running.kill('SIGKILL'), delayMs);
    running.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('apply killed at random moments', () => {
  it(`ends original or fully pruned after recover, ${kills} kills in a row`, async () => {
    const outcomes = { original: 0, pruned: 0 };
    for (let round = 0; round < kills; round++) {
      const mode = round % 2 === 0 ? 'quarantine' : 'roll-forward';
      const prefix = `${template}-kill-${round}`;
      copyTree(template, prefix);
      // Loading the TypeScript sources takes ~300-500 ms; the run itself ~100-300 ms after that.
      await applyAndKill(prefix, mode, 250 + Math.floor(Math.random() * 900));
      recoverPrefix(prefix);
      const tree = snapshotTree(prefix);
      const asOriginal = diffSnapshots(original, tree);
      const asPruned = diffSnapshots(pruned[mode] as TreeSnapshot, tree);
      expect(asOriginal.length === 0 || asPruned.length === 0, `round ${round} (${mode}): neither original (${asOriginal.join('; ')}) nor pruned (${asPruned.join('; ')})`).toBe(true);
      if (asOriginal.length === 0) outcomes.original++;
      else outcomes.pruned++;
      spawnSync('rm', ['-rf', prefix, `${prefix}.plan.json`]);
    }
    // Both ends must have been reached, or the kills were all too early or too late to prove much.
    expect(outcomes.original).toBeGreaterThan(0);
    expect(outcomes.pruned).toBeGreaterThan(0);
  }, 1_800_000);
});
