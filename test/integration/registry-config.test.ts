/**
 * conda-prune.yaml and conda-prune.lock without a network: where references resolve from,
 * which of flags and config wins, the config's keep and disable, and lockfile pins of builtin
 * and file profiles.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSelection } from '../../src/config/prepare-selection.ts';
import { createLockfile } from '../../src/lockfile/create-lockfile.ts';
import { renderLockfile } from '../../src/lockfile/lockfile.ts';
import { planPrefix } from '../../src/plan/plan-prefix.ts';
import { createTempDirectories, sp, writeSmallEnvironment } from '../helpers/small-env.ts';
import { errorOfAsync } from '../helpers/error-of.ts';

const temp = createTempDirectories();
let prefix: string;

beforeAll(async () => {
  prefix = temp.make('env');
  await writeSmallEnvironment(prefix, 'rattler');
});

afterAll(() => temp.cleanup());

const localProfile = `apiVersion: conda-prune/v1
name: six
version: "1.0.0"
appliesTo: { package: six }
rules:
  - { id: module, category: sources, risk: moderate, reason: test fixture, remove: ["{site-packages}/six.py"] }
`;

/** A project whose config lives in team/ and names a profile relative to it. */
function project(config: string): { cwd: string; configFile: string; cacheDirectory: string } {
  const cwd = temp.make('project');
  mkdirSync(join(cwd, 'team', 'profiles'), { recursive: true });
  writeFileSync(join(cwd, 'team', 'profiles', 'six.yaml'), localProfile);
  writeFileSync(join(cwd, 'team', 'conda-prune.yaml'), config);
  return { cwd, configFile: 'team/conda-prune.yaml', cacheDirectory: join(cwd, '.cache') };
}

describe('conda-prune.yaml', () => {
  it("resolves the config's relative references against the config file, and takes its maxRisk", async () => {
    const options = project('profiles: [./profiles/six.yaml, builtin:scipy]\nmaxRisk: moderate\n');
    const plan = await planPrefix({ prefix, ...(await prepareSelection(options)) });
    expect(plan.maxRisk).toBe('moderate');
    expect(plan.profiles.map((profile) => profile.source)).toEqual([join(options.cwd, 'team', 'profiles', 'six.yaml'), 'builtin:scipy']);
    expect(plan.entries.map((entry) => entry.path)).toContain(`${sp}/six.py`);
  });

  it('lets flags win: --profile replaces the config profiles, --max-risk its cap', async () => {
    const options = project('profiles: [./profiles/six.yaml]\nmaxRisk: moderate\n');
    const plan = await planPrefix({ prefix, ...(await prepareSelection({ ...options, profiles: ['builtin:scipy'], maxRisk: 'safe' })) });
    expect(plan.profiles.map((profile) => profile.name)).toEqual(['scipy']);
    expect(plan.maxRisk).toBe('safe');
  });

  it("keeps the config's keep globs from every rule, and leaves out what it disables", async () => {
    const kept = `${sp}/scipy/stats/tests/test_stats.py`;
    const base = await planPrefix({ prefix, ...(await prepareSelection(project('profiles: [builtin:scipy, builtin:libsanitizer]\n'))) });
    expect(base.entries.map((entry) => entry.path)).toContain(kept);
    expect(base.entries.some((entry) => entry.package === 'libsanitizer')).toBe(true);
    const plan = await planPrefix({ prefix, ...(await prepareSelection(project(`profiles: [builtin:scipy, builtin:libsanitizer]\nkeep: ["{site-packages}/scipy/stats/tests/test_*.py"]\ndisable: [libsanitizer]\n`))) });
    expect(plan.entries.map((entry) => entry.path)).not.toContain(kept);
    expect(plan.skipped).toContainEqual(expect.objectContaining({ path: kept, reason: 'kept' }));
    expect(plan.entries.some((entry) => entry.package === 'libsanitizer')).toBe(false);
    expect(plan.entries.length).toBeGreaterThan(0);
  });

  it('reports an invalid config with CP_CONFIG_INVALID and every issue', async () => {
    const error = await errorOfAsync(() => prepareSelection(project('profiles: ./x.yaml\nmaxRisk: yolo\n')));
    expect(error.code).toBe('CP_CONFIG_INVALID');
    expect(error.issues.map((issue) => `${issue.line} ${issue.path}`)).toEqual(['1 profiles', '2 maxRisk']);
  });

  it('refuses a --config that does not exist', async () => {
    const error = await errorOfAsync(() => prepareSelection({ ...project(''), configFile: 'nope.yaml' }));
    expect(error.code).toBe('CP_CONFIG_INVALID');
    expect(error.message).toMatch(/^cannot read config .*nope\.yaml: ENOENT$/);
  });
});

describe('conda-prune.lock pins builtin and file profiles', () => {
  it('refuses a local profile changed since it was locked, until it is updated', async () => {
    const options = project('profiles: [./profiles/six.yaml, builtin:scipy]\n');
    const lockPath = join(options.cwd, 'team', 'conda-prune.lock');
    const { lockfile } = createLockfile(await prepareSelection({ ...options, lockMode: 'lock' }));
    expect(lockfile.profiles.map((entry) => entry.reference).sort()).toEqual(['builtin:scipy', 'file:profiles/six.yaml']);
    writeFileSync(lockPath, renderLockfile(lockfile));
    await planPrefix({ prefix, ...(await prepareSelection(options)) });

    writeFileSync(join(options.cwd, 'team', 'profiles', 'six.yaml'), localProfile.replace('test fixture', 'changed'));
    const error = await errorOfAsync(async () => planPrefix({ prefix, ...(await prepareSelection(options)) }));
    expect(error.code).toBe('CP_INTEGRITY');
    expect(error.via).toEqual([join(options.cwd, 'team', 'profiles', 'six.yaml')]);
    expect(error.hint).toMatch(/profiles update/);

    writeFileSync(lockPath, renderLockfile(createLockfile(await prepareSelection({ ...options, lockMode: 'update' })).lockfile));
    await expect(planPrefix({ prefix, ...(await prepareSelection(options)) })).resolves.toMatchObject({ prefix });
  });

  it('refuses a builtin profile whose shipped bytes differ from the pin', async () => {
    const options = project('profiles: [builtin:scipy]\n');
    const lockPath = join(options.cwd, 'team', 'conda-prune.lock');
    writeFileSync(lockPath, renderLockfile(createLockfile(await prepareSelection({ ...options, lockMode: 'lock' })).lockfile));
    writeFileSync(lockPath, readFileSync(lockPath, 'utf8').replace(/sha256: "[0-9a-f]{64}"/, `sha256: "${'0'.repeat(64)}"`));
    const error = await errorOfAsync(async () => planPrefix({ prefix, ...(await prepareSelection(options)) }));
    expect(error.code).toBe('CP_INTEGRITY');
    expect(error.message).toMatch(/^builtin profile scipy is .* but conda-prune.lock pins .* with 0{64}$/);
  });
});
