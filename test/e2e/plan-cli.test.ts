/**
 * `conda-prune plan` as a built program: formats, output files, defaults, errors and exit codes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDirectories, sp, writeSmallEnvironment } from '../helpers/small-env.ts';
import { runCli } from '../helpers/run-cli.ts';
import { planPrefix } from '../../src/plan/plan-prefix.ts';

const temp = createTempDirectories();
let prefix = '';

beforeAll(async () => {
  prefix = temp.make('e2e');
  await writeSmallEnvironment(prefix, 'conda');
});
afterAll(() => temp.cleanup());

describe('conda-prune plan', () => {
  it('prints the text report and exits 0, without colour when not on a terminal', () => {
    const result = runCli(['plan', prefix]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`conda-prune plan: ${prefix}`);
    expect(result.stdout).toMatch(/scipy 1\.9\.3\s+4 files/);
    expect(result.stdout).toMatch(/^Total: 8 files, /m);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('prints the same plan as JSON that the programmatic API computes', async () => {
    const result = runCli(['plan', prefix, '--format', 'json']);
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout);
    const computed = await planPrefix({ prefix, cwd: prefix });
    expect(printed.schemaVersion).toBe(1);
    expect(printed.entries).toEqual(computed.entries);
    expect(printed.totals).toEqual(computed.totals);
  });

  it('prints a deletion diff with a diffstat', () => {
    const result = runCli(['plan', prefix, '--format', 'diff']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`--- a/${sp}/scipy/stats/tests/test_stats.py\n+++ /dev/null`);
    expect(result.stdout.match(/^diff --git /gm)).toHaveLength(8);
    expect(result.stdout).toMatch(/^ 8 files changed, /m);
  });

  it('prints markdown for a pull request', () => {
    const result = runCli(['plan', prefix, '--format', 'markdown']);
    expect(result.stdout).toMatch(/^### conda-prune plan: /);
    expect(result.stdout).toContain('| scipy | 4 |');
  });

  it('writes to --output and prints nothing', () => {
    const output = join(temp.make('out'), 'plan.json');
    const result = runCli(['plan', prefix, '--format', 'json', '--output', output]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(output, 'utf8')).totals.files).toBe(8);
  });

  it('takes the prefix from CONDA_PREFIX', () => {
    const result = runCli(['plan', '--format', 'json'], { env: { CONDA_PREFIX: prefix } });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).prefix).toBe(prefix);
  });

  it('applies --max-risk and --profile', () => {
    const moderate = JSON.parse(runCli(['plan', prefix, '--format', 'json', '--max-risk', 'moderate']).stdout);
    expect(moderate.maxRisk).toBe('moderate');
    const onlyScipy = JSON.parse(runCli(['plan', prefix, '--format', 'json', '--profile', 'scipy']).stdout);
    expect(new Set(onlyScipy.entries.map((entry: { profile: string }) => entry.profile))).toEqual(new Set(['scipy']));
  });

  it('leaves out a rule or a whole profile named by --disable', () => {
    const rulesOf = (args: string[]): Set<string> => new Set(JSON.parse(runCli(['plan', prefix, '--format', 'json', ...args]).stdout).entries.map((entry: { profile: string; rule: string }) => `${entry.profile}/${entry.rule}`));
    const all = rulesOf([]);
    expect(all).toContain('scipy/tests');
    expect(all).toContain('python/stdlib-tests');
    const withoutRule = rulesOf(['--disable', 'scipy/tests']);
    expect([...all].filter((rule) => !withoutRule.has(rule))).toEqual(['scipy/tests']);
    const withoutProfiles = rulesOf(['--disable', 'scipy', '--disable', 'python']);
    expect([...withoutProfiles].some((rule) => rule.startsWith('scipy/') || rule.startsWith('python/'))).toBe(false);
    expect(withoutProfiles.size).toBeGreaterThan(0);
  });
});

describe('conda-prune plan errors', () => {
  it('exits 2 with CP_NO_PREFIX when no prefix is given', () => {
    const result = runCli(['plan']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error CP_NO_PREFIX: no environment given\nhint: /);
  });

  it('exits 2 with CP_NOT_A_CONDA_ENV for a directory without conda-meta', () => {
    const result = runCli(['plan', temp.make('empty')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error CP_NOT_A_CONDA_ENV');
    expect(result.stderr).not.toContain('    at ');
  });

  it('prints errors as JSON with --format json', () => {
    const result = runCli(['plan', join(prefix, 'nope'), '--format', 'json']);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ code: 'CP_PREFIX_MISSING', hint: expect.any(String) });
  });

  it('lists every problem of an invalid profile with file:line:col', () => {
    const directory = temp.make('bad-profile');
    const file = join(directory, 'bad.yaml');
    writeFileSync(file, ['apiVersion: conda-prune/v1', 'name: bad', 'version: 1.10', 'appliesTo: { package: bad }', 'rules:', '  - { id: x, category: nope, risk: safe, reason: r, remove: ["/etc/**"] }', ''].join('\n'));
    const result = runCli(['plan', prefix, '--profile', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error CP_PROFILE_INVALID');
    expect(result.stderr).toContain(`${file}:3:10: version: unquoted version`);
    expect(result.stderr).toMatch(/bad\.yaml:6:\d+: rules\[0\]\.category: "nope" is not one of/);
    expect(result.stderr).toMatch(/bad\.yaml:6:\d+: rules\[0\]\.remove\[0\]: "\/etc\/\*\*" is absolute/);
  });

  it('names the chain of an extends cycle', () => {
    const directory = temp.make('cycle');
    const profile = (name: string, other: string) => `apiVersion: conda-prune/v1\nname: ${name}\nversion: "1.0.0"\nextends: ["./${other}.yaml"]\n`;
    writeFileSync(join(directory, 'a.yaml'), profile('a', 'b'));
    writeFileSync(join(directory, 'b.yaml'), profile('b', 'a'));
    const result = runCli(['plan', prefix, '--profile', './a.yaml'], { cwd: directory });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error CP_PROFILE_CYCLE');
    expect(result.stderr).toContain('via: ./a.yaml → ./b.yaml → ./a.yaml');
  });

  it('exits 2 on an unknown format and 0 for --help', () => {
    expect(runCli(['plan', prefix, '--format', 'xml']).status).toBe(2);
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('plan [options] [prefix]');
  });
});
