/**
 * The audit of real temp environments written in each installer's record schema: sizes from
 * lstat, categories, preset savings equal to the planner's, unprofiled content with a profile
 * snippet the real validator and planner accept, duplicates, hints and history.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCondaRecords, type FixtureWriter } from '../../fixtures/lib/conda-records.ts';
import { auditPrefix } from '../../src/audit/audit-environment.ts';
import { auditedPresets } from '../../src/audit/preset-savings.ts';
import type { Audit } from '../../src/audit/types.ts';
import { readEnvironment } from '../../src/environment/read-environment.ts';
import { createPlan } from '../../src/plan/create-plan.ts';
import { compileGlobs } from '../../src/plan/path-matcher.ts';
import { resolveProfiles } from '../../src/profiles/resolve-profiles.ts';
import { parseYamlDocument } from '../../src/profiles/yaml-document.ts';
import { validateProfile } from '../../src/profiles/validate-profile.ts';
import { expandPlaceholders } from '../../src/profiles/placeholders.ts';
import { createTempDirectories, put, sp, writeSmallEnvironment } from '../helpers/small-env.ts';

const temp = createTempDirectories();
afterAll(() => temp.cleanup());

/** The planner's savings for a preset, without the stages an audit leaves out (unowned walks). */
async function plannerSavings(prefix: string, preset: string): Promise<{ files: number; bytes: number; uniqueBytes: number; byRule: unknown }> {
  const environment = readEnvironment(prefix);
  const selection = resolveProfiles({ preset, cwd: prefix });
  selection.disabled = new Set(selection.profiles.flatMap(({ profile }) => profile.rules.filter((rule) => rule.scope === 'unowned').map((rule) => `${profile.name}/${rule.id}`)));
  const plan = await createPlan(environment, selection);
  return { files: plan.totals.files, bytes: plan.totals.bytes, uniqueBytes: plan.totals.uniqueBytes, byRule: plan.summary.byRule };
}

describe.each<FixtureWriter>(['conda', 'libmamba', 'rattler'])('audit of the small env written by %s', (writer) => {
  let prefix = '';
  let audit: Audit;

  beforeAll(async () => {
    prefix = temp.make(`audit-${writer}`);
    await writeSmallEnvironment(prefix, writer);
    audit = await auditPrefix(prefix, { cwd: prefix, now: () => new Date('2026-01-02T03:04:05Z') });
  });

  it('measures every listed file on disk once, and counts the one that is gone', () => {
    const scipy = audit.packages.find((pkg) => pkg.name === 'scipy');
    // 100 + 120 + 80 + 0 + 2000 + 3000 + 3000 (a hardlink) + 15 ("patched locally") + 50 + 90 + 400
    expect(scipy).toMatchObject({ files: 11, bytes: 8855, missing: 1 });
    expect(audit.totals.missing).toBe(1);
    // libshared.a is listed by libother and python: it counts once, for the first record read.
    expect(audit.packages.find((pkg) => pkg.name === 'libother')).toMatchObject({ files: 1, bytes: 700 });
    expect(audit.packages.find((pkg) => pkg.name === 'python')?.categories.find((item) => item.category === 'static-libs')?.bytes).toBe(50_000);
    expect(audit.totals.bytes).toBe(audit.packages.reduce((sum, pkg) => sum + pkg.bytes, 0));
    expect(audit.totals.uniqueBytes).toBe(audit.totals.bytes - 3000);
    expect(audit.totals.symlinks).toBe(2);
    expect(audit.createdAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('sorts files into categories by path', () => {
    const scipy = audit.packages.find((pkg) => pkg.name === 'scipy');
    expect(scipy?.categories).toEqual([
      { category: 'tests', files: 5, bytes: 8015 },
      { category: 'runtime', files: 4, bytes: 390 },
      { category: 'metadata', files: 2, bytes: 450 },
    ].sort((a, b) => b.bytes - a.bytes));
    expect(audit.categories.find((item) => item.category === 'sanitizers')).toEqual({ category: 'sanitizers', files: 2, bytes: 9000 + 'libasan.so.8.0.0'.length });
    expect(audit.categories.find((item) => item.category === 'static-libs')?.bytes).toBe(50_700);
  });

  it("prices every preset exactly as the planner's own plan does", async () => {
    expect(audit.presets.map((preset) => preset.preset)).toEqual([...auditedPresets]);
    for (const preset of audit.presets) {
      const planned = await plannerSavings(prefix, preset.preset);
      expect({ files: preset.files, bytes: preset.bytes, uniqueBytes: preset.uniqueBytes, byRule: preset.byRule }, preset.preset).toEqual(planned);
    }
    expect(audit.presets[0]?.bytes).toBeGreaterThan(0);
  });

  it('says the static libpython costs space, and the env was never pruned', () => {
    expect(audit.hints.find((hint) => hint.id === 'static-libpython')).toMatchObject({ bytes: 50_000, subjects: ['lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a'] });
    expect(audit.history).toEqual([]);
    expect(audit.gates).toEqual([]);
  });
});

describe('audit of an env with content no profile covers', () => {
  let prefix = '';
  let audit: Audit;
  const testsFiles = ['alpha/tests/test_a.py', 'alpha/tests/test_b.py', 'alpha/core/tests/test_c.py', 'alpha/core/tests/data/table.csv'];

  beforeAll(async () => {
    prefix = temp.make('audit-unprofiled');
    const sizes: Record<string, number> = {
      'bin/python3.11': 4000,
      'lib/python3.11/os.py': 300,
      [`${sp}/alpha/__init__.py`]: 1000,
      [`${sp}/alpha/core/__init__.py`]: 2000,
      [`${sp}/alpha/core/testing.py`]: 3000,
      [`${sp}/alpha/_impl.c`]: 300_000,
      [`${sp}/beta/__init__.py`]: 500,
      'share/doc/alpha/manual.html': 200_000,
      'lib/libmkl_core.so.2': 700_000,
      [`${sp}/__editable__.gamma-0.1.pth`]: 40,
    };
    for (const [index, path] of testsFiles.entries()) sizes[`${sp}/${path}`] = 400_000 + index;
    for (const [path, size] of Object.entries(sizes)) put(prefix, path, size);
    // The same 100 KiB in two packages, at two paths.
    put(prefix, `${sp}/alpha/data/cacert.pem`, 100 * 1024);
    mkdirSync(join(prefix, 'ssl'), { recursive: true });
    copyFileSync(join(prefix, `${sp}/alpha/data/cacert.pem`), join(prefix, 'ssl/cacert.pem'));
    // A compiled tool and an entry-point script, both in bin/.
    copyFileSync('/usr/bin/true', join(prefix, 'bin/true-tool'));
    writeFileSync(join(prefix, 'bin/alpha-run'), '#!/opt/env/bin/python3.11\nimport alpha\n');
    await writeCondaRecords(
      prefix,
      [
        { name: 'python', version: '3.11.7', build: 'h0_cpython', files: ['bin/python3.11', 'lib/python3.11/os.py'] },
        {
          name: 'alpha',
          version: '2.4.1',
          build: 'py311h0_0',
          files: [...Object.keys(sizes).filter((path) => path.includes('/alpha/') && !path.startsWith('share/')), `${sp}/alpha/data/cacert.pem`, 'share/doc/alpha/manual.html', 'bin/true-tool', 'bin/alpha-run'],
        },
        { name: 'beta', version: '1.0', build: 'pyh0_0', noarch: 'python', files: [`${sp}/beta/__init__.py`] },
        { name: 'ca-certificates', version: '2024.1', build: 'h0_0', files: ['ssl/cacert.pem'] },
        { name: 'mkl', version: '2023.1.0', build: 'h0_0', files: ['lib/libmkl_core.so.2'] },
      ],
      { writer: 'conda', pythonVersion: '3.11' },
    );
    audit = await auditPrefix(prefix, { cwd: prefix, minUnprofiledBytes: 512 * 1024 });
  });

  it('reports the test suite no profile covers, and nothing a shipped profile already removes', async () => {
    expect(audit.unprofiled.map((finding) => finding.package)).toEqual(['alpha']);
    const [finding] = audit.unprofiled;
    expect(finding?.categories[0]).toMatchObject({ category: 'tests', files: 4, bytes: 1_600_006 });
    // The C source and the manual are prunable too, but the generic profiles already take them.
    const plan = await createPlan(readEnvironment(prefix), resolveProfiles({ preset: 'aggressive', cwd: prefix }));
    const reached = new Set([...plan.entries, ...plan.skipped].map((item) => item.path));
    for (const item of finding?.categories ?? []) for (const example of item.examples) expect(reached.has(example), example).toBe(false);
    const tests = finding?.categories[0];
    expect(tests?.globs).toEqual(['{site-packages}/alpha/**/tests/**']);
    expect(tests?.coveredBytes).toBe(1_600_006);
  });

  it('writes a snippet the profile validator accepts and the planner applies to exactly those files', async () => {
    const snippet = audit.unprofiled[0]?.snippet ?? '';
    const file = join(prefix, 'alpha.yaml');
    writeFileSync(file, snippet);
    const validated = validateProfile(parseYamlDocument(snippet, file), { kind: 'file', location: file, sha256: '0'.repeat(64) }, file);
    expect(validated.issues).toEqual([]);
    expect(validated.profile?.appliesTo).toEqual({ package: 'alpha' });
    const selection = resolveProfiles({ profiles: [file], cwd: prefix, maxRisk: 'aggressive' });
    const plan = await createPlan(readEnvironment(prefix), selection);
    expect(plan.totals.bytes).toBe(audit.unprofiled[0]?.bytes);
    expect(plan.entries.map((entry) => entry.path).filter((path) => path.includes('/tests/'))).toEqual(testsFiles.map((path) => `${sp}/${path}`).sort());
    // alpha/core/testing.py is runtime code (alpha.testing helpers): no suggested glob reaches it.
    expect(plan.entries.some((entry) => entry.path.endsWith('testing.py'))).toBe(false);
  });

  it('finds the identical file two packages install, from sizes and recorded hashes', () => {
    expect(audit.duplicates).toHaveLength(1);
    expect(audit.duplicates[0]).toMatchObject({
      bytes: 100 * 1024,
      wastedBytes: 100 * 1024,
      copies: [
        { path: `${sp}/alpha/data/cacert.pem`, package: 'alpha' },
        { path: 'ssl/cacert.pem', package: 'ca-certificates' },
      ],
    });
  });

  it('tells a compiled tool in bin/ from an entry-point script by their first bytes', () => {
    const alpha = audit.packages.find((pkg) => pkg.name === 'alpha');
    expect(alpha?.categories.find((item) => item.category === 'tools')).toEqual({ category: 'tools', files: 1, bytes: 35_664 });
    expect(audit.largestFiles[0]).toEqual({ path: 'lib/libmkl_core.so.2', package: 'mkl', category: 'runtime', bytes: 700_000 });
  });

  it('gives the MKL and editable-install hints', () => {
    expect(audit.hints.find((hint) => hint.id === 'mkl')).toMatchObject({ bytes: 700_000, subjects: ['mkl'] });
    expect(audit.hints.find((hint) => hint.id === 'editable-installs')?.subjects).toEqual([`${sp}/__editable__.gamma-0.1.pth`]);
  });

  it('suggests globs that match no file of another category', () => {
    const environment = readEnvironment(prefix);
    const alphaPaths = environment.packages.find((pkg) => pkg.name === 'alpha')?.paths ?? [];
    for (const item of audit.unprofiled[0]?.categories ?? []) {
      const matcher = compileGlobs(item.globs.map((glob) => expandPlaceholders(glob, environment.python) ?? glob));
      const matched = alphaPaths.filter((path) => matcher?.test(path) === true);
      expect(matched.length, item.category).toBe(item.files);
    }
  });
});
