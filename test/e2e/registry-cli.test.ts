/**
 * The built CLI against a real registry served over HTTPS on 127.0.0.1 (certificate generated
 * with openssl, trusted through NODE_EXTRA_CA_CERTS): build the index, lock, list, show, plan
 * offline with the server stopped, refuse a tampered cache, validate files.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, type CliResult } from '../helpers/run-cli.ts';
import { createTempDirectories, writeSmallEnvironment } from '../helpers/small-env.ts';
import { generateCertificate, serveRegistry, writeRegistryProfile, type RegistryServer } from '../helpers/registry-server.ts';

const temp = createTempDirectories();
let registryRoot: string;
let projectDirectory: string;
let prefix: string;
let cache: string;
let certFile: string;
let server: RegistryServer;

/** Runs the CLI without blocking this process, which serves the registry meanwhile. */
function run(args: string[], cwd = projectDirectory): Promise<CliResult> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CONDA_PRUNE_CACHE_DIR: cache, NODE_EXTRA_CA_CERTS: certFile };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  registryRoot = temp.make('e2e-registry');
  writeRegistryProfile(registryRoot, { name: 'team-base', version: '1.0.0', package: 'scipy', remove: ['{site-packages}/scipy/stats/tests/**'] });
  writeRegistryProfile(registryRoot, { name: 'team-scipy', version: '1.0.0', package: 'scipy', remove: ['{site-packages}/scipy/linalg/tests/**'] });
  writeRegistryProfile(registryRoot, { name: 'team-scipy', version: '1.1.0', package: 'scipy', remove: ['{site-packages}/scipy/linalg/tests/**'], extends: ['team/team-base@^1'] });
  const tls = generateCertificate(temp.make('e2e-tls'));
  certFile = join(temp.make('e2e-ca'), 'ca.pem');
  writeFileSync(certFile, tls.cert);
  server = await serveRegistry(registryRoot, tls);
  projectDirectory = temp.make('e2e-project');
  cache = join(projectDirectory, 'cache');
  writeFileSync(join(projectDirectory, 'conda-prune.yaml'), `registries:\n  team: ${server.url}\nprofiles:\n  - team/team-scipy@^1\n`);
  prefix = temp.make('e2e-env');
  await writeSmallEnvironment(prefix, 'libmamba');
});

afterAll(async () => {
  await server.close();
  temp.cleanup();
});

describe('conda-prune registry and profiles commands', () => {
  it('builds the index, then keeps --check honest', async () => {
    const built = await run(['registry', 'build', registryRoot]);
    expect(built.stderr).toBe('');
    expect(built.stdout).toBe(`Wrote ${join(registryRoot, 'index.yaml')}: 2 profiles, 3 versions.\n`);
    expect(readFileSync(join(registryRoot, 'index.yaml'), 'utf8')).toMatch(/team-scipy:\n {4}- version: "1\.1\.0"\n {6}path: team-scipy\/1\.1\.0\.yaml\n {6}sha256: "[0-9a-f]{64}"/);
    expect((await run(['registry', 'build', registryRoot, '--check'])).status).toBe(0);
    const stale = temp.make('e2e-stale');
    writeRegistryProfile(stale, { name: 'x', version: '1.0.0', package: 'x', remove: ['x/**'] });
    const check = await run(['registry', 'build', stale, '--check']);
    expect(check.status).toBe(2);
    expect(check.stderr).toContain('error CP_REGISTRY_INVALID');
  });

  it('locks, lists, shows, then plans offline with the server stopped, and refuses a tampered cache', async () => {
    const locked = await run(['profiles', 'lock']);
    expect(locked.stderr).toBe('');
    expect(locked.stdout).toBe(`Locked 2 profiles (2 from registries) in ${join(projectDirectory, 'conda-prune.lock')}.\n`);
    const lock = readFileSync(join(projectDirectory, 'conda-prune.lock'), 'utf8');
    expect(lock).toContain(`url: "${server.url}team-scipy/1.1.0.yaml"`);

    const list = await run(['profiles', 'list', prefix]);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(`team-scipy 1.1.0  scipy  ${server.url}team-scipy/1.1.0.yaml  applies to scipy 1.9.3`);
    expect(list.stdout).toMatch(/Builtin: \d+ profiles\n {2}aggressive /);

    const show = await run(['profiles', 'show', 'team/team-scipy@^1']);
    expect(show.status).toBe(0);
    expect(show.stdout).toContain(`team-base/tests  tests, safe  (from team-base 1.0.0, ${server.url}team-base/1.0.0.yaml)`);
    expect(show.stdout).toContain('remove {site-packages}/scipy/stats/tests/**');

    await server.close();
    const plan = await run(['plan', prefix, '--format', 'json']);
    expect(plan.stderr).toBe('');
    expect(plan.status).toBe(0);
    const document = JSON.parse(plan.stdout) as { profiles: { name: string; version: string; source: string }[]; entries: unknown[] };
    expect(document.profiles.map((profile) => `${profile.name}@${profile.version}`)).toEqual(['team-scipy@1.1.0', 'team-base@1.0.0']);
    expect(document.entries.length).toBeGreaterThan(0);

    for (const file of readdirSync(join(cache, 'profiles'))) writeFileSync(join(cache, 'profiles', file), '# replaced\n');
    const tampered = await run(['plan', prefix]);
    expect(tampered.status).toBe(2);
    expect(tampered.stdout).toBe('');
    expect(tampered.stderr).toMatch(/^error CP_INTEGRITY: the cached copy of team\/team-scipy@\^1 /);
    expect(tampered.stderr).toContain('via: team/team-scipy@^1');
  });

  it('validates files and lists every problem with file:line:col', async () => {
    const directory = temp.make('e2e-validate');
    const good = writeRegistryProfile(directory, { name: 'good', version: '1.0.0', package: 'good', remove: ['lib/good/tests/**'] });
    const bad = join(directory, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: conda-prune/v1\nname: bad\nversion: 1.10\nextends: [scipy]\ncolour: red\n');
    const result = await run(['profiles', 'validate', good, bad], directory);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe(`ok ${good}\n`);
    expect(result.stderr).toContain(`  ${bad}:3:10: version: unquoted version: YAML reads 1.10 as the number 1.1; write it in quotes`);
    expect(result.stderr).toContain(`  ${bad}:5:1: colour: unknown key "colour"`);
    expect(result.stderr).toMatch(/^error CP_PROFILE_INVALID: 2 problems in 1 file/);
  });
});
