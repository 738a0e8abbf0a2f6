import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadProfile } from '../../src/profiles/load-profile.ts';
import { builtinProfilesDirectory, listBuiltinProfiles } from '../../src/profiles/builtin-profiles.ts';
import { resolveProfiles, type SelectionOptions } from '../../src/profiles/resolve-profiles.ts';
import type { ProfileSelection } from '../../src/profiles/types.ts';
import { errorOf } from '../helpers/error-of.ts';
import { parse } from 'yaml';

// A spy that reads through, so a test can tell whether the loader read a file at all.
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return { ...actual, readFileSync: vi.fn(actual.readFileSync) };
});

// Builtin profiles cannot be added to profiles/ from a test; names starting with "fixture-" are
// read from a temp folder instead, and everything else goes to the real loader.
const fixtureBuiltins = vi.hoisted(() => ({ directory: '' }));
vi.mock('../../src/profiles/load-profile.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/profiles/load-profile.ts')>();
  const { join: joinPath } = await import('node:path');
  return {
    ...actual,
    loadProfile: (...[reference, via]: Parameters<typeof actual.loadProfile>) => {
      if (reference.kind !== 'builtin' || !reference.name.startsWith('fixture-')) return actual.loadProfile(reference, via);
      const profile = actual.loadProfile({ kind: 'file', path: joinPath(fixtureBuiltins.directory, `${reference.name}.yaml`) }, via);
      return { ...profile, source: { ...profile.source, kind: 'builtin' as const } };
    },
  };
});

let root: string;
let counter = 0;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'conda-prune-resolve-'));
  fixtureBuiltins.directory = join(root, 'fixture-builtins');
  mkdirSync(fixtureBuiltins.directory);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Returns a fresh empty directory for one test. */
function freshDirectory(): string {
  const directory = join(root, `case-${++counter}`);
  mkdirSync(directory);
  return directory;
}

/** Writes a profile that extends `extendsList` and, with `rules`, has one safe rule of its own. */
function writeProfile(directory: string, file: string, name: string, extendsList: string[], extra: string[] = []): string {
  const path = join(directory, file);
  mkdirSync(join(path, '..'), { recursive: true });
  const lines = ['apiVersion: conda-prune/v1', `name: ${name}`, 'version: "1.0.0"'];
  if (extendsList.length > 0) lines.push('extends:', ...extendsList.map((item) => `  - ${JSON.stringify(item)}`));
  if (extendsList.length === 0 || extra.includes('rules')) {
    lines.push(
      'appliesTo:',
      `  package: ${name}`,
      'rules:',
      '  - id: tests',
      '    category: tests',
      '    risk: safe',
      '    reason: Tests are not imported at runtime.',
      `    remove: ["lib/${name}/tests/**"]`,
    );
  }
  lines.push(...extra.filter((line) => line !== 'rules'));
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function summary(selection: ProfileSelection): { name: string; via: string[] }[] {
  return selection.profiles.map((item) => ({ name: item.profile.name, via: item.via }));
}

function resolve(options: SelectionOptions): ProfileSelection {
  return resolveProfiles(options);
}

describe('resolveProfiles: builtin presets', () => {
  it('uses the default preset when neither a preset nor a profile is named', () => {
    const selection = resolve({ cwd: freshDirectory() });
    // Every profile the preset extends, in the order default.yaml lists them, each reached through it.
    const listed = (parse(readFileSync(join(builtinProfilesDirectory(), 'default.yaml'), 'utf8')) as { extends: string[] }).extends;
    expect(listed.length).toBeGreaterThan(20);
    expect(summary(selection)).toEqual([{ name: 'default', via: ['default'] }, ...listed.map((reference) => ({ name: reference.replace(/^builtin:/, ''), via: ['default', reference] }))]);
    expect(selection.maxRisk).toBe('safe');
    for (const { profile } of selection.profiles) {
      expect(profile.source.kind).toBe('builtin');
      expect(profile.source.location).toBe(join(builtinProfilesDirectory(), `${profile.name}.yaml`));
      expect(profile.source.sha256).toBe(createHash('sha256').update(readFileSync(profile.source.location)).digest('hex'));
    }
  });

  it('takes maxRisk from the named preset, not from the presets it extends', () => {
    const moderate = resolve({ cwd: freshDirectory(), preset: 'moderate' });
    expect(moderate.maxRisk).toBe('moderate');
    expect(summary(moderate).slice(0, 3)).toEqual([
      { name: 'moderate', via: ['moderate'] },
      { name: 'default', via: ['moderate', 'builtin:default'] },
      { name: 'python', via: ['moderate', 'builtin:default', 'builtin:python'] },
    ]);
    expect(resolve({ cwd: freshDirectory(), preset: 'builtin:aggressive' }).maxRisk).toBe('aggressive');
  });

  it('lets the maxRisk option override the preset in both directions', () => {
    expect(resolve({ cwd: freshDirectory(), preset: 'aggressive', maxRisk: 'safe' }).maxRisk).toBe('safe');
    expect(resolve({ cwd: freshDirectory(), preset: 'default', maxRisk: 'moderate' }).maxRisk).toBe('moderate');
    expect(resolve({ cwd: freshDirectory(), maxRisk: 'aggressive' }).maxRisk).toBe('aggressive');
  });

  it('reaches every shipped profile exactly once from the aggressive preset', () => {
    const names = resolve({ cwd: freshDirectory(), preset: 'aggressive' }).profiles.map((item) => item.profile.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(listBuiltinProfiles());
  });

  it('reports a missing builtin with CP_PROFILE_NOT_FOUND and lists the builtin names in the hint', () => {
    const error = errorOf(() => resolve({ cwd: freshDirectory(), preset: 'no-such-preset' }));
    expect(error.code).toBe('CP_PROFILE_NOT_FOUND');
    expect(error.message).toBe('profile builtin:no-such-preset not found');
    expect(error.via).toEqual(['no-such-preset']);
    expect(error.hint).toBe(`builtin profiles: ${listBuiltinProfiles().join(', ')}`);
    expect(error.hint).toContain('scipy');
    expect(error.hint).toContain('default');
  });
});

describe('resolveProfiles: profile files', () => {
  it('uses only the named profile when --profile is given without a preset', () => {
    const directory = freshDirectory();
    writeProfile(directory, 'mine.yaml', 'mine', []);
    const selection = resolve({ cwd: directory, profiles: ['./mine.yaml'] });
    expect(summary(selection)).toEqual([{ name: 'mine', via: ['./mine.yaml'] }]);
    expect(selection.maxRisk).toBe('safe');
    expect(selection.profiles[0]?.profile.source).toMatchObject({ kind: 'file', location: join(directory, 'mine.yaml') });
  });

  it('puts the preset first and the named profiles after it', () => {
    const directory = freshDirectory();
    writeProfile(directory, 'mine.yaml', 'mine', []);
    const selection = resolve({ cwd: directory, preset: 'default', profiles: ['mine.yaml'] });
    expect(selection.profiles[0]?.profile.name).toBe('default');
    expect(selection.profiles.at(-1)).toMatchObject({ profile: { name: 'mine' }, via: ['mine.yaml'] });
  });

  it('expands extends depth-first, in written order, recording the chain in via', () => {
    const directory = freshDirectory();
    writeProfile(directory, 'top.yaml', 'top', ['./left.yaml', './right.yaml']);
    writeProfile(directory, 'left.yaml', 'left', ['./deep.yaml'], ['rules']);
    writeProfile(directory, 'deep.yaml', 'deep', []);
    writeProfile(directory, 'right.yaml', 'right', ['scipy'], ['rules']);
    expect(summary(resolve({ cwd: directory, profiles: ['./top.yaml'] }))).toEqual([
      { name: 'top', via: ['./top.yaml'] },
      { name: 'left', via: ['./top.yaml', './left.yaml'] },
      { name: 'deep', via: ['./top.yaml', './left.yaml', './deep.yaml'] },
      { name: 'right', via: ['./top.yaml', './right.yaml'] },
      { name: 'scipy', via: ['./top.yaml', './right.yaml', 'scipy'] },
    ]);
  });

  it("resolves a relative extends against the referring file's directory, not the working directory", () => {
    const directory = freshDirectory();
    writeProfile(directory, 'team/preset.yaml', 'preset', ['./base.yaml', '../shared/common.yaml']);
    writeProfile(directory, 'team/base.yaml', 'base', []);
    writeProfile(directory, 'shared/common.yaml', 'common', []);
    // Decoys in the working directory that a cwd-relative lookup would pick up instead.
    writeProfile(directory, 'base.yaml', 'decoy', []);
    const selection = resolve({ cwd: directory, profiles: ['team/preset.yaml'] });
    expect(summary(selection).map((item) => item.name)).toEqual(['preset', 'base', 'common']);
    expect(selection.profiles[1]?.profile.source.location).toBe(join(directory, 'team', 'base.yaml'));
    expect(selection.profiles[2]?.profile.source.location).toBe(join(directory, 'shared', 'common.yaml'));
  });

  it('resolves the root references against cwd', () => {
    const directory = freshDirectory();
    writeProfile(directory, 'sub/mine.yaml', 'mine', []);
    expect(resolve({ cwd: join(directory, 'sub'), profiles: ['./mine.yaml'] }).profiles[0]?.profile.source.location).toBe(join(directory, 'sub', 'mine.yaml'));
  });

  it('refuses a cycle a → b → a with CP_PROFILE_CYCLE, naming the chain', () => {
    const directory = freshDirectory();
    writeProfile(directory, 'a.yaml', 'a', ['./b.yaml']);
    writeProfile(directory, 'b.yaml', 'b', ['./a.yaml']);
    const error = errorOf(() => resolve({ cwd: directory, profiles: ['./a.yaml'] }));
    expect(error.code).toBe('CP_PROFILE_CYCLE');
    expect(error.via).toEqual(['./a.yaml', './b.yaml', './a.yaml']);
    expect(error.message).toBe('profile ./a.yaml extends itself: ./a.yaml → ./b.yaml → ./a.yaml');
    expect(error.exitCode).toBe(2);
  });

  it('refuses a profile that extends itself, even when spelled differently', () => {
    const directory = freshDirectory();
    writeProfile(directory, 'sub/self.yaml', 'self', ['../sub/self.yaml']);
    const error = errorOf(() => resolve({ cwd: directory, profiles: ['sub/self.yaml'] }));
    expect(error.code).toBe('CP_PROFILE_CYCLE');
    expect(error.via).toEqual(['sub/self.yaml', '../sub/self.yaml']);
  });

  it('reads a diamond (two paths to one profile) once, keeping the first via', () => {
    const directory = freshDirectory();
    writeProfile(directory, 'top.yaml', 'top', ['./a.yaml', './b.yaml']);
    writeProfile(directory, 'a.yaml', 'a', ['./shared.yaml']);
    writeProfile(directory, 'b.yaml', 'b', ['./shared.yaml']);
    writeProfile(directory, 'shared.yaml', 'shared', []);
    expect(summary(resolve({ cwd: directory, profiles: ['./top.yaml'] }))).toEqual([
      { name: 'top', via: ['./top.yaml'] },
      { name: 'a', via: ['./top.yaml', './a.yaml'] },
      { name: 'shared', via: ['./top.yaml', './a.yaml', './shared.yaml'] },
      { name: 'b', via: ['./top.yaml', './b.yaml'] },
    ]);
  });

  it('dedupes a profile that two presets extend', () => {
    const directory = freshDirectory();
    writeProfile(directory, 'web.yaml', 'web', ['./shared.yaml', 'scipy'], ['maxRisk: moderate']);
    writeProfile(directory, 'batch.yaml', 'batch', ['./shared.yaml', 'builtin:scipy'], ['maxRisk: aggressive']);
    writeProfile(directory, 'shared.yaml', 'shared', []);
    const selection = resolve({ cwd: directory, preset: './web.yaml', profiles: ['./batch.yaml'] });
    expect(summary(selection)).toEqual([
      { name: 'web', via: ['./web.yaml'] },
      { name: 'shared', via: ['./web.yaml', './shared.yaml'] },
      { name: 'scipy', via: ['./web.yaml', 'scipy'] },
      { name: 'batch', via: ['./batch.yaml'] },
    ]);
    // The cap is the preset's, not the later profile's.
    expect(selection.maxRisk).toBe('moderate');
  });

  it('dedupes the same root named twice', () => {
    const directory = freshDirectory();
    writeProfile(directory, 'mine.yaml', 'mine', []);
    expect(summary(resolve({ cwd: directory, profiles: ['./mine.yaml', 'mine.yaml', join(directory, 'mine.yaml')] }))).toEqual([{ name: 'mine', via: ['./mine.yaml'] }]);
  });

  it('reports a missing file with CP_PROFILE_NOT_FOUND and the chain that named it', () => {
    const directory = freshDirectory();
    writeProfile(directory, 'top.yaml', 'top', ['./gone.yaml']);
    const error = errorOf(() => resolve({ cwd: directory, profiles: ['./top.yaml'] }));
    expect(error.code).toBe('CP_PROFILE_NOT_FOUND');
    expect(error.message).toBe(`profile ${join(directory, 'gone.yaml')} not found`);
    expect(error.via).toEqual(['./top.yaml', './gone.yaml']);
    expect(error.hint).toMatch(/relative paths resolve against/);
  });

  it('reports a directory named as a profile as not found', () => {
    const directory = freshDirectory();
    mkdirSync(join(directory, 'dir.yaml'));
    expect(errorOf(() => resolve({ cwd: directory, profiles: ['./dir.yaml'] })).code).toBe('CP_PROFILE_NOT_FOUND');
  });

  it('refuses a bad reference inside extends with CP_BAD_REFERENCE', () => {
    const directory = freshDirectory();
    writeProfile(directory, 'top.yaml', 'top', ['team/x@^1']);
    expect(errorOf(() => resolve({ cwd: directory, profiles: ['./top.yaml'] })).code).toBe('CP_BAD_REFERENCE');
  });

  it('reports an invalid extended profile with CP_PROFILE_INVALID, its issues and the chain', () => {
    const directory = freshDirectory();
    writeProfile(directory, 'top.yaml', 'top', ['./bad.yaml']);
    writeFileSync(join(directory, 'bad.yaml'), 'apiVersion: conda-prune/v1\nname: bad\nversion: 1.10\nextends: [scipy]\n');
    const error = errorOf(() => resolve({ cwd: directory, profiles: ['./top.yaml'] }));
    expect(error.code).toBe('CP_PROFILE_INVALID');
    expect(error.message).toBe(`${join(directory, 'bad.yaml')}: 1 problem in profile`);
    expect(error.via).toEqual(['./top.yaml', './bad.yaml']);
    expect(error.issues).toEqual([
      { file: join(directory, 'bad.yaml'), line: 3, column: 10, path: 'version', message: 'unquoted version: YAML reads 1.10 as the number 1.1; write it in quotes' },
    ]);
  });
});

describe('resolveProfiles: builtin profiles stay builtin', () => {
  it('refuses a builtin profile that extends a file, with CP_BAD_REFERENCE', () => {
    writeProfile(fixtureBuiltins.directory, 'fixture-leaky.yaml', 'fixture-leaky', ['./local.yaml']);
    writeProfile(fixtureBuiltins.directory, 'local.yaml', 'local', []);
    const error = errorOf(() => resolve({ cwd: freshDirectory(), preset: 'fixture-leaky' }));
    expect(error.code).toBe('CP_BAD_REFERENCE');
    expect(error.message).toMatch(/^builtin profile fixture-leaky refers to a file \(.*local\.yaml\)$/);
    expect(error.hint).toBe('builtin profiles may only extend other builtin profiles');
  });

  it('lets a builtin profile extend another builtin by bare name', () => {
    writeProfile(fixtureBuiltins.directory, 'fixture-preset.yaml', 'fixture-preset', ['scipy']);
    expect(summary(resolve({ cwd: freshDirectory(), preset: 'fixture-preset' }))).toEqual([
      { name: 'fixture-preset', via: ['fixture-preset'] },
      { name: 'scipy', via: ['fixture-preset', 'scipy'] },
    ]);
  });
});

describe('loadProfile: hostile files', () => {
  const readSpy = vi.mocked(readFileSync);
  beforeEach(() => {
    readSpy.mockClear();
  });

  it('reads a normal profile through the spied readFileSync (control for the next test)', () => {
    const directory = freshDirectory();
    const path = writeProfile(directory, 'mine.yaml', 'mine', []);
    expect(loadProfile({ kind: 'file', path }, ['./mine.yaml']).name).toBe('mine');
    expect(readSpy.mock.calls.some(([file]) => file === path)).toBe(true);
  });

  it('refuses a 100 MB file with CP_PROFILE_INVALID without reading it', () => {
    const directory = freshDirectory();
    const path = join(directory, 'huge.yaml');
    writeFileSync(path, 'apiVersion: conda-prune/v1\n');
    truncateSync(path, 100 * 1024 * 1024);
    const started = performance.now();
    const error = errorOf(() => loadProfile({ kind: 'file', path }, ['./huge.yaml']));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error.code).toBe('CP_PROFILE_INVALID');
    expect(error.message).toBe(`${path} is 104857600 bytes; profiles are limited to 1048576 bytes`);
    expect(error.via).toEqual(['./huge.yaml']);
    expect(readSpy.mock.calls.some(([file]) => file === path)).toBe(false);
  });

  it('refuses a file one byte over 1 MiB, and parses one of exactly 1 MiB', () => {
    const directory = freshDirectory();
    const over = join(directory, 'over.yaml');
    writeFileSync(over, `#${' '.repeat(1024 * 1024)}`);
    expect(errorOf(() => loadProfile({ kind: 'file', path: over }, [])).message).toMatch(/is 1048577 bytes/);
    const exact = join(directory, 'exact.yaml');
    writeFileSync(exact, `#${' '.repeat(1024 * 1024 - 1)}`);
    // Read and parsed: an all-comment file is not a mapping.
    expect(errorOf(() => loadProfile({ kind: 'file', path: exact }, [])).issues).toEqual([{ file: exact, path: '', message: 'must be a mapping' }]);
  });

  it('refuses an alias bomb file with CP_PROFILE_INVALID, quickly', () => {
    const directory = freshDirectory();
    const path = join(directory, 'bomb.yaml');
    const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let level = 1; level < 10; level++) {
      const name = String.fromCharCode(97 + level);
      lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${String.fromCharCode(96 + level)}`).join(', ')}]`);
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
    const started = performance.now();
    const error = errorOf(() => loadProfile({ kind: 'file', path }, []));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error.code).toBe('CP_PROFILE_INVALID');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toMatch(/resource exhaustion/);
  });
});
