/**
 * Downloads one registry resource (an index or a profile) with the limits a build machine
 * needs: only https, file and loopback http; a size cap; a timeout; redirects only within the
 * same origin. Everything else is a clear CP_REGISTRY_* error, never a silent fallback.
 */
import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PruneError } from '../errors.ts';

/** Limits and trust for downloads. */
export interface FetchOptions {
  /** Extra trusted certificate authorities (PEM), added to Node's bundled ones. */
  ca?: string | Buffer;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
}

/** Largest resource accepted: indexes and profiles are a few KiB; more is a mistake or an attack. */
export const defaultMaxBytes = 1024 * 1024;
const defaultTimeoutMs = 15_000;
const defaultMaxRedirects = 5;

/** Refuses a URL conda-prune will not download from, and returns it parsed. */
export function checkRegistryUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PruneError('CP_REGISTRY_REFUSED', `"${text}" is not a URL`, { hint: 'write https://host/path/, file:///path/ or a directory path' });
  }
  if (url.protocol === 'https:' || url.protocol === 'file:') return url;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return url;
  throw new PruneError('CP_REGISTRY_REFUSED', `refusing to download from ${url.href}: ${url.protocol === 'http:' ? 'plain http is only allowed for loopback addresses' : `the ${url.protocol} scheme is not supported`}`, {
    hint: 'serve the registry over https (or use file:// for a local directory)',
  });
}

/** Tells whether a host name is this machine, the only place plain http cannot be tampered with in transit. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Downloads `url` and returns its bytes. */
export async function fetchResource(url: string, options: FetchOptions = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  const current = checkRegistryUrl(url);
  if (current.protocol === 'file:') return readLocal(current, maxBytes);
  // The socket timeout only catches a silent server; one that sends a byte now and then would
  // hold a build forever. The whole download, redirects included, has one deadline.
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(Object.assign(new Error(`not done within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
  try {
    return await download(current, options, maxBytes, deadline.signal);
  } catch (error) {
    // Whatever the abort broke (a socket, a stream), the report is the deadline, named once.
    if (deadline.signal.aborted && !(error instanceof PruneError && error.code !== 'CP_REGISTRY_UNREACHABLE')) {
      throw unreachable(current, { name: 'Error', message: `not done within ${timeoutMs} ms` });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function download(start: URL, options: FetchOptions, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  let current = start;
  for (let redirects = 0; ; redirects++) {
    const response = await get(current, options, signal);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location !== undefined) {
      response.resume();
      const next = new URL(response.headers.location, current);
      // Another scheme or host is another party; following it would let the registry's host
      // hand the download to anyone, and http→https downgrades the other way.
      if (next.origin !== current.origin) {
        throw new PruneError('CP_REGISTRY_REFUSED', `${current.href} redirects to another origin (${next.origin}); refused`, {
          hint: 'point the registry URL at the final location, or serve the files from one host',
        });
      }
      if (redirects + 1 > (options.maxRedirects ?? defaultMaxRedirects)) {
        throw new PruneError('CP_REGISTRY_REFUSED', `${start.href} redirects more than ${options.maxRedirects ?? defaultMaxRedirects} times`, { hint: 'point the registry URL at the final location' });
      }
      current = next;
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new PruneError('CP_REGISTRY_UNREACHABLE', `${current.href} answered HTTP ${status}`, {
        hint: status === 404 ? 'check the registry URL and that index.yaml and the profiles are published' : 'try again later, or check the server',
      });
    }
    return readBody(response, current, maxBytes, signal);
  }
}

async function get(url: URL, options: FetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  // Loaded on first use: node's http and TLS stacks cost every run start-up time, and most runs
  // (builtin profiles, or a lockfile and its cache) never go online.
  const { request: send } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolvePromise, reject) => {
    // No pooled agent: a kept-alive socket the server has since closed would fail the next download.
    // The deadline's signal covers a silent server as well as a slow one.
    const request = send(url, { method: 'GET', agent: false, signal, headers: { accept: 'application/yaml, text/plain, */*' }, ...(options.ca === undefined ? {} : { ca: options.ca }) }, resolvePromise);
    request.on('error', (error: NodeJS.ErrnoException) => reject(unreachable(url, error)));
    request.end();
  });
}

function readBody(response: IncomingMessage, url: URL, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    return Promise.reject(tooLarge(url, maxBytes));
  }
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Counted as it streams: a server may lie about, or omit, Content-Length.
      if (size > maxBytes) {
        response.destroy();
        reject(tooLarge(url, maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolvePromise(Buffer.concat(chunks)));
    response.on('error', (error: NodeJS.ErrnoException) => reject(unreachable(url, error)));
    // An abort may end the response without an error event; the deadline's reason is reported.
    signal.addEventListener('abort', () => {
      response.destroy();
      reject(unreachable(url, signal.reason as NodeJS.ErrnoException));
    }, { once: true });
  });
}

function readLocal(url: URL, maxBytes: number): Buffer {
  const path = fileURLToPath(url);
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    size = stats.size;
  } catch (error) {
    throw unreachable(url, error as NodeJS.ErrnoException);
  }
  if (size > maxBytes) throw tooLarge(url, maxBytes);
  return readFileSync(path);
}

function unreachable(url: URL, error: NodeJS.ErrnoException): PruneError {
  const reason = error.code ?? error.message;
  const certificate = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(reason);
  return new PruneError('CP_REGISTRY_UNREACHABLE', `cannot download ${url.href}: ${reason}`, {
    hint: certificate
      ? "the server's certificate is not trusted: add its CA with NODE_EXTRA_CA_CERTS=ca.pem (never disable verification)"
      : 'check the network and the registry URL; with a conda-prune.lock, profiles already in the cache are used offline',
    cause: error,
  });
}

function tooLarge(url: URL, maxBytes: number): PruneError {
  return new PruneError('CP_REGISTRY_REFUSED', `${url.href} is larger than ${maxBytes} bytes; refused`, {
    hint: 'registry indexes and profiles are small YAML files; check that the URL names one',
  });
}
