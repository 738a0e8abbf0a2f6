/**
 * Each package profile planned on a real temp env built from the paths its package really ships
 * (short excerpts of the corpus records named in each case): what its rules remove, what they
 * keep, and which versions they apply to.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDirectories } from '../../helpers/small-env.ts';
import { pkg, planWith, sp } from './plan-profile.ts';

const temp = createTempDirectories();
afterEach(() => temp.cleanup());

describe('python profile (python 3.12.7 conda-forge, uscuni__people_places; 3.11 layout)', () => {
  const stdlib = 'lib/python3.11';
  const pythonFull = pkg('python', '3.11.9', [
    'bin/python3.11',
    'bin/idle3.11',
    'bin/2to3-3.11',
    'bin/pydoc3.11',
    'lib/libpython3.11.so.1.0',
    'lib/libpython3.so',
    `${stdlib}/os.py`,
    `${stdlib}/test/__init__.py`,
    `${stdlib}/test/test_support.py`,
    `${stdlib}/test/support/__init__.py`,
    `${stdlib}/test/support/os_helper.py`,
    `${stdlib}/test/libregrtest/main.py`,
    `${stdlib}/unittest/tests/test_case.py`,
    `${stdlib}/idlelib/pyshell.py`,
    `${stdlib}/idlelib/idle_test/test_calltip.py`,
    `${stdlib}/ensurepip/__init__.py`,
    `${stdlib}/ensurepip/_bundled/pip-24.0-py3-none-any.whl`,
    `${stdlib}/lib2to3/refactor.py`,
    `${stdlib}/tkinter/__init__.py`,
    `${stdlib}/turtledemo/clock.py`,
    `${stdlib}/turtle.py`,
    `${stdlib}/lib-dynload/_tkinter.cpython-311-x86_64-linux-gnu.so`,
    `${stdlib}/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so`,
    `${stdlib}/pydoc_data/topics.py`,
    `${stdlib}/pydoc.py`,
    `${stdlib}/config-3.11-x86_64-linux-gnu/Makefile`,
    `${stdlib}/config-3.11-x86_64-linux-gnu/python.o`,
    `${stdlib}/config-3.11-x86_64-linux-gnu/python-config.py`,
    `${stdlib}/config-3.11-x86_64-linux-gnu/libpython3.11.a`,
    `${stdlib}/LICENSE.txt`,
  ]);

  it('safe rules take the regression suite, IDLE and the build config; test.support and libregrtest stay', async () => {
    const planned = await planWith(temp.make('python-safe'), ['python'], [pythonFull], 'safe');
    expect(planned.removed).toEqual([
      'bin/idle3.11',
      `${stdlib}/config-3.11-x86_64-linux-gnu/Makefile`,
      `${stdlib}/config-3.11-x86_64-linux-gnu/python.o`,
      `${stdlib}/idlelib/idle_test/test_calltip.py`,
      `${stdlib}/idlelib/pyshell.py`,
      `${stdlib}/test/test_support.py`,
      `${stdlib}/unittest/tests/test_case.py`,
    ]);
    expect(planned.skipped).toEqual(
      expect.arrayContaining([
        `${stdlib}/config-3.11-x86_64-linux-gnu/python-config.py kept`,
        `${stdlib}/test/__init__.py kept`,
        `${stdlib}/test/support/__init__.py kept`,
        `${stdlib}/test/support/os_helper.py kept`,
        `${stdlib}/test/libregrtest/main.py kept`,
      ]),
    );
    // The static libpython is left to static-libs/archives, which is not selected here.
    expect(planned.removed).not.toContain(`${stdlib}/config-3.11-x86_64-linux-gnu/libpython3.11.a`);
  });

  it('moderate adds ensurepip, lib2to3, tkinter and the shared libpython nothing links; aggressive adds pydoc topics', async () => {
    const moderate = await planWith(temp.make('python-moderate'), ['python'], [pythonFull], 'moderate');
    expect(moderate.rules).toEqual(['python/build-config', 'python/ensurepip', 'python/idle', 'python/lib2to3', 'python/shared-libpython', 'python/stdlib-tests', 'python/tkinter']);
    expect(moderate.removed).toEqual(expect.arrayContaining(['lib/libpython3.11.so.1.0', 'lib/libpython3.so', 'bin/2to3-3.11', `${stdlib}/lib-dynload/_tkinter.cpython-311-x86_64-linux-gnu.so`, `${stdlib}/ensurepip/_bundled/pip-24.0-py3-none-any.whl`]));
    const aggressive = await planWith(temp.make('python-aggressive'), ['python'], [pythonFull], 'aggressive');
    expect(aggressive.removed.filter((path) => !moderate.removed.includes(path))).toEqual([`${stdlib}/pydoc_data/topics.py`]);
    for (const stays of ['bin/python3.11', 'bin/pydoc3.11', `${stdlib}/os.py`, `${stdlib}/pydoc.py`, `${stdlib}/LICENSE.txt`, `${stdlib}/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so`]) {
      expect(aggressive.removed).not.toContain(stays);
    }
  });
});

describe('pip profile (pip 24.2 noarch, AndreasGrosz__QualsKAT)', () => {
  const pip = pkg('pip', '24.2', [`${sp}/pip/__init__.py`, `${sp}/pip/_internal/cli/main.py`, `${sp}/pip/_vendor/distlib/t64.exe`, `${sp}/pip/_vendor/distlib/w64-arm.exe`, `${sp}/pip/_vendor/distlib/util.py`, `${sp}/pip-24.2.dist-info/METADATA`, `${sp}/pip-24.2.dist-info/LICENSE.txt`], {
    noarch: 'python',
  });

  it('safe takes only the Windows launchers; aggressive takes pip but keeps its metadata', async () => {
    const safe = await planWith(temp.make('pip-safe'), ['pip'], [pip], 'safe');
    expect(safe.removed).toEqual([`${sp}/pip/_vendor/distlib/t64.exe`, `${sp}/pip/_vendor/distlib/w64-arm.exe`]);
    const aggressive = await planWith(temp.make('pip-aggressive'), ['pip'], [pip], 'aggressive');
    expect(aggressive.removed).toEqual([`${sp}/pip/__init__.py`, `${sp}/pip/_internal/cli/main.py`, `${sp}/pip/_vendor/distlib/t64.exe`, `${sp}/pip/_vendor/distlib/util.py`, `${sp}/pip/_vendor/distlib/w64-arm.exe`]);
    expect(aggressive.removed.some((path) => path.includes('.dist-info/'))).toBe(false);
  });
});

describe('setuptools profile (setuptools 75.1.0, AndreasGrosz__QualsKAT)', () => {
  it('takes the three test suites and the launchers; setuptools and pkg_resources stay', async () => {
    const setuptools = pkg('setuptools', '75.1.0', [
      `${sp}/setuptools/__init__.py`,
      `${sp}/setuptools/tests/test_easy_install.py`,
      `${sp}/setuptools/tests/config/test_setupcfg.py`,
      `${sp}/setuptools/_distutils/tests/test_build_ext.py`,
      `${sp}/setuptools/_distutils/core.py`,
      `${sp}/setuptools/_vendor/importlib_resources/tests/test_functional.py`,
      `${sp}/setuptools/cli-64.exe`,
      `${sp}/setuptools/gui-arm64.exe`,
      `${sp}/pkg_resources/__init__.py`,
      `${sp}/pkg_resources/tests/test_resources.py`,
      `${sp}/pkg_resources/api_tests.txt`,
    ]);
    const planned = await planWith(temp.make('setuptools'), ['setuptools'], [setuptools], 'safe');
    expect(planned.removed).toEqual([
      `${sp}/pkg_resources/api_tests.txt`,
      `${sp}/pkg_resources/tests/test_resources.py`,
      `${sp}/setuptools/_distutils/tests/test_build_ext.py`,
      `${sp}/setuptools/_vendor/importlib_resources/tests/test_functional.py`,
      `${sp}/setuptools/cli-64.exe`,
      `${sp}/setuptools/gui-arm64.exe`,
      `${sp}/setuptools/tests/config/test_setupcfg.py`,
      `${sp}/setuptools/tests/test_easy_install.py`,
    ]);
  });
});

describe('numpy profile (numpy 2.3.3 and 1.26.4 layouts)', () => {
  it('takes tests, random .pyx and _examples; keeps _natype and the .pxd; headers only in moderate', async () => {
    const numpy = pkg('numpy', '2.3.3', [
      `${sp}/numpy/__init__.py`,
      `${sp}/numpy/__init__.pxd`,
      `${sp}/numpy/_core/tests/__init__.py`,
      `${sp}/numpy/_core/tests/_natype.py`,
      `${sp}/numpy/_core/tests/test_multiarray.py`,
      `${sp}/numpy/_core/include/numpy/ndarrayobject.h`,
      `${sp}/numpy/_core/include/numpy/LICENSE.txt`,
      `${sp}/numpy/testing/_private/utils.py`,
      `${sp}/numpy/random/_generator.pyx`,
      `${sp}/numpy/random/_generator.pxd`,
      `${sp}/numpy/random/_examples/cython/extending.pyx`,
      `${sp}/numpy/f2py/src/fortranobject.c`,
    ]);
    const safe = await planWith(temp.make('numpy-safe'), ['numpy'], [numpy], 'safe');
    expect(safe.removed).toEqual([`${sp}/numpy/_core/tests/test_multiarray.py`, `${sp}/numpy/random/_examples/cython/extending.pyx`, `${sp}/numpy/random/_generator.pyx`]);
    expect(safe.skipped).toEqual([`${sp}/numpy/_core/tests/__init__.py kept`, `${sp}/numpy/_core/tests/_natype.py kept`]);
    const moderate = await planWith(temp.make('numpy-moderate'), ['numpy'], [numpy], 'moderate');
    expect(moderate.removed).toContain(`${sp}/numpy/_core/include/numpy/ndarrayobject.h`);
    expect(moderate.removed).not.toContain(`${sp}/numpy/_core/include/numpy/LICENSE.txt`);
    expect(moderate.removed).not.toContain(`${sp}/numpy/f2py/src/fortranobject.c`);
  });
});

describe('scipy profile (scipy 1.13.1 defaults, htella26__robot_learning_sim)', () => {
  it('takes tests and .pyx/.c sources; keeps _testutils, the .pxd and the licences in tests', async () => {
    const scipy = pkg('scipy', '1.13.1', [
      `${sp}/scipy/__init__.py`,
      `${sp}/scipy/_lib/_testutils.py`,
      `${sp}/scipy/linalg/tests/test_basic.py`,
      `${sp}/scipy/linalg/tests/LICENSE.txt`,
      `${sp}/scipy/linalg/cython_blas.pxd`,
      `${sp}/scipy/linalg/cython_lapack.pyx`,
      `${sp}/scipy/linalg/_fblas.c`,
      `${sp}/scipy/special/cython_special.pyx`,
    ]);
    const planned = await planWith(temp.make('scipy'), ['scipy'], [scipy], 'safe');
    expect(planned.removed).toEqual([`${sp}/scipy/linalg/_fblas.c`, `${sp}/scipy/linalg/cython_lapack.pyx`, `${sp}/scipy/linalg/tests/test_basic.py`, `${sp}/scipy/special/cython_special.pyx`]);
    expect(planned.skipped).toEqual([`${sp}/scipy/linalg/tests/LICENSE.txt protected`]);
  });
});

describe('pandas profile (pandas 1.5.3 layout; 2.2 ships no .pyx)', () => {
  it('takes pandas/tests and the _libs sources; pandas.testing and the .pxd stay', async () => {
    const pandas = pkg('pandas', '1.5.3', [
      `${sp}/pandas/__init__.py`,
      `${sp}/pandas/testing.py`,
      `${sp}/pandas/_testing/__init__.py`,
      `${sp}/pandas/tests/frame/test_api.py`,
      `${sp}/pandas/_libs/groupby.pyx`,
      `${sp}/pandas/_libs/hashtable_class_helper.pxi.in`,
      `${sp}/pandas/_libs/tslibs/offsets.pyx`,
      `${sp}/pandas/_libs/tslibs/timestamps.pxd`,
      `${sp}/pandas/io/sas/sas.pyx`,
    ]);
    const planned = await planWith(temp.make('pandas'), ['pandas'], [pandas], 'safe');
    expect(planned.removed).toEqual([
      `${sp}/pandas/_libs/groupby.pyx`,
      `${sp}/pandas/_libs/hashtable_class_helper.pxi.in`,
      `${sp}/pandas/_libs/tslibs/offsets.pyx`,
      `${sp}/pandas/io/sas/sas.pyx`,
      `${sp}/pandas/tests/frame/test_api.py`,
    ]);
  });
});

describe('scikit-learn profile (scikit-learn 1.5.2, AndreasGrosz__QualsKAT)', () => {
  it('takes tests and sources; the datasets, _testing and estimator_checks stay', async () => {
    const sklearn = pkg('scikit-learn', '1.5.2', [
      `${sp}/sklearn/__init__.py`,
      `${sp}/sklearn/conftest.py`,
      `${sp}/sklearn/tests/test_base.py`,
      `${sp}/sklearn/utils/tests/test_validation.py`,
      `${sp}/sklearn/utils/_testing.py`,
      `${sp}/sklearn/utils/estimator_checks.py`,
      `${sp}/sklearn/datasets/data/iris.csv`,
      `${sp}/sklearn/datasets/descr/iris.rst`,
      `${sp}/sklearn/datasets/tests/data/openml/id_1/api-v1-jd-1.json.gz`,
      `${sp}/sklearn/tree/_tree.pyx`,
      `${sp}/sklearn/tree/_tree.pxd`,
      `${sp}/sklearn/neighbors/_binary_tree.pxi.tp`,
      `${sp}/sklearn/svm/src/libsvm/svm.cpp`,
      `${sp}/sklearn/svm/src/libsvm/svm.h`,
    ]);
    const planned = await planWith(temp.make('sklearn'), ['scikit-learn'], [sklearn], 'safe');
    expect(planned.removed).toEqual([
      `${sp}/sklearn/datasets/tests/data/openml/id_1/api-v1-jd-1.json.gz`,
      `${sp}/sklearn/neighbors/_binary_tree.pxi.tp`,
      `${sp}/sklearn/svm/src/libsvm/svm.cpp`,
      `${sp}/sklearn/svm/src/libsvm/svm.h`,
      `${sp}/sklearn/tests/test_base.py`,
      `${sp}/sklearn/tree/_tree.pyx`,
      `${sp}/sklearn/utils/tests/test_validation.py`,
    ]);
  });
});

describe('pyarrow and pyarrow-core profiles (pyarrow 11.0.0; pyarrow-core 18.1.0, uscuni__people_places)', () => {
  const files = (name: string, version: string) =>
    pkg(name, version, [
      `${sp}/pyarrow/__init__.py`,
      `${sp}/pyarrow/lib.pxd`,
      `${sp}/pyarrow/table.pxi`,
      `${sp}/pyarrow/_dataset.pyx`,
      `${sp}/pyarrow/include/arrow/api.h`,
      `${sp}/pyarrow/src/arrow/python/common.cc`,
      `${sp}/pyarrow/includes/libarrow.pxd`,
    ]);
  const expected = [`${sp}/pyarrow/_dataset.pyx`, `${sp}/pyarrow/include/arrow/api.h`, `${sp}/pyarrow/src/arrow/python/common.cc`, `${sp}/pyarrow/table.pxi`];

  it.each([
    ['pyarrow', '11.0.0'],
    ['pyarrow-core', '18.1.0'],
  ])('%s %s: headers, C++ sources and .pyx/.pxi go; the .pxd declarations stay', async (name, version) => {
    const planned = await planWith(temp.make(name), [name], [files(name, version)], 'safe');
    expect(planned.removed).toEqual(expected);
  });
});

describe('libarrow profile (libarrow 18.1.0, uscuni__people_places)', () => {
  it('takes the gdb helpers; the library and the licence in share/doc stay', async () => {
    const libarrow = pkg('libarrow', '18.1.0', [
      'lib/libarrow.so.1801.0.0',
      'share/arrow/gdb/gdb_arrow.py',
      'share/doc/arrow/LICENSE.txt',
      'share/gdb/auto-load/replace_this_section_with_absolute_slashed_path_to_CONDA_PREFIX/lib/libarrow.so.1801.0.0-gdb.py',
    ]);
    const planned = await planWith(temp.make('libarrow'), ['libarrow'], [libarrow], 'aggressive');
    expect(planned.removed).toEqual(['share/arrow/gdb/gdb_arrow.py', 'share/gdb/auto-load/replace_this_section_with_absolute_slashed_path_to_CONDA_PREFIX/lib/libarrow.so.1801.0.0-gdb.py']);
  });
});

describe('bokeh profile (bokeh 2.2.3, AlessandroSav__envs_on_git)', () => {
  const js = `${sp}/bokeh/server/static/js`;
  const bokeh = pkg('bokeh', '2.2.3', [
    `${sp}/bokeh/__init__.py`,
    `${js}/bokeh.js`,
    `${js}/bokeh.min.js`,
    `${js}/bokeh.legacy.js`,
    `${js}/bokeh.legacy.min.js`,
    `${js}/bokeh-widgets.js`,
    `${js}/bokeh-widgets.min.js`,
    `${js}/compiler.js`,
    `${js}/compiler/linker.js`,
    `${js}/bokeh.json`,
    `${js}/lib/models/plots/plot.js`,
    `${js}/types/models/plots/plot.d.ts`,
    `${sp}/bokeh/server/static/lib/lib.dom.d.ts`,
  ]);

  it('moderate takes the unminified twins, never a .min.js and never compiler.js', async () => {
    const planned = await planWith(temp.make('bokeh-moderate'), ['bokeh'], [bokeh], 'moderate');
    expect(planned.removed).toEqual([`${js}/bokeh-widgets.js`, `${js}/bokeh.js`, `${js}/bokeh.legacy.js`]);
    expect(planned.skipped).toEqual([`${js}/bokeh-widgets.min.js kept`, `${js}/bokeh.legacy.min.js kept`, `${js}/bokeh.min.js kept`]);
  });

  it('aggressive also takes the extension compiler; the .min.js bundles stay', async () => {
    const planned = await planWith(temp.make('bokeh-aggressive'), ['bokeh'], [bokeh], 'aggressive');
    expect(planned.removed.filter((path) => path.endsWith('.min.js'))).toEqual([]);
    expect(planned.removed).toEqual(expect.arrayContaining([`${js}/compiler.js`, `${js}/compiler/linker.js`, `${js}/bokeh.json`, `${js}/lib/models/plots/plot.js`, `${js}/types/models/plots/plot.d.ts`, `${sp}/bokeh/server/static/lib/lib.dom.d.ts`]));
    expect(planned.removed).not.toContain(`${sp}/bokeh/__init__.py`);
  });
});

describe('uvloop profile (uvloop 0.21.0, qescccczmr__vidur_chengqinxiu)', () => {
  it('takes loop.c and the Cython sources; the extension and the licences stay', async () => {
    const uvloop = pkg('uvloop', '0.21.0', [
      `${sp}/uvloop/__init__.py`,
      `${sp}/uvloop/loop.c`,
      `${sp}/uvloop/loop.pyx`,
      `${sp}/uvloop/loop.pxd`,
      `${sp}/uvloop/includes/uv.pxd`,
      `${sp}/uvloop/handles/handle.pxi`,
      `${sp}/uvloop/loop.cpython-311-x86_64-linux-gnu.so`,
      `${sp}/uvloop/LICENSE-MIT`,
    ]);
    const planned = await planWith(temp.make('uvloop'), ['uvloop'], [uvloop], 'safe');
    expect(planned.removed).toEqual([`${sp}/uvloop/handles/handle.pxi`, `${sp}/uvloop/includes/uv.pxd`, `${sp}/uvloop/loop.c`, `${sp}/uvloop/loop.pxd`, `${sp}/uvloop/loop.pyx`]);
  });
});

describe('libsanitizer and libgcc-ng profiles', () => {
  it('libsanitizer 13.2.0 (MartinBaGar__Master_ISDD_fiches): every runtime and its links', async () => {
    const libsanitizer = {
      ...pkg('libsanitizer', '13.2.0', ['lib/libasan.so.8.0.0', 'lib/libtsan.so.2.0.0', 'lib/liblsan.so.0.0.0', 'lib/libubsan.so.1.0.0']),
    };
    libsanitizer.files.push({ path: 'lib/libasan.so.8', link: 'libasan.so.8.0.0' }, { path: 'lib/libasan.so', link: 'libasan.so.8.0.0' });
    const planned = await planWith(temp.make('libsanitizer'), ['libsanitizer'], [libsanitizer], 'safe');
    expect(planned.removed).toEqual(['lib/libasan.so', 'lib/libasan.so.8', 'lib/libasan.so.8.0.0', 'lib/liblsan.so.0.0.0', 'lib/libtsan.so.2.0.0', 'lib/libubsan.so.1.0.0']);
  });

  it('libgcc-ng 9.3.0 (asp2201__rces-final-project) loses its sanitizers; libgcc_s, libgomp, libquadmath stay', async () => {
    const gcc9 = pkg('libgcc-ng', '9.3.0', ['lib/libasan.so.5.0.0', 'lib/libtsan.so.0.0.0', 'lib/liblsan.so.0.0.0', 'lib/libubsan.so.1.0.0', 'lib/libgcc_s.so.1', 'lib/libquadmath.so.0.0.0', 'lib/libatomic.so.1.2.0', 'share/licenses/gcc-libs/RUNTIME.LIBRARY.EXCEPTION']);
    const planned = await planWith(temp.make('gcc9'), ['libgcc-ng'], [gcc9], 'safe');
    expect(planned.removed).toEqual(['lib/libasan.so.5.0.0', 'lib/liblsan.so.0.0.0', 'lib/libtsan.so.0.0.0', 'lib/libubsan.so.1.0.0']);
  });

  it('libgcc-ng 13.1.0 (YOURENXIAKE__CDQA) is out of range: the profile does not apply at all', async () => {
    const gcc13 = pkg('libgcc-ng', '13.1.0', ['lib/libgcc_s.so.1', 'lib/libitm.so.1.0.0', 'lib/libquadmath.so.0.0.0']);
    const planned = await planWith(temp.make('gcc13'), ['libgcc-ng'], [gcc13], 'aggressive');
    expect(planned.removed).toEqual([]);
    expect(planned.plan.profiles.find((profile) => profile.name === 'libgcc-ng')?.appliedTo).toEqual([]);
  });
});

describe('openssl, sqlite, ncurses, ld_impl and binutils profiles', () => {
  it('openssl 3.4.1 (Hnyquister__RL_pro): samples and Perl scripts are safe, bin/openssl moderate; the live configs stay', async () => {
    const openssl = pkg('openssl', '3.4.1', ['bin/openssl', 'bin/c_rehash', 'lib/libssl.so.3', 'ssl/openssl.cnf', 'ssl/openssl.cnf.dist', 'ssl/ct_log_list.cnf', 'ssl/ct_log_list.cnf.dist', 'ssl/misc/CA.pl', 'ssl/misc/tsget.pl', 'ssl/certs/.keep']);
    const safe = await planWith(temp.make('openssl-safe'), ['openssl'], [openssl], 'safe');
    expect(safe.removed).toEqual(['bin/c_rehash', 'ssl/ct_log_list.cnf.dist', 'ssl/misc/CA.pl', 'ssl/misc/tsget.pl', 'ssl/openssl.cnf.dist']);
    const moderate = await planWith(temp.make('openssl-moderate'), ['openssl'], [openssl], 'moderate');
    expect(moderate.removed.filter((path) => !safe.removed.includes(path))).toEqual(['bin/openssl']);
  });

  it('sqlite 3.47.2 (qescccczmr__vidur_chengqinxiu): the shell goes only in moderate', async () => {
    const sqlite = pkg('sqlite', '3.47.2', ['bin/sqlite3']);
    expect((await planWith(temp.make('sqlite-safe'), ['sqlite'], [sqlite], 'safe')).removed).toEqual([]);
    expect((await planWith(temp.make('sqlite-moderate'), ['sqlite'], [sqlite], 'moderate')).removed).toEqual(['bin/sqlite3']);
  });

  it('ncurses 6.5 (AndreasGrosz__QualsKAT): moderate keeps the common terminals, aggressive takes them all', async () => {
    const ncurses = pkg('ncurses', '6.5', [
      'bin/tic',
      'bin/infocmp',
      'bin/clear',
      'bin/tput',
      'bin/reset',
      'lib/libncursesw.so.6.5',
      'share/tabset/vt100',
      'share/terminfo/x/xterm',
      'share/terminfo/x/xterm-256color',
      'share/terminfo/x/xterm-new',
      'share/terminfo/s/screen-256color',
      'share/terminfo/t/tmux-256color',
      'share/terminfo/l/linux',
      'share/terminfo/d/dumb',
      'share/terminfo/a/aaa-60',
      'share/terminfo/w/wy50',
    ]);
    const moderate = await planWith(temp.make('ncurses-moderate'), ['ncurses'], [ncurses], 'moderate');
    expect(moderate.removed).toEqual(['bin/infocmp', 'bin/tic', 'share/tabset/vt100', 'share/terminfo/a/aaa-60', 'share/terminfo/w/wy50', 'share/terminfo/x/xterm-new']);
    const aggressive = await planWith(temp.make('ncurses-aggressive'), ['ncurses'], [ncurses], 'aggressive');
    expect(aggressive.removed.filter((path) => path.startsWith('share/terminfo/'))).toHaveLength(9);
    expect(aggressive.removed).not.toContain('bin/tput');
    expect(aggressive.removed).not.toContain('lib/libncursesw.so.6.5');
  });

  it('ld_impl_linux-64 2.43 (AndreasGrosz__QualsKAT): the linker and its three links go', async () => {
    const ldImpl = pkg('ld_impl_linux-64', '2.43', ['bin/x86_64-conda-linux-gnu-ld']);
    ldImpl.files.push({ path: 'bin/x86_64-conda_cos6-linux-gnu-ld', link: 'x86_64-conda-linux-gnu-ld' }, { path: 'x86_64-conda-linux-gnu/bin/ld', link: '../../bin/x86_64-conda-linux-gnu-ld' });
    const planned = await planWith(temp.make('ld-impl'), ['ld_impl_linux-64'], [ldImpl], 'safe');
    expect(planned.removed).toEqual(['bin/x86_64-conda-linux-gnu-ld', 'bin/x86_64-conda_cos6-linux-gnu-ld', 'x86_64-conda-linux-gnu/bin/ld']);
  });

  it('binutils 2.38 and binutils_impl_linux-64 2.38 (akirachuangjp__envoracle): only in moderate', async () => {
    const impl = pkg('binutils_impl_linux-64', '2.38', ['bin/x86_64-conda-linux-gnu-ld.gold', 'bin/x86_64-conda-linux-gnu-objdump', 'x86_64-conda-linux-gnu/bin/as', 'x86_64-conda-linux-gnu/lib/ldscripts/elf_x86_64.x', 'lib/bfd-plugins/libdep.so', 'lib/libbfd.a']);
    const links = pkg('binutils', '2.38', []);
    links.files.push({ path: 'bin/ld', link: 'x86_64-conda-linux-gnu-ld.gold' }, { path: 'bin/objdump', link: 'x86_64-conda-linux-gnu-objdump' });
    const profiles = ['binutils', 'binutils_impl_linux-64'];
    expect((await planWith(temp.make('binutils-safe'), profiles, [impl, links], 'safe')).removed).toEqual([]);
    const moderate = await planWith(temp.make('binutils-moderate'), profiles, [impl, links], 'moderate');
    expect(moderate.removed).toEqual(['bin/ld', 'bin/objdump', 'bin/x86_64-conda-linux-gnu-ld.gold', 'bin/x86_64-conda-linux-gnu-objdump', 'lib/bfd-plugins/libdep.so', 'x86_64-conda-linux-gnu/bin/as', 'x86_64-conda-linux-gnu/lib/ldscripts/elf_x86_64.x']);
  });
});

