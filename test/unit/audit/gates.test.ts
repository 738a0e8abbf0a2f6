/**
 * The CI gates: sizes as pipelines write them, and the check of an audit against the limits.
 */
import { describe, expect, it } from 'vitest';
import { checkGates } from '../../../src/audit/check-gates.ts';
import { parseSize } from '../../../src/audit/parse-size.ts';
import type { PresetSavings } from '../../../src/audit/types.ts';
import { errorOf } from '../../helpers/error-of.ts';

describe('parseSize', () => {
  it('reads SI units in thousands and IEC units (and bare letters) in 1024s', () => {
    expect(parseSize('500MB', '--max-size')).toBe(500_000_000);
    expect(parseSize('1.5GiB', '--max-size')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('2G', '--max-size')).toBe(2 * 1024 ** 3);
    expect(parseSize('64 kib', '--max-size')).toBe(65_536);
    expect(parseSize('123456', '--max-size')).toBe(123_456);
    expect(parseSize('10B', '--max-size')).toBe(10);
    expect(parseSize('.5TB', '--max-size')).toBe(5e11);
  });

  it('refuses what is not a size with CP_USAGE, naming the flag and showing the form', () => {
    for (const text of ['', 'big', '5 parsecs', '-1GB', '1,5GB', 'GB']) {
      const error = errorOf(() => parseSize(text, '--max-prunable'));
      expect(error.code).toBe('CP_USAGE');
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('--max-prunable');
      expect(error.hint).toContain('1.5GiB');
    }
  });
});

describe('checkGates', () => {
  const presets = [{ preset: 'default', bytes: 300 }, { preset: 'moderate', bytes: 900 }] as PresetSavings[];
  const audit = { totals: { packages: 1, files: 1, bytes: 1000, uniqueBytes: 1000, symlinks: 0, missing: 0 }, presets };

  it('returns no gate when no limit is set', () => {
    expect(checkGates(audit, {})).toEqual([]);
  });

  it('passes at the limit and fails one byte over it', () => {
    expect(checkGates(audit, { maxSize: 1000 })).toEqual([{ gate: 'max-size', limit: 1000, actual: 1000, exceeded: false }]);
    expect(checkGates(audit, { maxSize: 999 })[0]?.exceeded).toBe(true);
  });

  it("counts the default preset's savings, or the preset named", () => {
    expect(checkGates(audit, { maxPrunable: 500 })).toEqual([{ gate: 'max-prunable', limit: 500, actual: 300, exceeded: false, preset: 'default' }]);
    expect(checkGates(audit, { maxPrunable: 500, prunablePreset: 'moderate' })).toEqual([{ gate: 'max-prunable', limit: 500, actual: 900, exceeded: true, preset: 'moderate' }]);
  });
});
