/**
 * One interpreter of the env running the smoke script: it takes one module at a time, so when it
 * dies or hangs the module in flight is known exactly, and it keeps its imports between modules,
 * so shared dependencies (numpy under scipy, pandas and sklearn) load once per interpreter.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { smokeScript } from './smoke-script.ts';
import { createTailBuffer } from './tail-buffer.ts';

/** The first line the smoke script writes: what interpreter really runs. */
export interface WorkerHello {
  version: string;
  prefix: string;
  executable: string;
}

/** One answer line of the smoke script. */
export interface SmokeAnswer {
  module: string;
  ok: boolean;
  error?: string;
  traceback?: string;
  durationMs: number;
}

/** How a request ended: an answer, the timeout, or the interpreter's death. */
export type WorkerReply =
  | { kind: 'answer'; answer: SmokeAnswer }
  | { kind: 'timeout'; started: boolean }
  /** The interpreter had already died before this request, after answering the one before. */
  | { kind: 'gone' }
  | {
      kind: 'died';
      /** Whether the interpreter got as far as running the script (its hello line arrived). */
      started: boolean;
      code: number | null;
      signal: NodeJS.Signals | null;
      /** stderr since the request was sent, the last 4 KiB. */
      stderr: string;
      /** Why the interpreter could not be started at all (ENOENT, EACCES). */
      spawnError?: string;
    };

/** A running interpreter that imports modules on request. */
export interface ImportWorker {
  /** Resolves with the hello line, or undefined when the interpreter ends without one. */
  readonly hello: Promise<WorkerHello | undefined>;
  /** Imports one module; the worker is dead after any reply but an answer. */
  request(module: string, timeoutMs: number): Promise<WorkerReply>;
  /** Ends the interpreter: closes its input and kills it if it lingers. */
  close(): Promise<void>;
  /** Kills the interpreter and everything it started. */
  kill(): void;
}

interface Pending {
  module: string;
  resolve: (reply: WorkerReply) => void;
  timer: NodeJS.Timeout;
}

// After 'exit', output may still be in the pipes; 'close' says they are drained. A grandchild
// that keeps the pipes open must not stall us, so give up waiting after this long.
const drainMs = 250;
const lingerMs = 2000;

/** Starts the env's interpreter with the smoke script, isolated (-I -B) with the given environment. */
export function startImportWorker(python: string, env: NodeJS.ProcessEnv): ImportWorker {
  // Its own process group, so a kill also reaches what an import started.
  const child = spawn(python, ['-I', '-B', '-c', smokeScript], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true }) as ChildProcessWithoutNullStreams;
  const stderr = createTailBuffer();
  let pending: Pending | undefined;
  let started = false;
  // dead: takes no more requests; ended: the process is gone and its pipes are drained.
  let dead = false;
  let ended = false;
  let spawnError: string | undefined;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let helloResolve: (hello: WorkerHello | undefined) => void = () => {};
  const hello = new Promise<WorkerHello | undefined>((resolve) => (helloResolve = resolve));
  let exited: () => void = () => {};
  const finished = new Promise<void>((resolve) => (exited = resolve));

  const settle = (reply: WorkerReply): void => {
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    const { resolve } = pending;
    pending = undefined;
    resolve(reply);
  };
  const finish = (): void => {
    if (ended) return;
    ended = true;
    dead = true;
    helloResolve(undefined);
    settle({ kind: 'died', started, code: exit?.code ?? null, signal: exit?.signal ?? null, stderr: stderr.text(), ...(spawnError === undefined ? {} : { spawnError }) });
    exited();
  };
  const kill = (): void => {
    if (child.pid === undefined || exit !== undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };

  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => stderr.push(chunk));
  // Writing to an interpreter that just died fails with EPIPE; its death is reported by 'exit'.
  child.stdin.on('error', () => {});
  child.on('error', (error: NodeJS.ErrnoException) => {
    spawnError = `cannot run ${python}: ${error.code ?? error.message}`;
    finish();
  });
  child.on('exit', (code, signal) => {
    exit = { code, signal };
    const drained = setTimeout(finish, drainMs);
    child.once('close', () => clearTimeout(drained));
  });
  child.on('close', finish);

  function onLine(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if ('hello' in value) {
      started = true;
      helloResolve(value.hello as WorkerHello);
      return;
    }
    const answer = value as SmokeAnswer;
    if (pending !== undefined && answer.module === pending.module) settle({ kind: 'answer', answer });
  }

  return {
    hello,
    request(module, timeoutMs) {
      return new Promise<WorkerReply>((resolve) => {
        if (dead) {
          resolve({ kind: 'gone' });
          return;
        }
        stderr.clear();
        const timer = setTimeout(() => {
          // Mark it dead first: the kill's own exit must not be reported as a crash.
          dead = true;
          settle({ kind: 'timeout', started });
          kill();
          helloResolve(undefined);
        }, timeoutMs);
        pending = { module, resolve, timer };
        child.stdin.write(`${module}\n`);
      });
    },
    async close() {
      if (ended) return;
      child.stdin.end();
      // The script exits at once on end of input; one that lingers (a thread an import started
      // keeps it alive) is killed. The timers must not outlive it: they would hold the CLI open.
      let giveUp: NodeJS.Timeout | undefined;
      const linger = setTimeout(kill, lingerMs);
      await Promise.race([finished, new Promise((resolve) => (giveUp = setTimeout(resolve, lingerMs + drainMs)))]);
      clearTimeout(linger);
      clearTimeout(giveUp);
    },
    kill() {
      kill();
    },
  };
}
