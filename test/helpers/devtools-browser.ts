/**
 * Drives Debian's headless chromium through the Chrome DevTools Protocol: launches it with a
 * fresh profile, attaches to its first page and sends commands, collecting every console
 * message, uncaught exception and log entry the page produces.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWebSocket, type WebSocketConnection } from './devtools-websocket.ts';

/** A problem the page reported. */
export interface PageProblem {
  source: 'console' | 'exception' | 'log';
  level: string;
  text: string;
}

/** A page of a running browser, ready for commands. */
export interface BrowserPage {
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Resolves with the params of the next event of that name. */
  next(event: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Every console message, exception and log entry so far. */
  messages: PageProblem[];
  /** Evaluates an expression in the page and returns its value (JSON-serialisable values only). */
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

/** The browser the tests use; `CHROMIUM` overrides it. */
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Launches headless chromium and attaches to its page. */
export async function launchBrowser(): Promise<BrowserPage> {
  const profile = mkdtempSync(join(tmpdir(), 'conda-prune-chromium-'));
  const child = spawn(
    chromiumPath,
    ['--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-port=0', `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--window-size=1280,900', 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const stop = async (): Promise<void> => {
    await terminate(child);
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const browserUrl = await devtoolsUrl(child);
    const port = new URL(browserUrl).port;
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl: string }>;
    const page = targets.find((target) => target.type === 'page');
    if (page === undefined) throw new Error('chromium opened no page');
    return await attach(page.webSocketDebuggerUrl, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Reads `DevTools listening on ws://…` from chromium's stderr. */
function devtoolsUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not report its DevTools URL within 30 s:\n${text}`)), 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${chromiumPath} (${error.message}); install it: apt-get install -y chromium`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited with ${code} before it listened:\n${text}`));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
  });
}

async function attach(url: string, stop: () => Promise<void>): Promise<BrowserPage> {
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void }>();
  const waiters = new Map<string, Array<(params: Record<string, unknown>) => void>>();
  const messages: PageProblem[] = [];
  const socket: WebSocketConnection = await openWebSocket(url, (text) => {
    const message = JSON.parse(text) as { id?: number; result?: Record<string, unknown>; error?: { message: string }; method?: string; params?: Record<string, unknown> };
    if (message.id !== undefined) {
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) call?.reject(new Error(message.error.message));
      else call?.resolve(message.result ?? {});
      return;
    }
    if (message.method === undefined) return;
    const params = message.params ?? {};
    collect(message.method, params, messages);
    const waiting = waiters.get(message.method) ?? [];
    waiters.delete(message.method);
    for (const wake of waiting) wake(params);
  });
  const send = <T>(method: string, params: Record<string, unknown> = {}): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: Record<string, unknown>) => void, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  const next = (event: string, timeoutMs = 30_000): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      waiters.set(event, [
        ...(waiters.get(event) ?? []),
        (params) => {
          clearTimeout(timer);
          resolve(params);
        },
      ]);
    });
  const evaluate = async <T>(expression: string): Promise<T> => {
    const reply = await send<{ result: { value?: unknown }; exceptionDetails?: { text: string } }>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (reply.exceptionDetails !== undefined) throw new Error(`evaluating ${expression} threw: ${JSON.stringify(reply.exceptionDetails)}`);
    return reply.result.value as T;
  };
  return {
    send,
    next,
    messages,
    evaluate,
    close: async () => {
      socket.close();
      await stop();
    },
  };
}

/** Records what the page said through each of the three channels a problem can come by. */
function collect(method: string, params: Record<string, unknown>, messages: PageProblem[]): void {
  if (method === 'Runtime.consoleAPICalled') {
    const args = (params.args as Array<{ value?: unknown; description?: string }> | undefined) ?? [];
    messages.push({ source: 'console', level: String(params.type), text: args.map((arg) => String(arg.value ?? arg.description ?? '')).join(' ') });
  } else if (method === 'Runtime.exceptionThrown') {
    const details = params.exceptionDetails as { text?: string; exception?: { description?: string } } | undefined;
    messages.push({ source: 'exception', level: 'error', text: `${details?.text ?? ''} ${details?.exception?.description ?? ''}`.trim() });
  } else if (method === 'Log.entryAdded') {
    const entry = params.entry as { level?: string; text?: string; url?: string } | undefined;
    messages.push({ source: 'log', level: entry?.level ?? '', text: `${entry?.text ?? ''}${entry?.url === undefined ? '' : ` (${entry.url})`}` });
  }
}

/** Ends chromium and every process it started (it leads its own process group), waiting for the exit. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}
