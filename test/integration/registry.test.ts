/**
 * A real registry over HTTP and HTTPS on 127.0.0.1: resolution by semver range, the lockfile,
 * offline plans from the cache, integrity, redirects, limits and extends cycles.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prepareSelection, type PrepareOptions } from '../../src/config/prepare-selection.ts';
import { createLockfile } from '../../src/lockfile/create-lockfile.ts';
import { readLockfile, renderLockfile } from '../../src/lockfile/lockfile.ts';
import { planPrefix } from '../../src/plan/plan-prefix.ts';
import { buildRegistryIndex } from '../../src/registry/build-index.ts';
import { fetchResource } from '../../src/registry/fetch-resource.ts';
import { renderRegistryIndex } from '../../src/registry/registry-index.ts';
import { builtinProfilesDirectory } from '../../src/profiles/builtin-profiles.ts';
import { createTempDirectories, sp, writeSmallEnvironment } from '../helpers/small-env.ts';
import { generateCertificate, serveRegistry, writeIndex, writeRegistryProfile, type RegistryServer } from '../helpers/registry-server.ts';
import { errorOfAsync } from '../helpers/error-of.ts';

const temp = createTempDirectories();
let registryRoot: string;
let server: RegistryServer;
let prefix: string;

beforeAll(async () => {
  registryRoot = temp.make('registry');
  writeRegistryProfile(registryRoot, { name: 'team-base', version: '1.0.0', package: 'scipy', remove: ['{site-packages}/scipy/stats/tests/**'] });
  writeRegistryProfile(registryRoot, { name: 'team-scipy', version: '1.0.0', package: 'scipy', remove: ['{site-packages}/scipy/linalg/tests/**'] });
  writeRegistryProfile(registryRoot, { name: 'team-scipy', version: '1.1.0', package: 'scipy', remove: ['{site-packages}/scipy/linalg/tests/**'], extends: ['team/team-base@^1'] });
  writeRegistryProfile(registryRoot, { name: 'team-scipy', version: '2.0.0', package: 'scipy', remove: ['{site-packages}/scipy/**'] });
  writeRegistryProfile(registryRoot, { name: 'cycle-a', version: '1.0.0', extends: ['team/cycle-b@^1'] });
  writeRegistryProfile(registryRoot, { name: 'cycle-b', version: '1.0.0', extends: ['team/cycle-a@^1'] });
  writeIndex(registryRoot);
  server = await serveRegistry(registryRoot);
  prefix = temp.make('env');
  await writeSmallEnvironment(prefix, 'conda');
});

afterAll(async () => {
  await server.close();
  temp.cleanup();
});

afterEach(() => {
  server.redirects.clear();
  server.stalls.clear();
});

/** A project folder with a conda-prune.yaml naming `profiles` from the registry at `url`, and its own cache. */
function project(profiles: string[], url = server.url): PrepareOptions {
  const cwd = temp.make('project');
  writeFileSync(join(cwd, 'conda-prune.yaml'), `registries:\n  team: ${url}\nprofiles:\n${profiles.map((item) => `  - ${item}`).join('\n')}\n`);
  return { cwd, cacheDirectory: join(cwd, '.cache') };
}

describe('registry resolution over HTTP', () => {
  it('picks the highest version the range accepts, follows its extends and plans with it', async () => {
    const options = project(['team/team-scipy@^1']);
    const prepared = await prepareSelection(options);
    expect([...(prepared.located?.values() ?? [])].map((item) => `${item.name}@${item.version}`)).toEqual(['team-scipy@1.1.0', 'team-base@1.0.0']);
    const plan = await planPrefix({ prefix, ...prepared });
    expect(plan.profiles.map((profile) => [profile.name, profile.version, profile.source, profile.via])).toEqual([
      ['team-scipy', '1.1.0', `${server.url}team-scipy/1.1.0.yaml`, ['team/team-scipy@^1']],
      ['team-base', '1.0.0', `${server.url}team-base/1.0.0.yaml`, ['team/team-scipy@^1', 'team/team-base@^1']],
    ]);
    expect(plan.entries.map((entry) => entry.path)).toContain(`${sp}/scipy/stats/tests/test_stats.py`);
    expect(plan.entries.every((entry) => entry.profile === 'team-base')).toBe(true);
  });

  it('locks exact versions and hashes, deterministically, and plans offline from the lock with the server stopped', async () => {
    const ownRoot = temp.make('registry-offline');
    writeRegistryProfile(ownRoot, { name: 'team-scipy', version: '1.0.0', package: 'scipy', remove: ['{site-packages}/scipy/stats/tests/**'] });
    writeIndex(ownRoot);
    const own = await serveRegistry(ownRoot);
    const options = project(['team/team-scipy@^1', 'builtin:python'], own.url);
    const { lockfile } = createLockfile(await prepareSelection({ ...options, lockMode: 'lock' }));
    const text = renderLockfile(lockfile);
    expect(renderLockfile(createLockfile(await prepareSelection({ ...options, lockMode: 'lock' })).lockfile)).toBe(text);
    writeFileSync(join(options.cwd, 'conda-prune.lock'), text);
    expect(readLockfile(join(options.cwd, 'conda-prune.lock'))?.profiles.map((entry) => [entry.reference, entry.version])).toEqual([
      ['builtin:python', expect.any(String)],
      ['team/team-scipy@^1', '1.0.0'],
    ]);
    const online = await planPrefix({ prefix, ...(await prepareSelection(options)), now: () => new Date(0) });

    // A newer matching version is published, then the server goes away.
    writeRegistryProfile(ownRoot, { name: 'team-scipy', version: '1.5.0', package: 'scipy', remove: ['{site-packages}/scipy/**'] });
    writeIndex(ownRoot);
    await own.close();
    const offline = await planPrefix({ prefix, ...(await prepareSelection(options)), now: () => new Date(0) });
    const python = lockfile.profiles.find((entry) => entry.reference === 'builtin:python');
    expect(offline.profiles.map((profile) => `${profile.name}@${profile.version}`)).toEqual(['team-scipy@1.0.0', `python@${python?.version}`]);
    expect(offline.entries).toEqual(online.entries);
    expect(offline.entries.length).toBeGreaterThan(0);

    // Without the lock, the same config needs the registry, and says so.
    const unlocked = await errorOfAsync(() => prepareSelection({ ...options, lockMode: 'update' }));
    expect(unlocked.code).toBe('CP_REGISTRY_UNREACHABLE');
    expect(unlocked.message).toMatch(/ECONNREFUSED/);
    expect(unlocked.via).toEqual(['team/team-scipy@^1']);
  });

  it('moves to the newest matching version only on update', async () => {
    const ownRoot = temp.make('registry-update');
    writeRegistryProfile(ownRoot, { name: 'team-scipy', version: '1.0.0', package: 'scipy', remove: ['{site-packages}/scipy/stats/tests/**'] });
    writeIndex(ownRoot);
    const own = await serveRegistry(ownRoot);
    try {
      const options = project(['team/team-scipy@^1'], own.url);
      writeFileSync(join(options.cwd, 'conda-prune.lock'), renderLockfile(createLockfile(await prepareSelection({ ...options, lockMode: 'lock' })).lockfile));
      writeRegistryProfile(ownRoot, { name: 'team-scipy', version: '1.2.0', package: 'scipy', remove: ['{site-packages}/scipy/stats/tests/**'] });
      writeIndex(ownRoot);
      const versionOf = async (mode: PrepareOptions['lockMode']): Promise<string | undefined> => [...((await prepareSelection({ ...options, lockMode: mode })).located?.values() ?? [])][0]?.version;
      expect(await versionOf('use')).toBe('1.0.0');
      expect(await versionOf('lock')).toBe('1.0.0');
      expect(await versionOf('update')).toBe('1.2.0');
    } finally {
      await own.close();
    }
  });

  it('refuses a config change the lockfile does not pin, instead of reaching the network', async () => {
    const options = project(['team/team-scipy@^1']);
    writeFileSync(join(options.cwd, 'conda-prune.lock'), renderLockfile(createLockfile(await prepareSelection({ ...options, lockMode: 'lock' })).lockfile));
    writeFileSync(join(options.cwd, 'conda-prune.yaml'), `registries:\n  team: ${server.url}\nprofiles: [team/team-scipy@^2]\n`);
    const before = server.requests.length;
    const error = await errorOfAsync(() => prepareSelection(options));
    expect(error.code).toBe('CP_LOCKFILE_STALE');
    expect(error.message).toBe('conda-prune.lock does not pin team/team-scipy@^2');
    expect(server.requests.length).toBe(before);
  });

  it('lists the available versions when the range matches none', async () => {
    const error = await errorOfAsync(() => prepareSelection(project(['team/team-scipy@^3'])));
    expect(error.code).toBe('CP_REGISTRY_NO_MATCH');
    expect(error.message).toBe('no version of team/team-scipy matches ^3');
    expect(error.hint).toBe('available versions: 2.0.0, 1.1.0, 1.0.0');
    expect(error.via).toEqual(['team/team-scipy@^3']);
    expect(error.exitCode).toBe(2);
  });

  it('names the profiles a registry has when it has not the one asked for', async () => {
    const error = await errorOfAsync(() => prepareSelection(project(['team/nope@^1'])));
    expect(error.code).toBe('CP_PROFILE_NOT_FOUND');
    expect(error.hint).toBe('its profiles: cycle-a, cycle-b, team-base, team-scipy');
  });

  it('refuses an extends cycle across registry profiles with CP_PROFILE_CYCLE and the chain', async () => {
    const options = project(['team/cycle-a@^1']);
    const prepared = await prepareSelection(options);
    const error = await errorOfAsync(async () => planPrefix({ prefix, ...prepared }));
    expect(error.code).toBe('CP_PROFILE_CYCLE');
    expect(error.via).toEqual(['team/cycle-a@^1', 'team/cycle-b@^1', 'team/cycle-a@^1']);
    expect(error.message).toBe('profile team/cycle-a@^1 extends itself: team/cycle-a@^1 → team/cycle-b@^1 → team/cycle-a@^1');
  });
});

describe('registry integrity', () => {
  it('refuses a profile changed on the server after its index was built (CP_INTEGRITY)', async () => {
    const ownRoot = temp.make('registry-tamper');
    const path = writeRegistryProfile(ownRoot, { name: 'team-scipy', version: '1.0.0', package: 'scipy', remove: ['{site-packages}/scipy/stats/tests/**'] });
    writeIndex(ownRoot);
    writeFileSync(path, readFileSync(path, 'utf8').replace('stats/tests/**', '**'));
    const own = await serveRegistry(ownRoot);
    try {
      const options = project(['team/team-scipy@^1'], own.url);
      const error = await errorOfAsync(() => prepareSelection(options));
      expect(error.code).toBe('CP_INTEGRITY');
      expect(error.message).toContain(`${own.url}team-scipy/1.0.0.yaml (team/team-scipy@^1 1.0.0) has sha256`);
      expect(error.via).toEqual(['team/team-scipy@^1']);
      // Nothing unverified reaches the cache.
      expect(() => readdirSync(join(options.cacheDirectory, 'profiles'))).toThrow();
    } finally {
      await own.close();
    }
  });

  it('refuses a cached profile changed on disk (CP_INTEGRITY), also when planning offline from the lock', async () => {
    const options = project(['team/team-scipy@^1']);
    writeFileSync(join(options.cwd, 'conda-prune.lock'), renderLockfile(createLockfile(await prepareSelection({ ...options, lockMode: 'lock' })).lockfile));
    const cached = join(options.cacheDirectory, 'profiles');
    const files = readdirSync(cached);
    expect(files).toHaveLength(2);
    for (const file of files) writeFileSync(join(cached, file), `${readFileSync(join(cached, file), 'utf8')}# changed\n`);
    const error = await errorOfAsync(() => prepareSelection(options));
    expect(error.code).toBe('CP_INTEGRITY');
    expect(error.message).toMatch(/^the cached copy of team\/team-scipy@\^1 \(.*\.yaml\) has sha256 [0-9a-f]{64}, not [0-9a-f]{64}$/);
    expect(error.hint).toMatch(/^something changed the cache; delete /);
  });
});

describe('registry downloads: hardening', () => {
  it('follows a redirect within the same origin', async () => {
    server.redirects.set('/moved/index.yaml', `${server.url}index.yaml`);
    expect((await fetchResource(`${server.url}moved/index.yaml`)).toString('utf8')).toContain('team-scipy');
  });

  it('refuses a redirect to another host, even on the same machine', async () => {
    const other = server.url.replace('127.0.0.1', 'localhost');
    server.redirects.set('/index.yaml', `${other}index.yaml`);
    const error = await errorOfAsync(() => prepareSelection(project(['team/team-scipy@^1'])));
    expect(error.code).toBe('CP_REGISTRY_REFUSED');
    expect(error.message).toBe(`${server.url}index.yaml redirects to another origin (${other.slice(0, -1)}); refused`);
  });

  it('refuses a download over the size limit, and gives up on a server that does not answer', async () => {
    const tooLarge = await errorOfAsync(() => fetchResource(`${server.url}index.yaml`, { maxBytes: 100 }));
    expect(tooLarge.code).toBe('CP_REGISTRY_REFUSED');
    expect(tooLarge.message).toBe(`${server.url}index.yaml is larger than 100 bytes; refused`);
    server.stalls.add('/index.yaml');
    const started = performance.now();
    const stalled = await errorOfAsync(() => fetchResource(`${server.url}index.yaml`, { timeoutMs: 300 }));
    expect(stalled.code).toBe('CP_REGISTRY_UNREACHABLE');
    expect(stalled.message).toBe(`cannot download ${server.url}index.yaml: not done within 300 ms`);
    expect(performance.now() - started).toBeLessThan(5_000);
    // A server that keeps the connection busy a byte at a time is cut off by the overall deadline.
    server.stalls.delete('/index.yaml');
    server.drips.add('/index.yaml');
    const dripStarted = performance.now();
    const dripped = await errorOfAsync(() => fetchResource(`${server.url}index.yaml`, { timeoutMs: 300 }));
    expect(dripped.code).toBe('CP_REGISTRY_UNREACHABLE');
    expect(dripped.message).toBe(`cannot download ${server.url}index.yaml: not done within 300 ms`);
    expect(performance.now() - dripStarted).toBeLessThan(5_000);
    server.drips.delete('/index.yaml');
  });

  it('refuses plain http to another host and other schemes before connecting', async () => {
    for (const url of ['http://example.org/index.yaml', 'ftp://127.0.0.1/index.yaml']) {
      expect((await errorOfAsync(() => fetchResource(url))).code).toBe('CP_REGISTRY_REFUSED');
    }
  });

  it('reads a registry from a directory (file://), with the same checks', async () => {
    const prepared = await prepareSelection(project(['team/team-scipy@~1.0'], `file://${registryRoot}`));
    expect([...(prepared.located?.values() ?? [])].map((item) => item.url)).toEqual([`file://${registryRoot}/team-scipy/1.0.0.yaml`]);
  });
});

describe('registry over HTTPS', () => {
  let tlsServer: RegistryServer;
  let cert: string;

  beforeAll(async () => {
    const generated = generateCertificate(temp.make('tls'));
    cert = generated.cert;
    tlsServer = await serveRegistry(registryRoot, generated);
  });

  afterAll(async () => {
    await tlsServer.close();
  });

  it('resolves with the generated certificate trusted through the CA option', async () => {
    const prepared = await prepareSelection({ ...project(['team/team-scipy@^1'], tlsServer.url), fetch: { ca: cert } });
    expect([...(prepared.located?.values() ?? [])].map((item) => item.url)).toEqual([`${tlsServer.url}team-scipy/1.1.0.yaml`, `${tlsServer.url}team-base/1.0.0.yaml`]);
  });

  it('refuses the same server when its certificate is not trusted', async () => {
    const error = await errorOfAsync(() => prepareSelection(project(['team/team-scipy@^1'], tlsServer.url)));
    expect(error.code).toBe('CP_REGISTRY_UNREACHABLE');
    expect(error.message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    expect(error.hint).toMatch(/NODE_EXTRA_CA_CERTS/);
  });
});

describe('the builtin profiles folder as a registry', () => {
  it('has a current profiles/index.yaml (regenerate with npm run profiles:index)', () => {
    const directory = builtinProfilesDirectory();
    const expected = renderRegistryIndex(buildRegistryIndex(directory));
    const index = join(directory, 'index.yaml');
    expect(existsSync(index), `${index} is missing: run npm run profiles:index`).toBe(true);
    expect(readFileSync(index, 'utf8'), 'profiles/index.yaml is out of date: run npm run profiles:index').toBe(expected);
  });
});

describe('test fixture sanity', () => {
  it('serves the registry index it was given', async () => {
    mkdirSync(join(registryRoot, 'empty'), { recursive: true });
    expect((await fetchResource(`${server.url}index.yaml`)).toString('utf8')).toBe(readFileSync(join(registryRoot, 'index.yaml'), 'utf8'));
  });
});
