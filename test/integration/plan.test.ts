/**
 * createPlan on real temp environments written in each installer's schema: what goes, what
 * stays and why, and totals that equal the bytes on disk.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeCondaRecords, type FixtureWriter } from '../../fixtures/lib/conda-records.ts';
import { readEnvironment } from '../../src/environment/read-environment.ts';
import { resolveProfiles } from '../../src/profiles/resolve-profiles.ts';
import { createPlan } from '../../src/plan/create-plan.ts';
import type { Plan } from '../../src/plan/types.ts';
import { createTempDirectories, put, sp, writeSmallEnvironment } from '../helpers/small-env.ts';

const temp = createTempDirectories();
afterEach(() => temp.cleanup());

async function makeEnvironment(writer: FixtureWriter): Promise<string> {
  const prefix = temp.make(`plan-${writer}`);
  await writeSmallEnvironment(prefix, writer);
  return prefix;
}

function planFor(prefix: string, preset = 'default'): Promise<Plan> {
  const selection = resolveProfiles({ preset, cwd: prefix });
  return createPlan(readEnvironment(prefix), selection, { now: () => new Date(0) });
}

const writers: FixtureWriter[] = ['conda', 'libmamba', 'rattler'];

describe.each(writers)('plan of an env written by %s', (writer) => {
  it('removes what the safe rules select and nothing else', async () => {
    const plan = await planFor(await makeEnvironment(writer));
    expect(plan.entries.map((entry) => [entry.path, entry.package, `${entry.profile}/${entry.rule}`])).toEqual([
      ['lib/libasan.so.8', 'libsanitizer', 'libsanitizer/runtimes'],
      ['lib/libasan.so.8.0.0', 'libsanitizer', 'libsanitizer/runtimes'],
      ['lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a', 'python', 'static-libs/archives'],
      ['lib/python3.11/site-packages/scipy/stats/tests/__init__.py', 'scipy', 'scipy/tests'],
      ['lib/python3.11/site-packages/scipy/stats/tests/data/table-copy.dat', 'scipy', 'scipy/tests'],
      ['lib/python3.11/site-packages/scipy/stats/tests/data/table.dat', 'scipy', 'scipy/tests'],
      ['lib/python3.11/site-packages/scipy/stats/tests/test_stats.py', 'scipy', 'scipy/tests'],
      ['lib/python3.11/test/test_os.py', 'python', 'python/stdlib-tests'],
    ]);
  });

  it('skips matched files with the reason', async () => {
    const plan = await planFor(await makeEnvironment(writer));
    expect(plan.skipped.map((skip) => [skip.path, skip.reason])).toEqual([
      ['lib/libshared.a', 'shared'],
      ['lib/libshared.a', 'shared'],
      ['lib/python3.11/site-packages/scipy/linalg/tests/LICENSE.txt', 'protected'],
      ['lib/python3.11/site-packages/scipy/linalg/tests/test_blas.py', 'modified'],
      ['lib/python3.11/site-packages/scipy/stats/tests/test_gone.py', 'missing'],
      ['lib/python3.11/test/__init__.py', 'kept'],
      ['lib/python3.11/test/support/__init__.py', 'kept'],
    ]);
    expect(plan.skipped.find((skip) => skip.reason === 'shared')?.detail).toMatch(/libother|python/);
    expect(plan.skipped.find((skip) => skip.reason === 'modified')?.detail).toBe('recorded 1500 bytes, found 15');
  });

  it('adds up apparent bytes, bytes once per inode, and emptied directories', async () => {
    const plan = await planFor(await makeEnvironment(writer));
    const symlinkLength = 'libasan.so.8.0.0'.length;
    expect(plan.totals.bytes).toBe(9000 + symlinkLength + 50_000 + 0 + 3000 + 3000 + 2000 + 900);
    expect(plan.totals.uniqueBytes).toBe(plan.totals.bytes - 3000);
    expect(plan.totals.uniqueFiles).toBe(plan.totals.files - 1);
    expect(plan.directories).toEqual([`${sp}/scipy/stats/tests/data`, `${sp}/scipy/stats/tests`, 'lib/python3.11/config-3.11-x86_64-linux-gnu']);
    expect(plan.summary.byPackage[0]).toEqual({ key: 'python', files: 2, bytes: 50_900 });
  });
});

describe('plan with the moderate preset', () => {
  it('reaches unowned bytecode through the unowned rule and attributes it to the package', async () => {
    const prefix = await makeEnvironment('conda');
    put(prefix, `${sp}/scipy/stats/__pycache__/__init__.cpython-311.pyc`, 77);
    // In a directory several packages share, bytecode identifies no owner.
    put(prefix, `${sp}/__pycache__/stray.cpython-311.pyc`, 33);
    const plan = await planFor(prefix, 'moderate');
    const bytecode = plan.entries.filter((entry) => entry.category === 'bytecode');
    expect(bytecode.map((entry) => [entry.path, entry.package, entry.rule])).toEqual([
      [`${sp}/__pycache__/stray.cpython-311.pyc`, '(unowned)', 'unowned-pycache'],
      [`${sp}/scipy/stats/__pycache__/__init__.cpython-311.pyc`, 'scipy', 'unowned-pycache'],
    ]);
    expect(plan.maxRisk).toBe('moderate');
  });

  it('is identical whichever installer wrote the records', async () => {
    const plans = await Promise.all(writers.map(async (writer) => planFor(await makeEnvironment(writer))));
    const shape = (plan: Plan) => plan.entries.map((entry) => [entry.path, entry.bytes, entry.rule]);
    expect(shape(plans[1] as Plan)).toEqual(shape(plans[0] as Plan));
    expect(shape(plans[2] as Plan)).toEqual(shape(plans[0] as Plan));
  });
});

describe('plan with keep globs of the selection (the config file)', () => {
  it('keeps what they match from every rule, owned and unowned, and says the config kept it', async () => {
    const prefix = await makeEnvironment('conda');
    put(prefix, `${sp}/scipy/stats/__pycache__/__init__.cpython-311.pyc`, 77);
    const without = await planFor(prefix, 'moderate');
    const keep = ['{site-packages}/scipy/stats/**'];
    const selection = resolveProfiles({ preset: 'moderate', keep, cwd: prefix });
    const plan = await createPlan(readEnvironment(prefix), selection, { now: () => new Date(0) });
    const kept = without.entries.filter((entry) => entry.path.startsWith(`${sp}/scipy/stats/`)).map((entry) => entry.path);
    // Both an owned test file and unowned bytecode were planned before, so the keep is not vacuous.
    expect(kept).toContain(`${sp}/scipy/stats/tests/test_stats.py`);
    expect(kept).toContain(`${sp}/scipy/stats/__pycache__/__init__.cpython-311.pyc`);
    expect(plan.entries.map((entry) => entry.path)).toEqual(without.entries.map((entry) => entry.path).filter((path) => !kept.includes(path)));
    for (const path of kept) {
      expect(plan.skipped.find((skip) => skip.path === path)).toMatchObject({ reason: 'kept', detail: 'kept by the configuration (keep)' });
    }
    // The profiles themselves are unchanged: the keep belongs to the selection, not to a rule.
    expect(selection.profiles.every(({ profile }) => profile.rules.every((rule) => !rule.keep.includes(keep[0] as string)))).toBe(true);
  });
});

describe('plan of paths the disk does not hold as recorded', () => {
  it('skips a directory in place of a file, a symlink loop, and paths under a linked directory', async () => {
    const prefix = temp.make('plan-odd');
    const outside = temp.make('outside');
    put(prefix, 'lib/libkeep.so', 10);
    put(prefix, 'lib/libdir.a', 10);
    put(prefix, 'lib/loop/libx.a', 10);
    put(prefix, 'lib/linked/liby.a', 10);
    await writeCondaRecords(prefix, [{ name: 'odd', version: '1.0', build: 'h0_0', files: ['lib/libkeep.so', 'lib/libdir.a', 'lib/loop/libx.a', 'lib/linked/liby.a'] }], { writer: 'conda' });
    // After install: a directory replaces a file, a directory becomes a loop, another a link out.
    rmSync(join(prefix, 'lib/libdir.a'));
    mkdirSync(join(prefix, 'lib/libdir.a'));
    rmSync(join(prefix, 'lib/loop'), { recursive: true });
    symlinkSync('loop', join(prefix, 'lib/loop'));
    rmSync(join(prefix, 'lib/linked'), { recursive: true });
    put(outside, 'liby.a', 10);
    symlinkSync(outside, join(prefix, 'lib/linked'));

    const plan = await planFor(prefix);
    expect(plan.entries).toEqual([]);
    expect(plan.skipped.map((skip) => [skip.path, skip.reason])).toEqual([
      ['lib/libdir.a', 'not-a-file'],
      ['lib/linked/liby.a', 'linked-parent'],
      ['lib/loop/libx.a', 'unreadable'],
    ]);
    expect(plan.skipped[1]?.detail).toContain(outside);
  });
});

describe('plan of files the installer changed or reached through links', () => {
  it.each(writers)('does not call a prefix-replaced file modified (%s records its packaged size)', async (writer) => {
    const prefix = temp.make(`plan-placeholder-${writer}`);
    mkdirSync(join(prefix, 'lib/pkgconfig'), { recursive: true });
    // The installer wrote the real prefix where the package had its placeholder.
    writeFileSync(join(prefix, 'lib/pkgconfig/libz.a'), `prefix=${prefix}\nlibdir=\${prefix}/lib\n`);
    await writeCondaRecords(prefix, [{ name: 'zlib', version: '1.3.1', build: 'h0_0', files: [{ path: 'lib/pkgconfig/libz.a', fileMode: 'text' }] }], { writer });
    const plan = await planFor(prefix);
    expect(plan.skipped).toEqual([]);
    expect(plan.entries.map((entry) => entry.path)).toEqual(['lib/pkgconfig/libz.a']);
  });

  it('follows a directory link that stays inside the prefix (conda 4.8 wrote lib/python3.1/ for 3.10)', async () => {
    const prefix = temp.make('plan-inner-link');
    put(prefix, 'lib/python3.10/site-packages/pkg/libx.a', 40);
    symlinkSync('python3.10', join(prefix, 'lib/python3.1'));
    await writeCondaRecords(prefix, [{ name: 'pkg', version: '1.0', build: 'py_0', files: ['lib/python3.1/site-packages/pkg/libx.a'] }], { writer: 'conda' });
    const plan = await planFor(prefix);
    expect(plan.skipped).toEqual([]);
    expect(plan.entries.map((entry) => [entry.path, entry.bytes])).toEqual([['lib/python3.1/site-packages/pkg/libx.a', 40]]);
  });
});
