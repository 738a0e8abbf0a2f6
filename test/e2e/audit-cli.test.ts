/**
 * `conda-prune audit` as a built program: its formats, --output, the CI gates and their exit
 * codes, input errors, and the history of a prune applied before.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPrefix } from '../../src/audit/audit-environment.ts';
import type { Audit } from '../../src/audit/types.ts';
import { createTempDirectories, writeSmallEnvironment } from '../helpers/small-env.ts';
import { runCli } from '../helpers/run-cli.ts';
import { snapshotTree } from '../helpers/snapshot-tree.ts';

const temp = createTempDirectories();
let prefix = '';

beforeAll(async () => {
  prefix = temp.make('audit-e2e');
  await writeSmallEnvironment(prefix, 'conda');
});
afterAll(() => temp.cleanup());

function auditJson(...args: string[]): { status: number | null; audit: Audit; stderr: string } {
  const result = runCli(['audit', prefix, '--format', 'json', ...args]);
  return { status: result.status, audit: JSON.parse(result.stdout) as Audit, stderr: result.stderr };
}

describe('conda-prune audit', () => {
  it('prints aligned text tables, without colour when not on a terminal, and changes nothing', () => {
    const before = snapshotTree(prefix);
    const result = runCli(['audit', prefix]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`conda-prune audit: ${prefix}`);
    expect(result.stdout).toMatch(/^By category$/m);
    expect(result.stdout).toMatch(/^scipy 1\.9\.3\s+11 files\s+8\.6 KiB/m);
    expect(result.stdout).toMatch(/^default\s+max risk safe\s+\d+ files/m);
    expect(result.stdout).toContain('Static libpython: 48.8 KiB');
    expect(result.stdout).toContain('never pruned by conda-prune');
    expect(result.stdout).not.toContain('\u001b[');
    expect(snapshotTree(prefix)).toEqual(before);
  });

  it('prints the JSON document the programmatic API returns', async () => {
    const { status, audit } = auditJson();
    expect(status).toBe(0);
    const computed = await auditPrefix(prefix, { cwd: prefix });
    expect(audit.schemaVersion).toBe(1);
    expect({ ...audit, createdAt: '' }).toEqual({ ...computed, createdAt: '' });
  });

  it('prints Markdown for a pull request and a self-contained HTML page', () => {
    const markdown = runCli(['audit', prefix, '--format', 'markdown']);
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toMatch(/^### conda-prune audit: /);
    expect(markdown.stdout).toContain('| Preset | Max risk | Files | Saves | Share |');
    const output = join(temp.make('audit-out'), 'audit.html');
    const html = runCli(['audit', prefix, '--format', 'html', '--output', output]);
    expect(html.status).toBe(0);
    expect(html.stdout).toBe('');
    const page = readFileSync(output, 'utf8');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).not.toMatch(/<(?:script|img|iframe)[^>]+src=|<link[^>]+href=|url\(|https?:\/\//);
    expect(page).toContain('<svg id="treemap"');
  });

  it('passes the gates the env is within, and says so in the report', () => {
    const { status, audit, stderr } = auditJson('--max-size', '10MB', '--max-prunable', '1MiB');
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(audit.gates.map((gate) => [gate.gate, gate.exceeded])).toEqual([
      ['max-size', false],
      ['max-prunable', false],
    ]);
  });

  it('exits 1 with CP_AUDIT_MAX_SIZE when the env is larger, after printing the whole report', () => {
    const { status, audit, stderr } = auditJson('--max-size', '1KiB');
    expect(status).toBe(1);
    expect(audit.gates).toEqual([{ gate: 'max-size', limit: 1024, actual: audit.totals.bytes, exceeded: true }]);
    expect(stderr).toMatch(/^error CP_AUDIT_MAX_SIZE: the environment is [\d.]+ KiB \(\d+ bytes\), over --max-size 1\.0 KiB \(1024 bytes\)\nhint: /);
  });

  it('exits 1 with CP_AUDIT_MAX_PRUNABLE when the chosen preset would remove more', () => {
    const { status, audit, stderr } = auditJson('--max-prunable', '100B', '--prunable-preset', 'moderate');
    expect(status).toBe(1);
    const moderate = audit.presets.find((preset) => preset.preset === 'moderate');
    expect(audit.gates).toEqual([{ gate: 'max-prunable', limit: 100, actual: moderate?.bytes, exceeded: true, preset: 'moderate' }]);
    expect(stderr).toContain('error CP_AUDIT_MAX_PRUNABLE: the moderate preset would remove');
    expect(stderr).toContain('hint: run conda-prune apply --preset moderate');
  });

  it('refuses a size it cannot read, and a folder that is no env, with exit 2', () => {
    const size = runCli(['audit', prefix, '--max-size', 'huge']);
    expect(size.status).toBe(2);
    expect(size.stderr).toContain('error CP_USAGE: --max-size "huge" is not a size');
    const noEnv = runCli(['audit', temp.make('audit-empty'), '--format', 'json']);
    expect(noEnv.status).toBe(2);
    expect(JSON.parse(noEnv.stdout).code).toBe('CP_NOT_A_CONDA_ENV');
  });

  it('shows what an earlier prune removed, when, and with which profile versions', () => {
    const pruned = temp.make('audit-pruned');
    return writeSmallEnvironment(pruned, 'rattler').then(() => {
      const apply = runCli(['apply', pruned, '--no-verify']);
      expect(apply.status, apply.stderr).toBe(0);
      const result = runCli(['audit', pruned, '--format', 'json']);
      expect(result.status).toBe(0);
      const audit = JSON.parse(result.stdout) as Audit;
      expect(audit.history).toHaveLength(1);
      const [run] = audit.history;
      expect(run?.files).toBeGreaterThan(0);
      expect(run?.profiles.map((profile) => profile.name)).toContain('scipy');
      expect(run?.profiles.every((profile) => /^\d+\.\d+\.\d+/.test(profile.version))).toBe(true);
      expect(Date.parse(run?.appliedAt ?? '')).toBeGreaterThan(Date.now() - 600_000);
      // What was pruned is gone from the default preset's savings now.
      expect(audit.presets[0]?.files).toBe(0);
      const text = runCli(['audit', pruned]).stdout;
      expect(text).toMatch(/^Pruned before\n\d{4}-\d\d-\d\dT[^:]+:\d\d:\d\d\.\d+Z: \d+ files?, /m);
    });
  });
});

describe('conda-prune audit with a conda-prune.yaml', () => {
  it('prices the configured selection beside the presets, and gates on it when asked', () => {
    const project = temp.make('audit-config');
    writeFileSync(join(project, 'conda-prune.yaml'), 'apiVersion: conda-prune/v1\nprofiles: [builtin:scipy]\ndisable: [scipy/cython-sources]\nkeep: ["{site-packages}/scipy/linalg/**"]\n');
    const result = runCli(['audit', prefix, '--format', 'json'], { cwd: project });
    expect(result.status, result.stderr).toBe(0);
    const audit = JSON.parse(result.stdout) as Audit;
    const configured = audit.presets.find((preset) => preset.preset === 'config');
    const plan = JSON.parse(runCli(['plan', prefix, '--format', 'json'], { cwd: project }).stdout) as { totals: { files: number; bytes: number } };
    // The same selection plan makes from the config: scipy's tests, minus what the keep protects.
    expect(configured).toMatchObject({ files: plan.totals.files, bytes: plan.totals.bytes });
    expect(plan.totals.files).toBeGreaterThan(0);
    expect(audit.presets.map((preset) => preset.preset)).toEqual(['default', 'moderate', 'aggressive', 'config']);

    const gated = runCli(['audit', prefix, '--max-prunable', '1B', '--prunable-preset', 'config'], { cwd: project });
    expect(gated.status).toBe(1);
    expect(gated.stderr).toContain('error CP_AUDIT_MAX_PRUNABLE: the config preset would remove');
    const noConfig = runCli(['audit', prefix, '--prunable-preset', 'config', '--max-prunable', '1B'], { cwd: temp.make('no-config') });
    expect(noConfig.status).toBe(2);
    expect(noConfig.stderr).toContain('error CP_USAGE: --prunable-preset config needs a conda-prune.yaml');
  });
});
