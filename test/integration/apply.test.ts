/**
 * applyPlan on real temp environments: what a committed run leaves, a failed check that puts
 * everything back byte for byte, roll-forward runs, records that conda still reads, and the
 * failures a real disk produces (a file that cannot move, one that vanishes, another device).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.ts';
import { acquireLock } from '../../src/apply/lock.ts';
import { readHistory } from '../../src/apply/history.ts';
import { recoverPrefix } from '../../src/apply/recover.ts';
import { undoLastRun } from '../../src/apply/undo.ts';
import { statePaths } from '../../src/apply/state-paths.ts';
import { planPrefix } from '../../src/plan/plan-prefix.ts';
import { readEnvironment } from '../../src/environment/read-environment.ts';
import { createTempDirectories, sp, writeSmallEnvironment } from '../helpers/small-env.ts';
import { diffSnapshots, snapshotTree } from '../helpers/snapshot-tree.ts';
import { errorOf } from '../helpers/error-of.ts';

const temp = createTempDirectories();
afterEach(() => temp.cleanup());

async function smallEnv(): Promise<string> {
  const prefix = temp.make('apply');
  await writeSmallEnvironment(prefix, 'conda');
  return prefix;
}

describe('applyPlan, verified (quarantine)', () => {
  it('removes exactly the plan, rewrites the records and writes the history', async () => {
    const prefix = await smallEnv();
    const before = snapshotTree(prefix);
    const plan = await planPrefix({ prefix, cwd: prefix });
    const result = await applyPlan(plan, { verify: true, check: async () => ({ ok: true, report: 'fine' }) });

    expect(result.outcome).toBe('committed');
    expect(result.removed.files).toBe(plan.totals.files);
    expect(result.check).toBe('fine');
    const after = snapshotTree(prefix);
    for (const entry of plan.entries) expect(after.has(entry.path), entry.path).toBe(false);
    for (const directory of plan.directories) expect(after.has(directory), directory).toBe(false);
    // Everything not in the plan is untouched, but the records of the packages that lost files.
    const changed = diffSnapshots(before, after, 1000).filter((line) => !plan.entries.some((entry) => line === `missing ${entry.path}`) && !plan.directories.some((directory) => line === `missing ${directory}`));
    expect(changed.every((line) => line.startsWith('changed conda-meta/'))).toBe(true);
    expect(changed.length).toBeGreaterThan(0);

    const scipy = JSON.parse(readFileSync(join(prefix, 'conda-meta/scipy-1.9.3-py311h0_0.json'), 'utf8'));
    expect(scipy.files).not.toContain(`${sp}/scipy/stats/tests/test_stats.py`);
    expect(scipy.files).toContain(`${sp}/scipy/__init__.py`);
    expect(scipy.paths_data.paths.map((entry: { _path: string }) => entry._path)).not.toContain(`${sp}/scipy/stats/tests/test_stats.py`);
    expect(existsSync(join(prefix, '.conda-prune/quarantine'))).toBe(false);
    expect(readHistory(prefix).map((entry) => entry.runId)).toEqual([result.runId]);
    expect(readFileSync(join(statePaths(prefix).root, `runs/${result.runId}.paths`), 'utf8').trim().split('\n')).toEqual(plan.entries.map((entry) => entry.path));
  });

  it('is idempotent: the next plan is empty and a second apply changes nothing', async () => {
    const prefix = await smallEnv();
    await applyPlan(await planPrefix({ prefix, cwd: prefix }), { verify: false });
    const again = await planPrefix({ prefix, cwd: prefix });
    expect(again.entries).toEqual([]);
    const before = snapshotTree(prefix);
    const result = await applyPlan(again, { verify: false });
    expect(result.outcome).toBe('nothing-to-do');
    expect(diffSnapshots(before, snapshotTree(prefix))).toEqual([]);
  });

  it('puts every file, directory and record back, byte for byte, when the check fails', async () => {
    const prefix = await smallEnv();
    const before = snapshotTree(prefix);
    const plan = await planPrefix({ prefix, cwd: prefix });
    let sawPruned = false;
    const result = await applyPlan(plan, {
      verify: true,
      check: async () => {
        sawPruned = !existsSync(join(prefix, plan.entries[0]?.path ?? 'x'));
        return { ok: false, report: 'import scipy failed' };
      },
    });
    expect(sawPruned).toBe(true);
    expect(result.outcome).toBe('rolled-back');
    expect(diffSnapshots(before, snapshotTree(prefix))).toEqual([]);
    expect(readHistory(prefix)).toEqual([]);
  });

  it('keeps a backup with --keep-backup', async () => {
    const prefix = await smallEnv();
    const plan = await planPrefix({ prefix, cwd: prefix });
    const result = await applyPlan(plan, { verify: true, keepBackup: true, check: async () => ({ ok: true }) });
    expect(result.backup).toBe(`.conda-prune/backups/${result.runId}`);
    for (const entry of plan.entries) expect(existsSync(join(prefix, result.backup ?? '', 'files', entry.path)), entry.path).toBe(true);
    expect(existsSync(join(prefix, result.backup ?? '', 'journal.json'))).toBe(true);
  });
});

describe('applyPlan, unverified (roll-forward)', () => {
  it('deletes the plan directly and leaves no quarantine', async () => {
    const prefix = await smallEnv();
    const plan = await planPrefix({ prefix, cwd: prefix });
    const result = await applyPlan(plan, { verify: false });
    expect(result.mode).toBe('roll-forward');
    expect(result.outcome).toBe('committed');
    for (const entry of plan.entries) expect(existsSync(join(prefix, entry.path))).toBe(false);
    expect(existsSync(join(prefix, '.conda-prune/quarantine'))).toBe(false);
  });
});

describe('applyPlan on a disk that does not cooperate', () => {
  it('copies across devices when rename fails with EXDEV, and still restores byte for byte', async () => {
    const prefix = await smallEnv();
    const before = snapshotTree(prefix);
    const exdev = (): void => {
      throw Object.assign(new Error('cross-device link not permitted'), { code: 'EXDEV' });
    };
    const plan = await planPrefix({ prefix, cwd: prefix });
    const result = await applyPlan(plan, { verify: true, rename: exdev, check: async () => ({ ok: false }) });
    expect(result.outcome).toBe('rolled-back');
    expect(diffSnapshots(before, snapshotTree(prefix))).toEqual([]);
  });

  it('reports a file that vanished after the plan and removes the rest', async () => {
    const prefix = await smallEnv();
    const plan = await planPrefix({ prefix, cwd: prefix });
    const gone = plan.entries[2]?.path as string;
    let removedOne = false;
    const result = await applyPlan(plan, {
      verify: true,
      // Removes one planned file right after the first move: it vanishes mid-run.
      rename: (from, to) => {
        if (!removedOne) {
          removedOne = true;
          rmSync(join(prefix, gone));
        }
        renameSync(from, to);
      },
      check: async () => ({ ok: true }),
    });
    expect(result.vanished).toEqual([gone]);
    expect(result.removed.files).toBe(plan.entries.length - 1);
  });

  it('puts everything back when a file cannot be moved (immutable), with CP_APPLY_ROLLED_BACK', async () => {
    const prefix = await smallEnv();
    const plan = await planPrefix({ prefix, cwd: prefix });
    const stuck = join(prefix, plan.entries[3]?.path as string);
    if (spawnSync('chattr', ['+i', stuck]).status !== 0) return expect.soft(true, 'chattr +i is not supported on this filesystem').toBe(true);
    try {
      const before = snapshotTree(prefix);
      const error = await applyPlan(plan, { verify: true, check: async () => ({ ok: true }) }).catch((caught: unknown) => caught);
      expect((error as { code?: string }).code).toBe('CP_APPLY_ROLLED_BACK');
      expect(diffSnapshots(before, snapshotTree(prefix))).toEqual([]);
      expect(existsSync(statePaths(prefix).journal)).toBe(false);
    } finally {
      spawnSync('chattr', ['-i', stuck]);
    }
  });
});

describe('one run at a time', () => {
  it('refuses a second run while the lock is held, with CP_LOCKED', async () => {
    const prefix = await smallEnv();
    const plan = await planPrefix({ prefix, cwd: prefix });
    const lock = acquireLock(prefix, 'apply');
    try {
      const error = await applyPlan(plan, { verify: false }).catch((caught: unknown) => caught);
      expect((error as { code?: string }).code).toBe('CP_LOCKED');
      for (const entry of plan.entries) expect(existsSync(join(prefix, entry.path))).toBe(true);
    } finally {
      lock.release();
    }
  });

  it('refuses to read an env with an unfinished run and points to recover', async () => {
    const prefix = await smallEnv();
    mkdirSync(statePaths(prefix).root, { recursive: true });
    writeFileSync(statePaths(prefix).journal, '{}');
    const error = errorOf(() => readEnvironment(prefix));
    expect(error.code).toBe('CP_UNFINISHED_RUN');
    expect(error.hint).toContain('conda-prune recover');
  });

  it('says there is nothing to recover when there is no journal', async () => {
    const prefix = await smallEnv();
    expect(recoverPrefix(prefix).outcome).toBe('nothing-to-recover');
  });
});

describe('undo', () => {
  it('restores a run kept with --keep-backup, byte for byte, and marks it undone', async () => {
    const prefix = await smallEnv();
    const before = snapshotTree(prefix);
    const result = await applyPlan(await planPrefix({ prefix, cwd: prefix }), { verify: true, keepBackup: true, check: async () => ({ ok: true }) });
    const undone = undoLastRun(prefix);
    expect(undone.runId).toBe(result.runId);
    expect(diffSnapshots(before, snapshotTree(prefix))).toEqual([]);
    expect(readHistory(prefix)[0]?.undoneAt).toBeDefined();
    expect(existsSync(join(prefix, result.backup ?? ''))).toBe(false);
    expect(errorOf(() => undoLastRun(prefix)).code).toBe('CP_USAGE');
  });

  it('refuses when a record changed after the prune, touching nothing', async () => {
    const prefix = await smallEnv();
    await applyPlan(await planPrefix({ prefix, cwd: prefix }), { verify: true, keepBackup: true, check: async () => ({ ok: true }) });
    const record = join(prefix, 'conda-meta/scipy-1.9.3-py311h0_0.json');
    writeFileSync(record, readFileSync(record, 'utf8').replace('"1.9.3"', '"1.9.4"'));
    const before = snapshotTree(prefix);
    expect(errorOf(() => undoLastRun(prefix)).message).toContain('changed after it');
    expect(diffSnapshots(before, snapshotTree(prefix))).toEqual([]);
  });
});

describe('conda-prune never prunes its own state', () => {
  it('leaves bytecode in an earlier run’s backup out of an unowned-scope plan', async () => {
    const prefix = await smallEnv();
    const backedUp = `.conda-prune/backups/r1/files/${sp}/scipy/__pycache__/x.cpython-311.pyc`;
    mkdirSync(join(prefix, backedUp, '..'), { recursive: true });
    writeFileSync(join(prefix, backedUp), 'bytecode of an earlier run');
    const plan = await planPrefix({ prefix, preset: 'moderate', cwd: prefix });
    expect(plan.entries.some((entry) => entry.path.startsWith('.conda-prune/'))).toBe(false);
    await applyPlan(plan, { verify: false });
    expect(existsSync(join(prefix, backedUp))).toBe(true);
  });

  it('refuses a hand-made plan that names a file of .conda-prune/, touching nothing', async () => {
    const prefix = await smallEnv();
    mkdirSync(statePaths(prefix).root, { recursive: true });
    writeFileSync(statePaths(prefix).history, '');
    const plan = await planPrefix({ prefix, cwd: prefix });
    const before = snapshotTree(prefix, []);
    plan.entries.push({ ...(plan.entries[0] as (typeof plan.entries)[number]), path: '.conda-prune/history.jsonl', bytes: 0 });
    const error = await applyPlan(plan, { verify: false }).catch((caught: unknown) => caught);
    expect((error as { code?: string }).code).toBe('CP_SAFETY_REFUSED');
    expect(JSON.stringify((error as { issues?: unknown }).issues)).toContain('CP_SAFETY_STATE');
    expect(diffSnapshots(before, snapshotTree(prefix, []))).toEqual([]);
  });

  it('refuses --keep-backup without verification instead of dropping the backup', async () => {
    const prefix = await smallEnv();
    const plan = await planPrefix({ prefix, cwd: prefix });
    const error = await applyPlan(plan, { verify: false, keepBackup: true }).catch((caught: unknown) => caught);
    expect((error as { code?: string }).code).toBe('CP_USAGE');
    for (const entry of plan.entries) expect(existsSync(join(prefix, entry.path))).toBe(true);
  });
});

describe('state files after a crash', () => {
  it('starts a new history line when a crash tore the last one', async () => {
    const prefix = await smallEnv();
    mkdirSync(statePaths(prefix).root, { recursive: true });
    writeFileSync(statePaths(prefix).history, '{"runId":"torn","appl');
    const result = await applyPlan(await planPrefix({ prefix, cwd: prefix }), { verify: false });
    expect(readHistory(prefix).map((entry) => entry.runId)).toEqual([result.runId]);
  });

  it('does not read a state an earlier run left as the new run’s', async () => {
    const prefix = await smallEnv();
    mkdirSync(statePaths(prefix).root, { recursive: true });
    writeFileSync(`${statePaths(prefix).journal}.state`, 'r1 verified');
    const before = snapshotTree(prefix);
    const plan = await planPrefix({ prefix, cwd: prefix });
    // The run writes its journal and dies before its state: recover must revert, not commit.
    const { readJournal } = await import('../../src/apply/journal.ts');
    const journal = { schemaVersion: 1 as const, runId: 'r2', mode: 'quarantine' as const, prefix, startedAt: '', quarantine: '.conda-prune/quarantine/r2', keepBackup: false, entries: plan.entries.map((entry) => ({ path: entry.path, kind: entry.kind })), directories: [], records: [], history: { runId: 'r2', appliedAt: '', tool: { name: 'conda-prune' as const, version: '0' }, maxRisk: 'safe', verified: true, profiles: [], totals: { files: 0, bytes: 0, directories: 0 }, pathsFile: 'runs/r2.paths' } };
    writeFileSync(statePaths(prefix).journal, JSON.stringify(journal));
    expect(readJournal(prefix)?.state).toBe('prepared');
    expect(recoverPrefix(prefix).outcome).toBe('reverted');
    expect(readHistory(prefix)).toEqual([]);
    expect(diffSnapshots(before, snapshotTree(prefix))).toEqual([]);
  });
});
