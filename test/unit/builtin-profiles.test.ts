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
// README.md is generated from the profiles (scripts/generate-profiles-readme.ts) and index.yaml
// makes the folder a registry (npm run profiles:index); everything else is a profile.
const files = readdirSync(directory).filter((name) => !name.startsWith('.') && name !== 'README.md' && name !== 'index.yaml').sort();
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
const sp = 'lib/python3.11/site-packages';
const mustRemove: Record<string, string[]> = {
  'python/stdlib-tests': ['lib/python3.11/test/test_grammar.py', 'lib/python3.11/idlelib/idle_test/test_calltip.py', 'lib/python3.11/unittest/tests/__init__.py'],
  'python/idle': ['lib/python3.11/idlelib/pyshell.py', 'bin/idle3.11', 'bin/idle3'],
  'python/build-config': ['lib/python3.11/config-3.11-x86_64-linux-gnu/Makefile', 'lib/python3.11/config-3.11-x86_64-linux-gnu/python.o', 'lib/python3.11/config-3.11-x86_64-linux-gnu/__pycache__/python-config.cpython-311.pyc'],
  'python/ensurepip': ['lib/python3.11/ensurepip/_bundled/pip-24.0-py3-none-any.whl', 'lib/python3.11/ensurepip/__init__.py'],
  'python/lib2to3': ['lib/python3.11/lib2to3/refactor.py', 'bin/2to3-3.11'],
  'python/tkinter': ['lib/python3.11/tkinter/__init__.py', 'lib/python3.11/turtledemo/clock.py', 'lib/python3.11/turtle.py', 'lib/python3.11/lib-dynload/_tkinter.cpython-311-x86_64-linux-gnu.so'],
  'python/shared-libpython': ['lib/libpython3.11.so.1.0', 'lib/libpython3.11.so', 'lib/libpython3.so'],
  'python/pydoc-topics': ['lib/python3.11/pydoc_data/topics.py', 'lib/python3.11/pydoc_data/__pycache__/topics.cpython-311.pyc'],
  'pip/windows-launchers': [`${sp}/pip/_vendor/distlib/t64.exe`, `${sp}/pip/_vendor/distlib/w64-arm.exe`],
  'pip/package': [`${sp}/pip/__init__.py`, `${sp}/pip/_vendor/certifi/cacert.pem`],
  'setuptools/tests': [`${sp}/setuptools/tests/test_easy_install.py`, `${sp}/setuptools/_distutils/tests/test_build_ext.py`, `${sp}/pkg_resources/tests/test_resources.py`, `${sp}/setuptools/_vendor/importlib_resources/tests/test_functional.py`],
  'setuptools/windows-launchers': [`${sp}/setuptools/cli-64.exe`, `${sp}/setuptools/gui-arm64.exe`],
  'scipy/tests': [`${sp}/scipy/linalg/tests/test_basic.py`],
  'scipy/cython-sources': [`${sp}/scipy/linalg/_fblas.c`, `${sp}/scipy/special/cython_special.pyx`],
  'numpy/tests': [`${sp}/numpy/_core/tests/test_multiarray.py`, `${sp}/numpy/f2py/tests/src/array_from_pyobj/foo.f`],
  'numpy/random-cython-sources': [`${sp}/numpy/random/_generator.pyx`, `${sp}/numpy/random/_examples/cython/extending.pyx`],
  'numpy/headers': [`${sp}/numpy/core/include/numpy/ndarrayobject.h`, `${sp}/numpy/_core/include/numpy/npy_math.h`],
  'pandas/tests': [`${sp}/pandas/tests/frame/test_api.py`],
  'pandas/cython-sources': [`${sp}/pandas/_libs/groupby.pyx`, `${sp}/pandas/_libs/hashtable_class_helper.pxi.in`, `${sp}/pandas/_libs/tslibs/offsets.pyx`],
  'scikit-learn/tests': [`${sp}/sklearn/utils/tests/test_validation.py`, `${sp}/sklearn/datasets/tests/data/openml/id_1/api-v1-jd-1.json.gz`],
  'scikit-learn/cython-sources': [`${sp}/sklearn/tree/_tree.pyx`, `${sp}/sklearn/neighbors/_binary_tree.pxi.tp`, `${sp}/sklearn/svm/src/libsvm/svm.cpp`, `${sp}/sklearn/svm/src/liblinear/linear.h`],
  'pyarrow/headers-and-sources': [`${sp}/pyarrow/include/arrow/api.h`, `${sp}/pyarrow/src/arrow/python/common.cc`],
  'pyarrow/cython-sources': [`${sp}/pyarrow/_dataset.pyx`, `${sp}/pyarrow/table.pxi`],
  'pyarrow/tests': [`${sp}/pyarrow/tests/test_array.py`],
  'pyarrow-core/headers-and-sources': [`${sp}/pyarrow/include/arrow/api.h`, `${sp}/pyarrow/src/arrow/python/common.cc`],
  'pyarrow-core/cython-sources': [`${sp}/pyarrow/_compute.pyx`, `${sp}/pyarrow/array.pxi`],
  'pyarrow-core/tests': [`${sp}/pyarrow/tests/test_table.py`],
  'libarrow/gdb-helpers': ['share/arrow/gdb/gdb_arrow.py', 'share/gdb/auto-load/replace_this_section_with_absolute_slashed_path_to_CONDA_PREFIX/lib/libarrow.so.1801.0.0-gdb.py'],
  'bokeh/unminified-js': [`${sp}/bokeh/server/static/js/bokeh.js`, `${sp}/bokeh/server/static/js/bokeh-widgets.legacy.js`],
  'bokeh/extension-compiler': [`${sp}/bokeh/server/static/js/compiler.js`, `${sp}/bokeh/server/static/js/bokeh.json`, `${sp}/bokeh/server/static/js/lib/api/figure.d.ts`, `${sp}/bokeh/server/static/lib/lib.dom.d.ts`],
  'uvloop/sources': [`${sp}/uvloop/loop.c`, `${sp}/uvloop/loop.pyx`],
  'openssl/sample-configs': ['ssl/openssl.cnf.dist', 'ssl/ct_log_list.cnf.dist'],
  'openssl/perl-scripts': ['ssl/misc/CA.pl', 'ssl/misc/tsget', 'bin/c_rehash'],
  'openssl/cli': ['bin/openssl'],
  'sqlite/shell': ['bin/sqlite3'],
  'ncurses/terminfo-compilers': ['bin/tic', 'bin/infocmp', 'share/tabset/vt100'],
  'ncurses/uncommon-terminals': ['share/terminfo/a/aaa-60', 'share/terminfo/x/xterm-new', 'share/terminfo/78/xterm-new'],
  'ncurses/all-terminals': ['share/terminfo/x/xterm', 'share/terminfo/d/dumb'],
  'ld_impl_linux-64/linker': ['bin/x86_64-conda-linux-gnu-ld', 'x86_64-conda_cos6-linux-gnu/bin/ld'],
  'binutils/tool-links': ['bin/ld', 'bin/objdump', 'bin/c++filt'],
  'binutils_impl_linux-64/tools': ['bin/x86_64-conda-linux-gnu-ld.gold', 'bin/x86_64-conda_cos7-linux-gnu-objdump', 'x86_64-conda-linux-gnu/bin/as', 'x86_64-conda-linux-gnu/lib/ldscripts/elf_x86_64.x', 'lib/bfd-plugins/libdep.so'],
  'static-libs/archives': ['lib/libz.a', 'lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a'],
  'headers/prefix-include': ['include/openssl/ssl.h', 'include/arrow/api.h', 'include/zlib.h', 'Library/include/zlib.h'],
  'headers/python-headers': ['include/python3.11/Python.h', 'include/python3.11/cpython/object.h', 'include/python3.12/internal/pycore_code.h'],
  'headers/site-packages-headers': [`${sp}/numpy/core/include/numpy/ndarrayobject.h`, `${sp}/pybind11/include/pybind11/pybind11.h`],
  'sourcemaps/maps': [`${sp}/panel/dist/panel.min.js.map`, 'share/jupyter/lab/static/main.js.map', `${sp}/bokeh/server/static/css/bokeh.css.map`],
  'docs/manuals': ['share/man/man1/python3.11.1', 'share/info/libgomp.info', 'share/doc/arrow/README.md', 'man/man1/openssl.1'],
  'libtool-archives/la-files': ['lib/libxml2.la', 'lib/gio/modules/libgiognutls.la'],
  'build-files/pkg-config-and-cmake': ['lib/pkgconfig/python-3.11.pc', 'lib/cmake/Arrow/ArrowConfig.cmake', 'share/pkgconfig/xorg-macros.pc'],
  'extension-sources/cython': [`${sp}/sklearn/tree/_tree.pyx`, `${sp}/yaml/_yaml.pyx`, `${sp}/pandas/_libs/hashtable_class_helper.pxi.in`],
  'extension-sources/cython-declarations': [`${sp}/numpy/__init__.pxd`, `${sp}/pyarrow/lib.pxd`],
  'extension-sources/c-sources': [`${sp}/uvloop/loop.c`, `${sp}/lxml/etree.c`, `${sp}/msgpack/_cmsgpack.cpp`],
  'conda-meta/records': ['conda-meta/numpy-1.26.4-py311h64a7726_0.json', 'conda-meta/history'],
  'bytecode/owned-pyc': ['lib/python3.11/__pycache__/os.cpython-311.pyc'],
  'bytecode/unowned-pycache': ['lib/python3.11/site-packages/app/__pycache__/main.cpython-311.pyc'],
  'libsanitizer/runtimes': ['lib/libasan.so.8.0.0', 'lib/libtsan.so.2'],
  'libgcc-ng/sanitizers': ['lib/libasan.so.5'],
};

/** Paths rules must leave alone although their globs come close: what runtime code still reads. */
const mustKeep: Record<string, string[]> = {
  'python/stdlib-tests': ['lib/python3.11/test/support/__init__.py', 'lib/python3.11/test/__init__.py'],
  'python/build-config': ['lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a', 'lib/python3.11/config-3.11-x86_64-linux-gnu/python-config.py'],
  'python/tkinter': ['lib/python3.11/turtle_extra.py', 'lib/python3.11/lib-dynload/_curses.cpython-311-x86_64-linux-gnu.so'],
  'python/shared-libpython': ['bin/python3.11', 'lib/libpython.txt'],
  'pip/package': [`${sp}/pip-24.2.dist-info/RECORD`, 'bin/pip'],
  'pip/windows-launchers': ['Lib/site-packages/pip/_vendor/distlib/t64.exe'],
  'setuptools/windows-launchers': ['Lib/site-packages/setuptools/cli-64.exe'],
  'numpy/tests': [`${sp}/numpy/_core/tests/_natype.py`, `${sp}/numpy/testing/_private/utils.py`],
  'numpy/random-cython-sources': [`${sp}/numpy/random/_generator.pxd`, `${sp}/numpy/random/c_distributions.pxd`],
  'scipy/tests': [`${sp}/scipy/_lib/_testutils.py`],
  'scikit-learn/tests': [`${sp}/sklearn/utils/_testing.py`, `${sp}/sklearn/datasets/data/iris.csv`, `${sp}/sklearn/datasets/descr/iris.rst`],
  'pandas/tests': [`${sp}/pandas/_testing/__init__.py`, `${sp}/pandas/testing.py`],
  'pandas/cython-sources': [`${sp}/pandas/_libs/tslibs/timestamps.pxd`],
  'bokeh/unminified-js': [`${sp}/bokeh/server/static/js/bokeh.min.js`, `${sp}/bokeh/server/static/js/compiler.js`, `${sp}/bokeh/server/static/js/bokeh-widgets.legacy.min.js`],
  'openssl/sample-configs': ['ssl/openssl.cnf', 'ssl/ct_log_list.cnf', 'ssl/cert.pem'],
  'ncurses/terminfo-compilers': ['bin/clear', 'bin/tput', 'bin/reset'],
  'ncurses/uncommon-terminals': ['share/terminfo/x/xterm', 'share/terminfo/x/xterm-256color', 'share/terminfo/s/screen-256color', 'share/terminfo/t/tmux-256color', 'share/terminfo/l/linux', 'share/terminfo/d/dumb', 'share/terminfo/78/xterm'],
  'binutils_impl_linux-64/tools': ['bin/python3.11', 'lib/libbfd-2.38.so'],
  'static-libs/archives': ['lib/libpython3.11.dll.a', 'Library/lib/python311.lib'],
  'headers/prefix-include': ['share/include-what-you-use.txt', 'include/python3.11/Python.h', 'include/python3.12/cpython/object.h'],
  'build-files/pkg-config-and-cmake': ['share/cmake-3.28/Modules/FindPython.cmake'],
  'sourcemaps/maps': [`${sp}/panel/dist/panel.min.js`],
  'docs/manuals': ['share/doc/arrow/LICENSE.txt', 'share/doc/libfoo/copyright'],
};

/** Tells whether a rule's keep globs, or the planner's guard, spare a path its remove globs reach. */
function spared(profile: Profile, ruleId: string, path: string): boolean {
  const rule = profile.rules.find((candidate) => candidate.id === ruleId) as Profile['rules'][number];
  const keep = compileGlobs(rule.keep.map((glob) => expandPlaceholders(glob, python311) as string));
  return keep?.test(path) === true || protectionReason(path, path === 'bin/pip' ? 'unix_python_entry_point' : 'hardlink') !== undefined;
}

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
    // Sorted as file names: `pyarrow-core.yaml` sorts before `pyarrow.yaml`, `pyarrow` before `pyarrow-core`.
    expect(files).toEqual(names.map((name) => `${name}.yaml`).sort());
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

  it('every rule spares what it must keep: its keep globs, the guard, or a remove glob that does not reach it', () => {
    for (const [key, paths] of Object.entries(mustKeep)) {
      const [name, ruleId] = key.split('/') as [string, string];
      const profile = profiles.get(name) as Profile;
      const pattern = compiledRemove(profile, ruleId);
      for (const path of paths) expect(!pattern.test(path) || spared(profile, ruleId, path), `${key} must keep ${path}`).toBe(true);
    }
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
