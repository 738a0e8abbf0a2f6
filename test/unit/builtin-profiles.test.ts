import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PythonInfo } from '../../src/environment/types.ts';
import { compileGlobs, type PathMatcher } from '../../src/plan/path-matcher.ts';
import { protectionReason } from '../../src/plan/protected-paths.ts';
import { loadProfile } from '../../src/profiles/load-profile.ts';
import { builtinProfilesDirectory, listBuiltinProfiles } from '../../src/profiles/builtin-profiles.ts';
import { expandPlaceholders } from '../../src/profiles/placeholders.ts';
import { parseReference } from '../../src/profiles/reference.ts';
import type { Profile } from '../../src/profiles/types.ts';
import { parseYamlDocument } from '../../src/profiles/yaml-document.ts';
import { validateProfile } from '../../src/profiles/validate-profile.ts';

const directory = builtinProfilesDirectory();
const files = readdirSync(directory).filter((name) => !name.startsWith('.')).sort();
const names = listBuiltinProfiles();
const profiles = new Map<string, Profile>(names.map((name) => [name, loadProfile({ kind: 'builtin', name }, [name])]));
const presets = names.filter((name) => (profiles.get(name) as Profile).rules.length === 0);
const packageProfiles = names.filter((name) => !presets.includes(name));

const python311: PythonInfo = {
  version: '3.11.9',
  sitePackages: 'lib/python3.11/site-packages',
  stdlib: 'lib/python3.11',
  executable: 'bin/python3.11',
};

/** Paths the design says no shipped rule may remove, in the places they really occur. */
const neverRemoved = {
  licence: [
    'LICENSE',
    'LICENSE.txt',
    'COPYING',
    'COPYING.LIB',
    'info/licenses/LICENSE.txt',
    'share/licenses/gcc-libs/RUNTIME.LIBRARY.EXCEPTION',
    'share/licenses/libgcc-ng/COPYING3',
    'lib/python3.11/LICENSE.txt',
    'lib/python3.11/site-packages/scipy/LICENSE.txt',
    'lib/python3.11/site-packages/scipy/_lib/_uarray/LICENSE',
    'lib/python3.11/site-packages/scipy/fft/_pocketfft/LICENSE.md',
    'lib/python3.11/site-packages/uvloop/LICENSE-MIT',
    'lib/python3.11/site-packages/uvloop/LICENSE-APACHE',
    'lib/python3.11/site-packages/numpy/core/include/numpy/LICENSE.txt',
  ],
  distInfo: [
    'lib/python3.11/site-packages/scipy-1.11.4.dist-info/METADATA',
    'lib/python3.11/site-packages/scipy-1.11.4.dist-info/RECORD',
    'lib/python3.11/site-packages/scipy-1.11.4.dist-info/LICENSE.txt',
    'lib/python3.11/site-packages/scipy-1.11.4.dist-info/licenses/LICENSE.txt',
    'lib/python3.11/site-packages/uvloop-0.19.0.dist-info/top_level.txt',
    'lib/python3.11/site-packages/uvloop-0.19.0.dist-info/direct_url.json',
    'lib/python3.11/site-packages/pip-24.0.dist-info/entry_points.txt',
  ],
  pth: [
    'lib/python3.11/site-packages/distutils-precedence.pth',
    'lib/python3.11/site-packages/easy-install.pth',
    'lib/python3.11/site-packages/_virtualenv.pth',
    'lib/python3.11/site-packages/matplotlib-3.8.0-py3.11-nspkg.pth',
  ],
  interpreter: ['bin/python3.11', 'bin/python3', 'bin/python', 'bin/python3.11-config'],
};

/** Paths that rules must reach, to show the compiled globs are not vacuously safe. */
const mustRemove: Record<string, string[]> = {
  'python/stdlib-tests': ['lib/python3.11/test/test_grammar.py', 'lib/python3.11/idlelib/idle_test/test_calltip.py', 'lib/python3.11/unittest/tests/__init__.py'],
  'scipy/tests': ['lib/python3.11/site-packages/scipy/linalg/tests/test_basic.py'],
  'numpy/tests': ['lib/python3.11/site-packages/numpy/_core/tests/test_multiarray.py', 'lib/python3.11/site-packages/numpy/f2py/tests/src/array_from_pyobj/foo.f'],
  'pandas/tests': ['lib/python3.11/site-packages/pandas/tests/frame/test_api.py'],
  'scipy/cython-sources': ['lib/python3.11/site-packages/scipy/linalg/_fblas.c', 'lib/python3.11/site-packages/scipy/special/cython_special.pyx'],
  'uvloop/sources': ['lib/python3.11/site-packages/uvloop/loop.c', 'lib/python3.11/site-packages/uvloop/loop.pyx'],
  'static-libs/archives': ['lib/libz.a', 'lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a'],
  'bytecode/owned-pyc': ['lib/python3.11/__pycache__/os.cpython-311.pyc'],
  'bytecode/unowned-pycache': ['lib/python3.11/site-packages/app/__pycache__/main.cpython-311.pyc'],
  'libsanitizer/runtimes': ['lib/libasan.so.8.0.0', 'lib/libtsan.so.2'],
  'libgcc-ng/sanitizers': ['lib/libasan.so.5'],
};

function compiledRemove(profile: Profile, ruleId: string): PathMatcher {
  const rule = profile.rules.find((candidate) => candidate.id === ruleId);
  if (rule === undefined) throw new Error(`no rule ${profile.name}/${ruleId}`);
  const globs = rule.remove.map((glob) => {
    const expanded = expandPlaceholders(glob, python311);
    if (expanded === undefined) throw new Error(`cannot expand ${glob}`);
    return expanded;
  });
  return compileGlobs(globs) as PathMatcher;
}

const allRules = packageProfiles.flatMap((name) => (profiles.get(name) as Profile).rules.map((rule) => ({ name, rule })));

describe('shipped profiles', () => {
  it('are all YAML files named *.yaml, and there are some', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(files).toEqual(names.map((name) => `${name}.yaml`));
  });

  it.each(names)('%s.yaml validates with no issues', (name) => {
    const location = join(directory, `${name}.yaml`);
    const result = validateProfile(parseYamlDocument(readFileSync(location, 'utf8'), location), { kind: 'builtin', location, sha256: '' }, location);
    expect(result.issues).toEqual([]);
    expect(result.profile).toBeDefined();
  });

  it.each(names)("%s.yaml's name equals its file name", (name) => {
    expect((profiles.get(name) as Profile).name).toBe(name);
  });

  it('include the default, moderate and aggressive presets, with rising caps', () => {
    expect(presets).toEqual(expect.arrayContaining(['default', 'moderate', 'aggressive']));
    expect(profiles.get('default')?.maxRisk).toBe('safe');
    expect(profiles.get('moderate')?.maxRisk).toBe('moderate');
    expect(profiles.get('aggressive')?.maxRisk).toBe('aggressive');
  });

  it('default extends every profile that is not a preset, so none can be forgotten', () => {
    const extended = (profiles.get('default') as Profile).extends.map((reference) => {
      const parsed = parseReference(reference, directory);
      expect(parsed.kind).toBe('builtin');
      return parsed.kind === 'builtin' ? parsed.name : reference;
    });
    expect([...extended].sort()).toEqual(packageProfiles);
  });

  it('presets extend only builtin profiles, and only presets lack appliesTo', () => {
    for (const name of names) {
      const profile = profiles.get(name) as Profile;
      for (const reference of profile.extends) expect(parseReference(reference, directory).kind).toBe('builtin');
      expect(profile.appliesTo === undefined).toBe(presets.includes(name));
    }
  });

  it('every package profile has rules, and every rule a reason of real words', () => {
    expect(allRules.length).toBeGreaterThan(0);
    for (const { name, rule } of allRules) {
      expect(rule.reason.trim().length, `${name}/${rule.id}`).toBeGreaterThan(20);
      expect(rule.remove.length, `${name}/${rule.id}`).toBeGreaterThan(0);
    }
  });

  it('every rule reaches the paths it is there for (so the safety checks below are not vacuous)', () => {
    for (const [key, paths] of Object.entries(mustRemove)) {
      const [name, ruleId] = key.split('/') as [string, string];
      const pattern = compiledRemove(profiles.get(name) as Profile, ruleId);
      for (const path of paths) expect(pattern.test(path), `${key} should remove ${path}`).toBe(true);
    }
    // Every shipped rule needs an entry above, so a new rule gets a positive case too.
    expect(Object.keys(mustRemove).sort()).toEqual(allRules.map(({ name, rule }) => `${name}/${rule.id}`).sort());
  });

  describe.each(Object.entries(neverRemoved))('no shipped remove glob matches a %s path', (_kind, paths) => {
    it.each(allRules.map(({ name, rule }) => [`${name}/${rule.id}`, name, rule.id] as const))('%s', (_label, name, ruleId) => {
      const pattern = compiledRemove(profiles.get(name) as Profile, ruleId);
      const matched = paths.filter((path) => pattern.test(path));
      expect(matched).toEqual([]);
    });
  });

  it('the planner guard protects the licences and metadata that broad globs could reach', () => {
    // "**/tests/**" and "**/*.a" could in principle reach these; the planner refuses them anyway.
    const reachable = [
      'lib/python3.11/site-packages/scipy/_lib/tests/LICENSE.txt',
      'lib/python3.11/test/COPYING',
      'lib/python3.11/site-packages/odd.dist-info/data.a',
      'lib/python3.11/site-packages/scipy/io/tests/hook.pth',
    ];
    for (const path of reachable) expect(protectionReason(path, 'hardlink'), path).toBeDefined();
    for (const path of Object.values(neverRemoved).flat()) expect(protectionReason(path, 'hardlink'), path).toBeDefined();
  });
});
