/**
 * `conda-prune verify` driven in-process through commander, on the real fixture env: flags,
 * formats, the exit code it leaves, and usage errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getPythonEnvTemplate } from '../../fixtures/python-env/template.ts';
import { registerVerifyCommand } from '../../src/commands/verify-command.ts';
import { PruneError } from '../../src/errors.ts';
import type { VerifyResult } from '../../src/verify/types.ts';
import { createTempDirectories } from '../helpers/small-env.ts';

const temp = createTempDirectories();
let prefix = '';
let out = '';

beforeAll(async () => {
  prefix = (await getPythonEnvTemplate()).prefix;
  out = temp.make('verify-command');
}, 900_000);
afterEach(() => {
  process.exitCode = undefined;
});
afterAll(() => temp.cleanup());

async function verify(args: string[]): Promise<{ text: string; exitCode: number }> {
  const program = new Command('conda-prune').exitOverride();
  registerVerifyCommand(program);
  const output = join(out, `report-${Math.random().toString(36).slice(2)}`);
  await program.parseAsync(['verify', ...args, '--output', output], { from: 'user' });
  return { text: readFileSync(output, 'utf8'), exitCode: Number(process.exitCode ?? 0) };
}

describe('verify command', () => {
  it('imports the discovered modules and prints the VerifyResult as JSON, leaving exit code 0', async () => {
    const { text, exitCode } = await verify([prefix, '--format', 'json', '--import', 'scipy.stats']);
    const result = JSON.parse(text) as VerifyResult;
    expect(exitCode).toBe(0);
    expect(result.ok).toBe(true);
    const modules = result.checks.map((check) => check.module);
    expect(modules).toContain('sklearn');
    expect(modules.at(-1)).toBe('scipy.stats');
  });

  it('prints one line per failing check, the output of a failing command and a summary, and leaves exit code 1', async () => {
    const { text, exitCode } = await verify([prefix, '--only-user-imports', '--import', 'json', '--import', 'missing_mod', '--run', 'echo out-1; echo out-2 >&2; exit 4', '--timeout', '20']);
    expect(exitCode).toBe(1);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(`conda-prune verify: ${prefix}`);
    expect(lines[1]).toBe(`python: ${join(prefix, 'bin/python3.11')} (3.11.2)`);
    expect(lines.slice(2, -1)).toEqual([
      "FAIL    import missing_mod: ModuleNotFoundError: No module named 'missing_mod'",
      'FAIL    run "echo out-1; echo out-2 >&2; exit 4": exit code 4',
      '        | out-1',
      '        | out-2',
    ]);
    expect(lines.at(-1)).toMatch(/^FAILED 3 checks in \d+\.\d s: 1 passed, 2 failed$/);
    expect(text).not.toContain('\u001b[');
  });

  it('refuses --only-user-imports with nothing to import or run, and a bad timeout', async () => {
    await expect(verify([prefix, '--only-user-imports'])).rejects.toMatchObject({ code: 'CP_USAGE' });
    await expect(verify([prefix, '--timeout', '0'])).rejects.toBeInstanceOf(PruneError);
    await expect(verify([join(out, 'nowhere')])).rejects.toMatchObject({ code: 'CP_PREFIX_MISSING' });
  });
});
