/**
 * The conda-meta rule: validation confines `lastStep` to conda-meta/, the planner opens
 * conda-meta/ to it alone, safety refuses a plan file that smuggles records in without it, and
 * apply removes the records only after the rest of the run was verified and committed.
 */
import { existsSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.ts';
import { planPrefix } from '../../src/plan/plan-prefix.ts';
import { checkPlanSafety } from '../../src/safety/check-plan-safety.ts';
import { runPreflight } from '../../src/apply/preflight.ts';
import { readEnvironment } from '../../src/environment/read-environment.ts';
import type { Plan } from '../../src/plan/types.ts';
import { createTempDirectories, writeSmallEnvironment } from '../helpers/small-env.ts';
import { errorOf } from '../helpers/error-of.ts';
import { diffSnapshots, snapshotTree } from '../helpers/snapshot-tree.ts';

const temp = createTempDirectories();
afterEach(() => temp.cleanup());

const header = 'apiVersion: conda-prune/v1\nname: meta-test\nversion: "1.0.0"\ndescription: test\nappliesTo:\n  package: "*"\nrules:\n';
const recordsRule = '  - id: records\n    category: metadata\n    risk: aggressive\n    scope: unowned\n    lastStep: true\n    reason: test\n    remove: ["conda-meta/**"]\n';
const archivesRule = '  - id: archives\n    category: static-libs\n    risk: aggressive\n    reason: test\n    remove: ["**/*.a", "**/tests/**"]\n';

async function envWithProfile(rules: string): Promise<{ prefix: string; profile: string }> {
  const prefix = temp.make('last-step');
  await writeSmallEnvironment(prefix, 'conda');
  const profile = join(temp.make('profile'), 'meta-test.yaml');
  writeFileSync(profile, header + rules);
  return { prefix, profile };
}

async function planWith(prefix: string, profile: string): Promise<Plan> {
  return planPrefix({ prefix, profiles: [profile], maxRisk: 'aggressive', cwd: prefix });
}

describe('the conda-meta rule', () => {
  it('is the only way into conda-meta/: a plain rule that names it is refused by validation', async () => {
    const { prefix, profile } = await envWithProfile('  - id: records\n    category: metadata\n    risk: aggressive\n    scope: unowned\n    reason: test\n    remove: ["conda-meta/**"]\n');
    const error = await planWith(prefix, profile).then(() => undefined, (caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CP_PROFILE_INVALID' });
    expect(JSON.stringify(error)).toContain('only a rule with lastStep: true may remove conda-meta/');
  });

  it('refuses a lastStep rule that is not aggressive and unowned, or reaches outside conda-meta/', async () => {
    const { prefix, profile } = await envWithProfile('  - id: records\n    category: metadata\n    risk: safe\n    lastStep: true\n    reason: test\n    remove: ["conda-meta/**", "lib/**"]\n');
    const error = await planWith(prefix, profile).then(() => undefined, (caught: unknown) => caught);
    const text = JSON.stringify(error);
    expect(text).toContain('scope must be unowned');
    expect(text).toContain('a lastStep rule must be aggressive');
    expect(text).toContain('a lastStep rule may only remove paths under conda-meta/');
  });

  it('plans every record as a last-step entry, and nothing of conda-meta/ for other rules', async () => {
    const { prefix, profile } = await envWithProfile(recordsRule + archivesRule);
    const plan = await planWith(prefix, profile);
    const records = readdirSync(join(prefix, 'conda-meta')).map((name) => `conda-meta/${name}`).sort();
    const lastStep = plan.entries.filter((entry) => entry.lastStep === true);
    expect(lastStep.map((entry) => entry.path).sort()).toEqual(records);
    expect(lastStep.every((entry) => entry.rule === 'records' && entry.category === 'metadata')).toBe(true);
    const others = plan.entries.filter((entry) => entry.lastStep !== true);
    expect(others.length).toBeGreaterThan(0);
    expect(others.some((entry) => entry.path.startsWith('conda-meta/'))).toBe(false);
  });

  it('removes conda-meta/ only after the verified run committed', async () => {
    const { prefix, profile } = await envWithProfile(recordsRule + archivesRule);
    const plan = await planWith(prefix, profile);
    let recordsDuringCheck = -1;
    const result = await applyPlan(plan, {
      verify: true,
      check: async () => {
        recordsDuringCheck = readdirSync(join(prefix, 'conda-meta')).length;
        return { ok: true };
      },
    });
    expect(recordsDuringCheck).toBeGreaterThan(0);
    expect(result.outcome).toBe('committed');
    expect(result.removed.files).toBe(plan.entries.length);
    expect(existsSync(join(prefix, 'conda-meta'))).toBe(false);
    for (const entry of plan.entries) expect(existsSync(join(prefix, entry.path)), entry.path).toBe(false);
  });

  it('leaves conda-meta/ and everything else in place when verification fails', async () => {
    const { prefix, profile } = await envWithProfile(recordsRule + archivesRule);
    const plan = await planWith(prefix, profile);
    const before = snapshotTree(prefix);
    const result = await applyPlan(plan, { verify: true, check: async () => ({ ok: false }) });
    expect(result.outcome).toBe('rolled-back');
    expect(diffSnapshots(before, snapshotTree(prefix))).toEqual([]);
  });

  it('refuses --keep-backup, which undo could not use without the records', async () => {
    const { prefix, profile } = await envWithProfile(recordsRule + archivesRule);
    const plan = await planWith(prefix, profile);
    const error = await applyPlan(plan, { verify: true, keepBackup: true, check: async () => ({ ok: true }) }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CP_USAGE' });
    expect(existsSync(join(prefix, 'conda-meta'))).toBe(true);
  });

  it('refuses a plan file that lists a record without the last-step mark, or marks a path outside conda-meta/', async () => {
    const { prefix, profile } = await envWithProfile(recordsRule + archivesRule);
    const plan = await planWith(prefix, profile);
    const record = plan.entries.find((entry) => entry.lastStep === true);
    const other = plan.entries.find((entry) => entry.lastStep !== true);
    if (record === undefined || other === undefined) throw new Error('the plan lacks the entries this test needs');
    const forged: Plan = {
      ...plan,
      entries: plan.entries.map((entry) => (entry === record ? { ...entry, lastStep: undefined } : entry === other ? { ...entry, lastStep: true as const } : entry)),
    };
    const messages = checkPlanSafety(forged, { prefix, realPrefix: realpathSync(prefix), home: undefined }).map((violation) => `${violation.code} ${violation.message}`);
    expect(messages).toContainEqual(expect.stringMatching(new RegExp(`^CP_SAFETY_CONDA_META .*${record.path} lies in conda-meta/`)));
    expect(messages).toContainEqual(expect.stringMatching(new RegExp(`^CP_SAFETY_CONDA_META .*${other.path} is marked as a last step`)));
    // Through apply, the same plan is refused before anything changes.
    const before = snapshotTree(prefix);
    expect(errorOf(() => runPreflight(forged, readEnvironment(prefix), undefined)).code).toBe('CP_SAFETY_REFUSED');
    expect(diffSnapshots(before, snapshotTree(prefix))).toEqual([]);
  });
});
