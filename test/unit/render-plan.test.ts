/**
 * The four plan renderers on one inline plan. Snapshots pin the rendered text; the assertions
 * beside them state the contract each format keeps.
 */
import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../src/report/render-plan.ts';
import { formatBytes } from '../../src/report/format.ts';
import { summarize } from '../../src/plan/summarize.ts';
import type { Plan, PlanEntry } from '../../src/plan/types.ts';

const sp = 'lib/python3.11/site-packages';

function entry(path: string, pkg: string, rule: string, bytes: number, extra: Partial<PlanEntry> = {}): PlanEntry {
  const [profile = '', id = ''] = rule.split('/');
  return { path, package: pkg, version: pkg === 'scipy' ? '1.9.3' : '13.2.0', profile, rule: id, category: 'tests', risk: 'safe', bytes, kind: 'file', ...extra };
}

const entries = [
  entry('lib/libasan.so.8', 'libsanitizer', 'libsanitizer/runtimes', 16, { category: 'sanitizers', kind: 'symlink' }),
  entry('lib/libasan.so.8.0.0', 'libsanitizer', 'libsanitizer/runtimes', 9_000_000, { category: 'sanitizers' }),
  entry(`${sp}/scipy/stats/tests/test_stats.py`, 'scipy', 'scipy/tests', 200_000),
  entry(`${sp}/scipy/linalg/tests/test_blas.py`, 'scipy', 'scipy/tests', 50_000),
];

const plan: Plan = {
  schemaVersion: 1,
  tool: { name: 'conda-prune', version: '0.1.0' },
  prefix: '/env',
  createdAt: '2026-01-01T00:00:00.000Z',
  maxRisk: 'safe',
  python: { version: '3.11.7', sitePackages: sp },
  packages: 12,
  profiles: [
    { name: 'default', version: '1.0.0', source: 'builtin:default', sha256: 'a'.repeat(64), via: ['default'], appliedTo: [] },
    { name: 'scipy', version: '1.0.0', source: 'builtin:scipy', sha256: 'b'.repeat(64), via: ['default', 'builtin:scipy'], appliedTo: ['scipy'] },
    { name: 'libsanitizer', version: '1.0.0', source: 'builtin:libsanitizer', sha256: 'c'.repeat(64), via: ['default', 'builtin:libsanitizer'], appliedTo: ['libsanitizer'] },
  ],
  entries,
  directories: [`${sp}/scipy/stats/tests`],
  skipped: [
    { path: `${sp}/scipy/linalg/tests/LICENSE.txt`, package: 'scipy', profile: 'scipy', rule: 'tests', reason: 'protected', detail: 'licence' },
    { path: `${sp}/scipy/stats/tests/test_x.py`, package: 'scipy', profile: 'scipy', rule: 'tests', reason: 'modified', detail: 'recorded 10 bytes, found 12' },
  ],
  totals: { files: 4, bytes: 9_250_016, uniqueFiles: 4, uniqueBytes: 9_250_016, directories: 1 },
  summary: summarize(entries),
  problems: [{ path: 'conda-meta/broken-1.0-0.json', code: 'invalid-json', message: 'not valid JSON (Unexpected end of JSON input); the file is truncated or corrupt' }],
};

const plain = { color: false, verbose: false };

describe('text report', () => {
  it('groups by package and rule, largest first, with the profile chain and a total line', () => {
    const text = renderPlan(plan, 'text', plain);
    expect(text).toMatchSnapshot();
    expect(text.indexOf('libsanitizer 13.2.0')).toBeLessThan(text.indexOf('scipy 1.9.3'));
    expect(text).toContain('via default → builtin:scipy');
    expect(text).toContain(`Total: 4 files, ${formatBytes(9_250_016)}, 1 directory emptied`);
  });

  it('lists every path and every skip when verbose', () => {
    const text = renderPlan(plan, 'text', { color: false, verbose: true });
    for (const item of entries) expect(text).toContain(item.path);
    expect(text).toContain('modified: lib/python3.11/site-packages/scipy/stats/tests/test_x.py');
  });

  it('colours only when asked', () => {
    expect(renderPlan(plan, 'text', plain)).not.toContain('\u001b[');
    expect(renderPlan(plan, 'text', { color: true, verbose: false })).toContain('\u001b[1m');
  });

  it('warns that conda-meta/ goes last, only when the plan removes it', () => {
    expect(renderPlan(plan, 'text', plain)).not.toContain('goes last');
    const records = [entry('conda-meta/scipy-1.9.3-py311h0_0.json', '(unowned)', 'conda-meta/records', 4_000, { category: 'metadata', risk: 'aggressive', lastStep: true })];
    const withRecords = { ...plan, entries: [...entries, ...records], summary: summarize([...entries, ...records]) };
    expect(renderPlan(withRecords, 'text', plain)).toContain('conda-meta/ (1 record file) goes last, after verification');
  });

  it('says so when nothing matches', () => {
    const empty = { ...plan, entries: [], skipped: [], problems: [], summary: summarize([]), totals: { files: 0, bytes: 0, uniqueFiles: 0, uniqueBytes: 0, directories: 0 } };
    expect(renderPlan(empty, 'text', plain)).toContain('Nothing to remove');
  });
});

describe('diff report', () => {
  it('shows each removal as a deletion with a diffstat', () => {
    const diff = renderPlan(plan, 'diff', plain);
    expect(diff).toMatchSnapshot();
    for (const item of entries) {
      expect(diff).toContain(`--- a/${item.path}\n+++ /dev/null`);
    }
    expect(diff).toContain('deleted file mode 120000');
    expect(diff.match(/^diff --git /gm)).toHaveLength(entries.length);
  });
});

describe('markdown report', () => {
  it('renders totals, tables and the file list for a pull request', () => {
    const markdown = renderPlan(plan, 'markdown', plain);
    expect(markdown).toMatchSnapshot();
    expect(markdown).toContain('| libsanitizer | 2 |');
    expect(markdown).toContain('`conda-meta/broken-1.0-0.json`');
  });
});

describe('json report', () => {
  it('round-trips the plan unchanged', () => {
    expect(JSON.parse(renderPlan(plan, 'json', plain))).toEqual(plan);
  });
});
