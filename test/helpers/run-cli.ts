/**
 * Runs the built CLI (dist/conda-prune.mjs) in a child process, as a user or a Dockerfile would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The single-file bundle that package.json's bin names; `npm test` builds it first. */
export const cliPath = fileURLToPath(new URL('../../dist/conda-prune.mjs', import.meta.url));

/** What one CLI run printed and returned. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/conda-prune.mjs ...args` with a clean environment plus `env`. */
export function runCli(args: string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): CliResult {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run npm run build (npm test does it for you)`);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  // A JSON plan of a large env is tens of megabytes: node's 1 MB default would cut it off. The
  // time limit only catches a CLI that hangs: an apply that verifies, blames a rule and applies
  // again takes ~8 s on a quiet machine, yet over a minute while the suite's other end-to-end
  // files load both cores, so the limit sits just under the 300 s those tests allow themselves.
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env, cwd: options.cwd, timeout: 240_000, maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
