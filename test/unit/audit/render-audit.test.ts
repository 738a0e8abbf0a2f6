/**
 * The audit renderers on an inline audit: text and Markdown as snapshots, HTML for escaping,
 * self-containment and the raw numbers it carries.
 */
import { describe, expect, it } from 'vitest';
import type { Audit } from '../../../src/audit/types.ts';
import { renderAuditHtml } from '../../../src/report/audit-html.ts';
import { renderAuditJson } from '../../../src/report/audit-json.ts';
import { renderAuditMarkdown } from '../../../src/report/audit-markdown.ts';
import { renderAuditText } from '../../../src/report/audit-text.ts';

const sp = 'lib/python3.11/site-packages';

const audit: Audit = {
  schemaVersion: 1,
  tool: { name: 'conda-prune', version: '0.1.0' },
  prefix: '/opt/env',
  createdAt: '2026-01-02T03:04:05.000Z',
  python: { version: '3.11.7', sitePackages: sp },
  totals: { packages: 3, files: 30, bytes: 10_485_760, uniqueBytes: 10_485_760, symlinks: 1, missing: 2 },
  packages: [
    { name: 'scipy', version: '1.14.1', build: 'py311h0_0', source: 'conda', files: 20, bytes: 8_388_608, missing: 0, categories: [{ category: 'runtime', files: 10, bytes: 6_291_456 }, { category: 'tests', files: 10, bytes: 2_097_152 }] },
    { name: 'python', version: '3.11.7', build: 'h0_cpython', source: 'conda', files: 9, bytes: 2_000_000, missing: 2, categories: [{ category: 'runtime', files: 9, bytes: 2_000_000 }] },
    { name: '<script>alert(1)</script>', version: '1.0', build: '', source: 'pypi', files: 1, bytes: 97_152, missing: 0, categories: [{ category: 'docs', files: 1, bytes: 97_152 }] },
  ],
  categories: [{ category: 'runtime', files: 19, bytes: 8_291_456 }, { category: 'tests', files: 10, bytes: 2_097_152 }, { category: 'docs', files: 1, bytes: 97_152 }],
  presets: [
    { preset: 'default', maxRisk: 'safe', files: 10, bytes: 2_097_152, uniqueBytes: 2_097_152, skipped: 1, byPackage: [{ key: 'scipy', files: 10, bytes: 2_097_152 }], byRule: [{ key: 'scipy/tests', files: 10, bytes: 2_097_152 }], byCategory: [{ key: 'tests', files: 10, bytes: 2_097_152 }] },
    { preset: 'moderate', maxRisk: 'moderate', files: 10, bytes: 2_097_152, uniqueBytes: 2_097_152, skipped: 1, byPackage: [{ key: 'scipy', files: 10, bytes: 2_097_152 }], byRule: [{ key: 'scipy/tests', files: 10, bytes: 2_097_152 }], byCategory: [{ key: 'tests', files: 10, bytes: 2_097_152 }] },
  ],
  unprofiled: [
    {
      package: 'alpha',
      version: '2.0',
      files: 4,
      bytes: 1_600_000,
      categories: [{ category: 'tests', files: 4, bytes: 1_600_000, globs: ['{site-packages}/alpha/**/tests/**'], coveredBytes: 1_600_000, examples: [`${sp}/alpha/tests/test_a.py`] }],
      snippet: 'apiVersion: conda-prune/v1\nname: "alpha"\n',
    },
  ],
  largestFiles: [{ path: `${sp}/scipy/_lib.so`, package: 'scipy', category: 'runtime', bytes: 3_000_000 }],
  duplicates: [{ sha256: 'a'.repeat(64), bytes: 102_400, copies: [{ path: 'ssl/cacert.pem', package: 'ca-certificates' }, { path: `${sp}/certifi/cacert.pem`, package: 'certifi' }], wastedBytes: 102_400 }],
  hints: [{ id: 'bytecode', title: 'Bytecode', detail: 'Keep it or not.', bytes: 1_048_576, subjects: [] }],
  history: [{ runId: 'r1', appliedAt: '2026-01-01T00:00:00.000Z', toolVersion: '0.1.0', maxRisk: 'safe', verified: true, profiles: [{ name: 'scipy', version: '1.0.0', source: 'builtin:scipy' }], files: 5, bytes: 4096 }],
  gates: [{ gate: 'max-size', limit: 5_000_000, actual: 10_485_760, exceeded: true }],
  problems: [],
};

describe('audit renderers', () => {
  it('renders aligned text', () => {
    expect(renderAuditText(audit, { color: false })).toMatchSnapshot();
  });

  it('colours only when asked', () => {
    expect(renderAuditText(audit, { color: false })).not.toContain('\u001b[');
    expect(renderAuditText(audit, { color: true })).toContain('\u001b[31mEXCEEDED\u001b[39m');
  });

  it('renders Markdown for a pull-request comment', () => {
    expect(renderAuditMarkdown(audit)).toMatchSnapshot();
  });

  it('renders JSON that reads back as the same audit', () => {
    expect(JSON.parse(renderAuditJson(audit))).toEqual(audit);
  });

  it('escapes every name in the HTML page and loads nothing from outside', () => {
    const html = renderAuditHtml(audit);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toMatch(/\bsrc=|<link|https?:\/\//);
    expect(html).toContain('<div class="card" id="total-bytes" data-bytes="10485760"><b>10.0 MiB</b>Size</div>');
    expect(html).toContain('<tr data-preset="default"><td>default</td><td>safe</td><td class="num" data-value="10">10</td><td class="num" data-value="2097152">2.0 MiB</td>');
    expect(html).toContain('class="card exceeded"');
  });
});
