/**
 * Imports a list of modules with a few of the env's interpreters at once, one per core: each
 * interpreter takes the next module from a shared queue, so heavy imports balance themselves and
 * shared dependencies load once per interpreter, not once per module.
 *
 * An interpreter that dies has the module in flight as its only suspect; that module is retried
 * alone in a fresh interpreter to tell a crash of its own from one an earlier import caused.
 * A module that raises after others were imported in its interpreter is retried alone too, and
 * the lone import is its result: modules meet in one interpreter only to save start-ups, and an
 * import that fails only after another (setuptools' distutils shim once pip has been imported)
 * would otherwise pass or fail with the order the queue happened to hand them out in.
 */
import { startImportWorker, type ImportWorker, type SmokeAnswer, type WorkerHello, type WorkerReply } from './import-worker.ts';
import { outputLimit } from './tail-buffer.ts';
import type { VerifyCheck } from './types.ts';

/** Inputs of importModules. */
export interface ImportModulesOptions {
  /** Absolute path of the env's interpreter. */
  python: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  concurrency: number;
  signal?: AbortSignal;
  /** Called once per module as soon as its check is final. */
  onCheck?: (check: VerifyCheck) => void;
}

/** The checks by module, and what the interpreter said about itself. */
export interface ImportModulesResult {
  checks: Map<string, VerifyCheck>;
  /** Undefined when no interpreter ever started. */
  hello?: WorkerHello;
}

/** Imports every module in the env's interpreters and returns one check per module. */
export async function importModules(modules: readonly string[], options: ImportModulesOptions): Promise<ImportModulesResult> {
  const queue = [...modules];
  const checks = new Map<string, VerifyCheck>();
  const live = new Set<ImportWorker>();
  let hello: WorkerHello | undefined;
  let startupFailure: Omit<VerifyCheck, 'module' | 'kind'> | undefined;

  const record = (check: VerifyCheck): void => {
    checks.set(check.module as string, check);
    options.onCheck?.(check);
  };
  const start = (): ImportWorker => {
    const worker = startImportWorker(options.python, options.env);
    live.add(worker);
    void worker.hello.then((value) => (hello ??= value));
    return worker;
  };
  const retire = (worker: ImportWorker): void => {
    live.delete(worker);
  };
  const aborted = (): boolean => options.signal?.aborted === true;
  const abort = (): void => {
    for (const worker of live) worker.kill();
  };
  options.signal?.addEventListener('abort', abort, { once: true });

  // Sends one module to a fresh interpreter of its own.
  const requestAlone = async (module: string): Promise<{ reply: WorkerReply; durationMs: number }> => {
    const worker = start();
    const began = performance.now();
    const reply = await worker.request(module, options.timeoutMs);
    if (reply.kind === 'answer') await worker.close();
    retire(worker);
    return { reply, durationMs: round(performance.now() - began) };
  };

  // Re-runs a module that was in flight when its interpreter died, alone, to see if it dies again.
  const retryAlone = async (module: string, first: Extract<WorkerReply, { kind: 'died' }>, before: number): Promise<VerifyCheck> => {
    const { reply, durationMs } = await requestAlone(module);
    if (reply.kind === 'answer') {
      if (!reply.answer.ok) return fromAnswer(reply.answer);
      // It crashed once and not again: fail it anyway, since something in that interpreter died.
      const context = before === 0 ? 'then imported fine when retried' : `after ${before} other modules; alone it imports fine`;
      return { kind: 'import', module, ok: false, crashed: true, ...exitFacts(first), error: `${describeDeath(first)} importing ${module} ${context}`, ...output(first.stderr), durationMs };
    }
    if (reply.kind === 'timeout') return timedOut(module, options.timeoutMs);
    const death = reply.kind === 'died' && reply.started ? reply : first;
    return { kind: 'import', module, ok: false, crashed: true, ...exitFacts(death), error: `${describeDeath(death)} importing ${module}`, ...output(death.stderr), durationMs };
  };

  // Imports a module that raised beside others once more, alone; that import is its result.
  const importAlone = async (module: string, first: SmokeAnswer): Promise<VerifyCheck> => {
    const { reply, durationMs } = await requestAlone(module);
    if (reply.kind === 'answer') return fromAnswer(reply.answer);
    if (reply.kind === 'timeout') return timedOut(module, options.timeoutMs);
    if (reply.kind === 'died' && reply.started) return { kind: 'import', module, ok: false, crashed: true, ...exitFacts(reply), error: `${describeDeath(reply)} importing ${module}`, ...output(reply.stderr), durationMs };
    // No fresh interpreter to ask: the shared one's answer stands.
    return fromAnswer(first);
  };

  const lane = async (): Promise<void> => {
    let worker: ImportWorker | undefined;
    let imported = 0;
    for (let module = queue.shift(); module !== undefined && !aborted(); module = queue.shift()) {
      if (startupFailure !== undefined) {
        record({ kind: 'import', module, ...startupFailure });
        continue;
      }
      worker ??= start();
      const reply = await worker.request(module, options.timeoutMs);
      if (reply.kind === 'answer') {
        const alone = reply.answer.ok || imported === 0 ? undefined : await importAlone(module, reply.answer);
        imported += 1;
        record(alone ?? fromAnswer(reply.answer));
        continue;
      }
      retire(worker);
      worker = undefined;
      if (aborted()) break;
      if (reply.kind === 'gone') {
        // It died after its last answer (a thread an earlier import started, say): this module was
        // never sent, so it gets a fresh interpreter and no blame.
        queue.unshift(module);
      } else if (reply.kind === 'timeout' && reply.started) {
        record(timedOut(module, options.timeoutMs));
      } else if (reply.kind === 'timeout') {
        // Hanging before the script even ran (a .pth file that blocks, say) is no module's fault.
        startupFailure = { ok: false, timedOut: true, error: `interpreter did not start within ${options.timeoutMs / 1000} s`, durationMs: options.timeoutMs };
        record({ kind: 'import', module, ...startupFailure });
      } else if (!reply.started) {
        // Not this module's fault: the interpreter cannot start at all, so no module can import.
        startupFailure = { ok: false, error: `interpreter did not start: ${reply.spawnError ?? lastLine(reply.stderr) ?? describeDeath(reply)}`, ...output(reply.stderr), durationMs: 0 };
        record({ kind: 'import', module, ...startupFailure });
      } else {
        record(await retryAlone(module, reply, imported));
      }
      imported = 0;
    }
    if (worker !== undefined) {
      await worker.close();
      retire(worker);
    }
  };

  try {
    const lanes = Math.max(1, Math.min(options.concurrency, modules.length));
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    options.signal?.removeEventListener('abort', abort);
    abort();
  }
  options.signal?.throwIfAborted();
  return hello === undefined ? { checks } : { checks, hello };
}

function fromAnswer(answer: SmokeAnswer): VerifyCheck {
  const check: VerifyCheck = { kind: 'import', module: answer.module, ok: answer.ok, durationMs: answer.durationMs };
  if (answer.error !== undefined) check.error = answer.error;
  if (answer.traceback !== undefined && answer.traceback !== '') check.output = tail(answer.traceback);
  return check;
}

function timedOut(module: string, timeoutMs: number): VerifyCheck {
  return { kind: 'import', module, ok: false, timedOut: true, error: `TimeoutError: import did not finish within ${timeoutMs / 1000} s`, durationMs: timeoutMs };
}

function exitFacts(death: Extract<WorkerReply, { kind: 'died' }>): Pick<VerifyCheck, 'signal' | 'exitCode'> {
  if (death.signal !== null) return { signal: death.signal };
  return death.code === null ? {} : { exitCode: death.code };
}

function describeDeath(death: Extract<WorkerReply, { kind: 'died' }>): string {
  if (death.spawnError !== undefined) return death.spawnError;
  if (death.signal !== null) return `interpreter crashed with ${death.signal}`;
  return `interpreter exited with code ${death.code ?? 'unknown'}`;
}

function output(text: string): Pick<VerifyCheck, 'output'> {
  return text === '' ? {} : { output: tail(text) };
}

function tail(text: string): string {
  return text.length <= outputLimit ? text : `…${text.slice(-outputLimit)}`;
}

function lastLine(text: string): string | undefined {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.at(-1);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
