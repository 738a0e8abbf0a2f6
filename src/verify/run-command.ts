/**
 * Runs one user command (`--run "gunicorn --version"`) the way a container would: through
 * /bin/sh, with the env's `bin/` first on PATH, and judges it by its exit status alone.
 */
import { spawn } from 'node:child_process';
import { createTailBuffer } from './tail-buffer.ts';
import type { VerifyCheck } from './types.ts';

/** Inputs of runCommand. */
export interface RunCommandOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Runs `command` with /bin/sh -c and returns its check, with the last 4 KiB of its output. */
export function runCommand(command: string, options: RunCommandOptions): Promise<VerifyCheck> {
  return new Promise((resolve) => {
    const began = performance.now();
    const output = createTailBuffer();
    // Its own process group, so a timeout also ends what the shell started.
    const child = spawn('/bin/sh', ['-c', command], { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let timedOut = false;
    let spawnError: string | undefined;
    const kill = (): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', kill, { once: true });
    // Both streams into one buffer, in arrival order, as a terminal would show them.
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = `cannot run /bin/sh: ${error.code ?? error.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      const check: VerifyCheck = { kind: 'run', command, ok: false, durationMs: Math.round((performance.now() - began) * 10) / 10 };
      const text = output.text();
      if (text !== '') check.output = text;
      if (spawnError !== undefined) {
        check.error = spawnError;
      } else if (timedOut) {
        check.timedOut = true;
        check.error = `TimeoutError: command did not finish within ${options.timeoutMs / 1000} s`;
      } else if (signal !== null) {
        check.signal = signal;
        check.error = `killed by ${signal}`;
      } else {
        check.exitCode = code ?? -1;
        check.ok = code === 0;
        if (!check.ok) check.error = `exit code ${code}`;
      }
      resolve(check);
    });
  });
}
