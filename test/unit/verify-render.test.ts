/**
 * The text report of verify: failing checks only, labelled, and a summary line.
 */
import { describe, expect, it } from 'vitest';
import { renderVerifyText } from '../../src/verify/render-verify.ts';
import type { VerifyResult } from '../../src/verify/types.ts';

const result: VerifyResult = {
  schemaVersion: 1,
  prefix: '/env',
  python: '/env/bin/python3.11 (3.11.7)',
  ok: false,
  durationMs: 2345,
  checks: [
    { kind: 'import', module: 'numpy', ok: true, durationMs: 90 },
    { kind: 'import', module: 'crashing_ext', ok: false, crashed: true, signal: 'SIGSEGV', error: 'interpreter crashed with SIGSEGV importing crashing_ext', output: 'Fatal Python error: Segmentation fault', durationMs: 30 },
    { kind: 'import', module: 'slow', ok: false, timedOut: true, error: 'TimeoutError: import did not finish within 30 s', durationMs: 30000 },
    { kind: 'import', module: 'gone', ok: false, error: "ModuleNotFoundError: No module named 'gone'", output: "ModuleNotFoundError: No module named 'gone'\n", durationMs: 1 },
    { kind: 'run', command: 'app --check', ok: false, exitCode: 2, error: 'exit code 2', output: '1\n2\n3\n4\n5\n6\n7\n', durationMs: 12 },
  ],
};

describe('renderVerifyText', () => {
  it('lists each failing check with its error and the last lines of a command, then the counts', () => {
    expect(renderVerifyText(result, { color: false })).toMatchInlineSnapshot(`
      "conda-prune verify: /env
      python: /env/bin/python3.11 (3.11.7)
      CRASH   import crashing_ext: interpreter crashed with SIGSEGV importing crashing_ext
      TIMEOUT import slow: TimeoutError: import did not finish within 30 s
      FAIL    import gone: ModuleNotFoundError: No module named 'gone'
      FAIL    run "app --check": exit code 2
              | 3
              | 4
              | 5
              | 6
              | 7
      FAILED 5 checks in 2.3 s: 1 passed, 4 failed (1 crashed, 1 timed out)
      "
    `);
  });

  it('says OK in green when every check passed', () => {
    const passing: VerifyResult = { ...result, ok: true, checks: [result.checks[0]!] };
    expect(renderVerifyText(passing, { color: false }).split('\n').at(-2)).toBe('OK 1 check in 2.3 s: 1 passed, 0 failed');
    expect(renderVerifyText(passing, { color: true })).toContain('\u001b[32mOK 1 check');
  });
});
