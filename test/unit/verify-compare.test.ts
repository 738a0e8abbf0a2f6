/**
 * Before against after: only regressions fail a prune.
 */
import { describe, expect, it } from 'vitest';
import { compareVerifications } from '../../src/verify/compare-verifications.ts';
import type { VerifyCheck, VerifyResult } from '../../src/verify/types.ts';

function result(checks: VerifyCheck[]): VerifyResult {
  return { schemaVersion: 1, prefix: '/env', python: '/env/bin/python3.11 (3.11.7)', ok: checks.every((check) => check.ok), checks, durationMs: 10 };
}
const pass = (module: string): VerifyCheck => ({ kind: 'import', module, ok: true, durationMs: 1 });
const fail = (module: string, error = `ModuleNotFoundError: No module named '${module}'`): VerifyCheck => ({ kind: 'import', module, ok: false, error, durationMs: 1 });
const run = (command: string, ok: boolean): VerifyCheck => ({ kind: 'run', command, ok, durationMs: 1, ...(ok ? {} : { error: 'exit code 1' }) });

describe('compareVerifications', () => {
  it('blames only what passed before and fails after', () => {
    const before = result([pass('numpy'), fail('broken'), fail('healed'), pass('scipy'), run('app --version', true)]);
    const after = result([fail('numpy'), fail('broken', 'ImportError: still'), pass('healed'), pass('scipy'), run('app --version', false)]);
    const comparison = compareVerifications(before, after);
    expect(comparison.regressions.map((check) => check.module ?? check.command)).toEqual(['numpy', 'app --version']);
    expect(comparison.stillBroken).toEqual([fail('broken', 'ImportError: still')]);
    expect(comparison.fixed).toEqual([pass('healed')]);
  });

  it('counts a failing check without a baseline as a regression, and tells imports from commands of the same name', () => {
    const before = result([run('numpy', false)]);
    const after = result([fail('numpy'), fail('brand_new')]);
    expect(compareVerifications(before, after).regressions.map((check) => check.module)).toEqual(['numpy', 'brand_new']);
  });

  it('finds nothing to report when both runs pass', () => {
    const both = result([pass('numpy'), run('true', true)]);
    expect(compareVerifications(both, both)).toEqual({ regressions: [], stillBroken: [], fixed: [] });
  });
});
