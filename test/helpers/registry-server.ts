/**
 * A real profile registry for tests: a folder of profiles with its index, served as static
 * files by node's http (or https) server on 127.0.0.1, with optional redirects and stalls.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize } from 'node:path';
import { buildRegistryIndex } from '../../src/registry/build-index.ts';
import { renderRegistryIndex } from '../../src/registry/registry-index.ts';

/** A running registry server. */
export interface RegistryServer {
  /** Root URL, ending in `/`. */
  url: string;
  /** Paths (`/x`) answered with a 302 to the given location instead of a file. */
  redirects: Map<string, string>;
  /** Paths that are never answered, to exercise timeouts. */
  stalls: Set<string>;
  /** Paths answered one byte every 50 ms, forever: a connection that is never idle and never ends. */
  drips: Set<string>;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `root` over http, or https with `tls`, on 127.0.0.1 at a free port. */
export async function serveRegistry(root: string, tls?: { key: string; cert: string }): Promise<RegistryServer> {
  const redirects = new Map<string, string>();
  const stalls = new Set<string>();
  const drips = new Set<string>();
  const requests: string[] = [];
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    requests.push(path);
    if (stalls.has(path)) return;
    if (drips.has(path)) {
      response.writeHead(200, { 'content-type': 'application/yaml' });
      const timer = setInterval(() => response.write('#'), 50);
      response.on('close', () => clearInterval(timer));
      return;
    }
    const location = redirects.get(path);
    if (location !== undefined) {
      response.writeHead(302, { location }).end();
      return;
    }
    const file = normalize(join(root, decodeURIComponent(path)));
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': 'application/yaml', 'content-length': body.length }).end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  };
  const server: Server = tls === undefined ? createHttpServer(handler) : createHttpsServer(tls, handler);
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}/`,
    redirects,
    stalls,
    drips,
    requests,
    close: () =>
      new Promise((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}

/** Generates a self-signed certificate for 127.0.0.1 with the openssl CLI; returns PEM texts. */
export function generateCertificate(directory: string): { key: string; cert: string } {
  mkdirSync(directory, { recursive: true });
  const key = join(directory, 'key.pem');
  const cert = join(directory, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

/** Options of a registry profile written for a test. */
export interface TestProfile {
  name: string;
  version: string;
  /** Package the single rule applies to; omitted for a profile that only extends. */
  package?: string;
  /** The rule's remove globs. */
  remove?: string[];
  extends?: string[];
}

/** Writes a profile to `root/NAME/VERSION.yaml` and returns its path. */
export function writeRegistryProfile(root: string, profile: TestProfile): string {
  const path = join(root, profile.name, `${profile.version}.yaml`);
  mkdirSync(dirname(path), { recursive: true });
  const lines = ['apiVersion: conda-prune/v1', `name: ${profile.name}`, `version: "${profile.version}"`];
  if ((profile.extends ?? []).length > 0) lines.push('extends:', ...(profile.extends ?? []).map((item) => `  - ${JSON.stringify(item)}`));
  if (profile.package !== undefined) {
    lines.push('appliesTo:', `  package: ${profile.package}`, 'rules:', '  - id: tests', '    category: tests', '    risk: safe', '    reason: Tests are not imported at runtime.', '    remove:');
    lines.push(...(profile.remove ?? []).map((glob) => `      - ${JSON.stringify(glob)}`));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Writes root/index.yaml for the profiles under root. */
export function writeIndex(root: string): void {
  writeFileSync(join(root, 'index.yaml'), renderRegistryIndex(buildRegistryIndex(root)));
}
