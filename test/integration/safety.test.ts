/**
 * The safety preflight on real temp directories: every refusal asserted by its exact code, each
 * followed by a check that every file inside and outside the prefix is still there, unchanged.
 * `/` and the home directory are only ever named in synthetic plans checked in-process: the
 * preflight reads (lstat, realpath) and never writes.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PruneError } from '../../src/errors.ts';
import type { PlanEntry } from '../../src/plan/types.ts';
import { assertSafePrefix } from '../../src/safety/check-prefix.ts';
import { checkPlanSafety, partitionViolations } from '../../src/safety/check-plan-safety.ts';
import type { SafetyContext, SafetyViolation } from '../../src/safety/types.ts';
import { createTempDirectories } from '../helpers/small-env.ts';

const temp = createTempDirectories();

interface Sandbox {
  root: string;
  prefix: string;
  outside: string;
  context: SafetyContext;
  before: string[];
}

let box: Sandbox;

/** Lists every path under root with its kind, size and link target: what "untouched" means. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (directory: string): void => {
    for (const name of readdirSync(directory).sort()) {
      const path = join(directory, name);
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) out.push(`${path} -> ${readlinkSync(path)}`);
      else if (stats.isDirectory()) {
        out.push(`${path}/`);
        walk(path);
      } else out.push(`${path} ${stats.size} ${stats.mtimeMs}`);
    }
  };
  walk(root);
  return out;
}

function put(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** A plan entry as createPlan writes it; `bytes` defaults to what lstat says now. */
function entry(path: string, kind: PlanEntry['kind'] = 'file', bytes?: number): PlanEntry {
  let size = bytes ?? 0;
  if (bytes === undefined) {
    try {
      size = lstatSync(join(box.prefix, path)).size;
    } catch {
      size = 0;
    }
  }
  return { path, package: 'pkg', version: '1', profile: 'p', rule: 'r', category: 'tests', risk: 'safe', bytes: size, kind };
}

function codes(violations: SafetyViolation[]): string[] {
  return violations.map((violation) => `${violation.code} ${violation.path}`);
}

function expectUntouched(): void {
  expect(snapshot(box.root)).toEqual(box.before);
}

beforeEach(() => {
  const root = temp.make('safety');
  const prefix = join(root, 'env');
  const outside = join(root, 'outside');
  put(join(prefix, 'conda-meta/history'), '==> 2024 <==\n');
  put(join(prefix, 'conda-meta/pkg-1-0.json'), '{}');
  put(join(prefix, 'lib/libfoo.so.1'), 'ELF-ish library');
  symlinkSync('libfoo.so.1', join(prefix, 'lib/libfoo.so'));
  put(join(prefix, 'share/doc/pkg/README'), 'read me');
  put(join(prefix, 'lib/python3.11/site-packages/pkg/tests/test_a.py'), 'def test(): pass\n');
  put(join(outside, 'secret.txt'), 'secret');
  put(join(outside, 'deep/keep.txt'), 'keep');
  // A directory link leading out of the prefix, one staying inside, and one into conda-meta.
  symlinkSync('../../outside', join(prefix, 'lib/evil'));
  symlinkSync('lib', join(prefix, 'lib64'));
  symlinkSync('../conda-meta', join(prefix, 'lib/meta'));
  // A file link leading out: removed as a link, never followed.
  symlinkSync(join(outside, 'secret.txt'), join(prefix, 'lib/secret-link'));
  box = { root, prefix, outside, context: { prefix, realPrefix: realpathSync(prefix), home: join(root, 'home/user') }, before: [] };
  box.before = snapshot(root);
});

afterEach(() => temp.cleanup());

describe('checkPlanSafety on a clean plan', () => {
  it('finds nothing wrong with entries that are where the plan says, links included', () => {
    const plan = {
      entries: [entry('lib/libfoo.so.1'), entry('lib/libfoo.so', 'symlink'), entry('lib/secret-link', 'symlink'), entry('lib/evil', 'symlink'), entry('lib/python3.11/site-packages/pkg/tests/test_a.py')],
      directories: ['lib/python3.11/site-packages/pkg/tests'],
    };
    expect(checkPlanSafety(plan, box.context)).toEqual([]);
    expectUntouched();
  });
});

describe('checkPlanSafety refuses dangerous prefixes', () => {
  const systemEntries = [entry('etc/passwd', 'file', 1), entry('bin/sh', 'file', 1)];

  it('refuses / and stats nothing under it', () => {
    const violations = checkPlanSafety({ entries: systemEntries, directories: ['etc'] }, { prefix: '/', realPrefix: '/', home: homedir() });
    expect(codes(violations)).toEqual(['CP_SAFETY_PREFIX_ROOT /']);
    expect(violations[0]).toMatchObject({ severity: 'refuse', location: 'prefix' });
    expect(existsSync('/etc/passwd')).toBe(true);
    expectUntouched();
  });

  it('refuses a symlink to /, by its real path, even when the caller did not resolve it', () => {
    const link = join(box.root, 'rootlink');
    symlinkSync('/', link);
    box.before = snapshot(box.root);
    for (const realPrefix of [realpathSync(link), link]) {
      const violations = checkPlanSafety({ entries: systemEntries, directories: [] }, { prefix: link, realPrefix, home: undefined });
      expect(codes(violations)).toEqual([`CP_SAFETY_PREFIX_ROOT ${link}`]);
      expect(violations[0]?.message).toMatch(/resolves to \/, which is the filesystem root/);
    }
    expect(existsSync('/etc/passwd')).toBe(true);
    expectUntouched();
  });

  it('refuses the real home directory and its parent', () => {
    const home = homedir();
    expect(codes(checkPlanSafety({ entries: systemEntries, directories: [] }, { prefix: home, realPrefix: realpathSync(home), home }))).toEqual([`CP_SAFETY_PREFIX_HOME ${home}`]);
    const parent = dirname(home);
    const expected = parent === '/' ? 'CP_SAFETY_PREFIX_ROOT' : 'CP_SAFETY_PREFIX_HOME';
    expect(codes(checkPlanSafety({ entries: systemEntries, directories: [] }, { prefix: parent, realPrefix: realpathSync(parent), home }))).toEqual([`${expected} ${parent}`]);
    expect(existsSync(home)).toBe(true);
    expectUntouched();
  });

  it('refuses a disposable home, a parent of it and a link to it, and accepts an env inside it', () => {
    const home = join(box.root, 'home/user');
    put(join(home, '.bashrc'), 'export X=1\n');
    put(join(home, 'envs/app/conda-meta/history'), '');
    put(join(home, 'envs/app/lib/a.txt'), 'a');
    symlinkSync(home, join(box.root, 'homelink'));
    box.before = snapshot(box.root);
    const context = (prefix: string): SafetyContext => ({ prefix, realPrefix: realpathSync(prefix), home });
    const plan = { entries: [entry('.bashrc', 'file', 11)], directories: [] };
    expect(codes(checkPlanSafety(plan, context(home)))).toEqual([`CP_SAFETY_PREFIX_HOME ${home}`]);
    expect(codes(checkPlanSafety(plan, context(join(box.root, 'home'))))).toEqual([`CP_SAFETY_PREFIX_HOME ${join(box.root, 'home')}`]);
    expect(codes(checkPlanSafety(plan, context(box.root)))).toEqual([`CP_SAFETY_PREFIX_HOME ${box.root}`]);
    const linked = checkPlanSafety(plan, context(join(box.root, 'homelink')));
    expect(codes(linked)).toEqual([`CP_SAFETY_PREFIX_HOME ${join(box.root, 'homelink')}`]);
    expect(linked[0]?.message).toMatch(/resolves to .*home\/user, which is the home directory/);
    const app = join(home, 'envs/app');
    expect(checkPlanSafety({ entries: [entry('lib/a.txt', 'file', 1)], directories: ['lib'] }, context(app))).toEqual([]);
    expectUntouched();
  });

  it('refuses a prefix that is missing, is not an env, or resolves elsewhere than when it was read', () => {
    const missing = join(box.root, 'nope');
    expect(codes(checkPlanSafety({ entries: [], directories: [] }, { prefix: missing, realPrefix: missing, home: undefined }))).toEqual([`CP_SAFETY_PREFIX_MISSING ${missing}`]);
    expect(codes(checkPlanSafety({ entries: [], directories: [] }, { prefix: box.outside, realPrefix: box.outside, home: undefined }))).toEqual([`CP_SAFETY_PREFIX_NOT_ENV ${box.outside}`]);
    expect(codes(checkPlanSafety({ entries: [], directories: [] }, { ...box.context, realPrefix: box.outside }))).toEqual([`CP_SAFETY_PREFIX_MOVED ${box.prefix}`]);
    expectUntouched();
  });
});

describe('checkPlanSafety refuses dangerous paths', () => {
  it('refuses absolute, empty, NUL and climbing paths, in entries and directories', () => {
    const plan = {
      entries: [entry('/etc/passwd', 'file', 1), entry('../outside/secret.txt', 'file', 6), entry('lib/../../outside/secret.txt', 'file', 6), entry('', 'file', 0), entry('lib/a\0b', 'file', 0)],
      directories: ['..', `${box.outside}`],
    };
    const violations = checkPlanSafety(plan, box.context);
    expect(codes(violations)).toEqual([
      'CP_SAFETY_PATH_UNSAFE /etc/passwd',
      'CP_SAFETY_PATH_UNSAFE ../outside/secret.txt',
      'CP_SAFETY_PATH_UNSAFE lib/../../outside/secret.txt',
      'CP_SAFETY_PATH_UNSAFE ',
      'CP_SAFETY_PATH_UNSAFE lib/a\0b',
      'CP_SAFETY_PATH_UNSAFE ..',
      `CP_SAFETY_PATH_UNSAFE ${box.outside}`,
    ]);
    expect(violations.map((violation) => violation.location)).toEqual(['entries[0]', 'entries[1]', 'entries[2]', 'entries[3]', 'entries[4]', 'directories[0]', 'directories[1]']);
    expect(violations[0]?.message).toMatch(/is absolute/);
    expect(violations[1]?.message).toMatch(/climbs out with \.\./);
    expectUntouched();
  });

  it('refuses an entry that is the prefix itself', () => {
    const violations = checkPlanSafety({ entries: [entry('.', 'file', 0), entry('./', 'file', 0), entry('lib/.', 'file', 0)], directories: ['.'] }, box.context);
    // `lib/.` is lib/ itself: a directory where the plan recorded a file, so merely stale.
    expect(codes(violations)).toEqual(['CP_SAFETY_PATH_IS_PREFIX .', 'CP_SAFETY_PATH_IS_PREFIX ./', 'CP_SAFETY_PATH_IS_PREFIX .', 'CP_SAFETY_STALE_CHANGED lib/.']);
    expectUntouched();
  });

  it('refuses a path under a symlinked directory that leads outside, and leaves the file there', () => {
    const violations = checkPlanSafety({ entries: [entry('lib/evil/secret.txt', 'file', 6), entry('lib/evil/deep/keep.txt', 'file', 4)], directories: ['lib/evil/deep'] }, box.context);
    expect(codes(violations)).toEqual(['CP_SAFETY_PATH_OUTSIDE lib/evil/secret.txt', 'CP_SAFETY_PATH_OUTSIDE lib/evil/deep/keep.txt', 'CP_SAFETY_PATH_OUTSIDE lib/evil/deep']);
    expect(violations[0]?.message).toContain(`resolves to ${realpathSync(box.outside)}, outside the prefix`);
    expect(existsSync(join(box.outside, 'secret.txt'))).toBe(true);
    expectUntouched();
  });

  it('refuses a directory it cannot resolve (a symlink loop)', () => {
    symlinkSync('loop', join(box.prefix, 'lib/loop'));
    box.before = snapshot(box.root);
    expect(codes(checkPlanSafety({ entries: [entry('lib/loop/x', 'file', 1)], directories: [] }, box.context))).toEqual(['CP_SAFETY_PATH_UNRESOLVED lib/loop/x']);
    expectUntouched();
  });

  it('refuses conda-meta/ by spelling and through a linked directory, unless allowed', () => {
    const plan = { entries: [entry('conda-meta/history'), entry('conda-meta/pkg-1-0.json'), entry('lib/meta/history', 'file', 13)], directories: ['conda-meta'] };
    expect(codes(checkPlanSafety(plan, box.context))).toEqual([
      'CP_SAFETY_CONDA_META conda-meta/history',
      'CP_SAFETY_CONDA_META conda-meta/pkg-1-0.json',
      'CP_SAFETY_CONDA_META lib/meta/history',
      // The linked spelling names a file already in the plan.
      'CP_SAFETY_DUPLICATE lib/meta/history',
      'CP_SAFETY_CONDA_META conda-meta',
    ]);
    const allowed = checkPlanSafety({ entries: plan.entries.slice(0, 2), directories: [] }, { ...box.context, allowCondaMeta: true });
    expect(allowed).toEqual([]);
    expectUntouched();
  });

  it('refuses duplicates by spelling and by real path', () => {
    const plan = { entries: [entry('lib/libfoo.so.1'), entry('lib/libfoo.so.1'), entry('lib/./libfoo.so.1'), entry('lib64/libfoo.so.1')], directories: [] };
    const violations = checkPlanSafety(plan, box.context);
    expect(codes(violations)).toEqual(['CP_SAFETY_DUPLICATE lib/libfoo.so.1', 'CP_SAFETY_DUPLICATE lib/./libfoo.so.1', 'CP_SAFETY_DUPLICATE lib64/libfoo.so.1']);
    expect(violations[2]?.message).toMatch(/same file as entries\[0\] through a linked directory/);
    expectUntouched();
  });
});

describe('checkPlanSafety tells stale entries from refusals', () => {
  it('reports changed and missing entries as stale, never following the entry link', () => {
    writeFileSync(join(box.prefix, 'share/doc/pkg/README'), 'read me, now longer');
    unlinkSync(join(box.prefix, 'lib/python3.11/site-packages/pkg/tests/test_a.py'));
    box.before = snapshot(box.root);
    const plan = {
      entries: [
        entry('share/doc/pkg/README', 'file', 7),
        entry('lib/python3.11/site-packages/pkg/tests/test_a.py', 'file', 17),
        entry('lib/gone/x.py', 'file', 1),
        // Recorded as the target's size: the link is not followed, so it is a change of kind.
        entry('lib/secret-link', 'file', 6),
        entry('lib/libfoo.so', 'file', 15),
        entry('share/doc', 'file', 0),
      ],
      directories: ['lib/libfoo.so.1', 'lib/never-there'],
    };
    const violations = checkPlanSafety(plan, box.context);
    expect(violations.every((violation) => violation.severity === 'stale')).toBe(true);
    expect(codes(violations)).toEqual([
      'CP_SAFETY_STALE_CHANGED share/doc/pkg/README',
      'CP_SAFETY_STALE_MISSING lib/python3.11/site-packages/pkg/tests/test_a.py',
      'CP_SAFETY_STALE_MISSING lib/gone/x.py',
      'CP_SAFETY_STALE_CHANGED lib/secret-link',
      'CP_SAFETY_STALE_CHANGED lib/libfoo.so',
      'CP_SAFETY_STALE_CHANGED share/doc',
      'CP_SAFETY_STALE_CHANGED lib/libfoo.so.1',
    ]);
    expect(violations[0]?.message).toMatch(/recorded 7 bytes, found 19/);
    expect(violations[3]?.message).toMatch(/recorded as a file, found a symlink/);
    expect(violations[5]?.message).toMatch(/found a directory/);
    expect(existsSync(join(box.outside, 'secret.txt'))).toBe(true);
    expectUntouched();
  });

  it('reports every violation of a hostile plan at once, refusals first', () => {
    writeFileSync(join(box.prefix, 'lib/libfoo.so.1'), 'changed');
    box.before = snapshot(box.root);
    const plan = {
      entries: [entry('lib/libfoo.so.1', 'file', 15), entry('/etc/passwd', 'file', 1), entry('lib/evil/secret.txt', 'file', 6), entry('conda-meta/history'), entry('.', 'file', 0)],
      directories: ['lib/evil'],
    };
    const violations = checkPlanSafety(plan, box.context);
    expect(codes(violations)).toEqual([
      'CP_SAFETY_PATH_UNSAFE /etc/passwd',
      'CP_SAFETY_PATH_OUTSIDE lib/evil/secret.txt',
      'CP_SAFETY_CONDA_META conda-meta/history',
      'CP_SAFETY_PATH_IS_PREFIX .',
      'CP_SAFETY_STALE_CHANGED lib/libfoo.so.1',
      // A directory planned as emptied is now a link: changed, not followed.
      'CP_SAFETY_STALE_CHANGED lib/evil',
    ]);
    const { refusals, stale } = partitionViolations(violations);
    expect([refusals.length, stale.length]).toEqual([4, 2]);
    expectUntouched();
  });
});

describe('assertSafePrefix', () => {
  it('throws CP_SAFETY_REFUSED (exit 3) for /, a link to it, the home directory and its parents', () => {
    const home = join(box.root, 'home/user');
    mkdirSync(home, { recursive: true });
    symlinkSync('/', join(box.root, 'rootlink'));
    box.before = snapshot(box.root);
    const refusal = (prefix: string): PruneError => {
      try {
        assertSafePrefix(prefix, home);
      } catch (error) {
        if (error instanceof PruneError) return error;
        throw error;
      }
      throw new Error(`${prefix} was not refused`);
    };
    for (const [prefix, code] of [
      ['/', 'CP_SAFETY_PREFIX_ROOT'],
      [join(box.root, 'rootlink'), 'CP_SAFETY_PREFIX_ROOT'],
      [home, 'CP_SAFETY_PREFIX_HOME'],
      [`${home}/`, 'CP_SAFETY_PREFIX_HOME'],
      [join(box.root, 'home'), 'CP_SAFETY_PREFIX_HOME'],
    ] as const) {
      const error = refusal(prefix);
      expect([error.code, error.exitCode]).toEqual(['CP_SAFETY_REFUSED', 3]);
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]?.message).toMatch(new RegExp(`^${code}: `));
      expect(error.issues[0]?.path).toBe('prefix');
    }
    expect(() => assertSafePrefix(box.prefix, home)).not.toThrow();
    expect(() => assertSafePrefix(join(home, 'envs/missing'), home)).not.toThrow();
    expect(() => assertSafePrefix(homedir())).toThrow(PruneError);
    expectUntouched();
  });
});
