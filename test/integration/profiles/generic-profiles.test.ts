/**
 * The generic profiles (appliesTo "*") planned on real temp envs built from paths the corpus
 * packages ship: what they remove across packages, what their keep globs and the planner's guard
 * leave alone, and that a package's own profile claims its files first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDirectories } from '../../helpers/small-env.ts';
import { pkg, planWith, python, sp } from './plan-profile.ts';

const temp = createTempDirectories();
afterEach(() => temp.cleanup());

describe('static-libs', () => {
  it('takes *.a of every package but never a MinGW import library', async () => {
    const openssl = pkg('openssl', '1.1.1h', ['lib/libssl.a', 'lib/libcrypto.a', 'lib/libssl.so.1.1']);
    const mingw = pkg('m2w64-zlib', '1.2.11', ['lib/libz.dll.a', 'lib/libz.a']);
    const planned = await planWith(temp.make('static'), ['static-libs'], [openssl, mingw], 'safe');
    expect(planned.removed).toEqual(['lib/libcrypto.a', 'lib/libssl.a', 'lib/libz.a']);
    expect(planned.skipped).toEqual(['lib/libz.dll.a kept']);
  });
});

describe('headers', () => {
  const libsqlite = pkg('libsqlite', '3.47.0', ['include/sqlite3.h', 'include/sqlite3ext.h', 'lib/libsqlite3.so.0.8.6']);
  const cffi = pkg('cffi', '1.17.1', [`${sp}/cffi/_cffi_include.h`, `${sp}/cffi/parse_c_type.h`, `${sp}/cffi/api.py`]);
  const numpy = pkg('numpy', '1.26.4', [`${sp}/numpy/core/include/numpy/ndarrayobject.h`, `${sp}/numpy/core/include/numpy/LICENSE.txt`]);

  it('safe takes include/; site-packages headers wait for moderate', async () => {
    const safe = await planWith(temp.make('headers-safe'), ['headers'], [libsqlite, cffi, numpy], 'safe');
    expect(safe.removed).toEqual(['include/sqlite3.h', 'include/sqlite3ext.h']);
  });

  it("keeps python's own headers until moderate: torch.compile and triton read them at run time", async () => {
    const pythonWithHeaders = { ...python, files: [...python.files, { path: 'include/python3.11/Python.h', size: 30 }, { path: 'include/python3.11/cpython/object.h', size: 40 }] };
    const safe = await planWith(temp.make('headers-python-safe'), ['headers'], [pythonWithHeaders, libsqlite], 'safe');
    expect(safe.removed).toEqual(['include/sqlite3.h', 'include/sqlite3ext.h']);
    const moderate = await planWith(temp.make('headers-python-moderate'), ['headers'], [pythonWithHeaders, libsqlite], 'moderate');
    expect(moderate.removed).toEqual(['include/python3.11/Python.h', 'include/python3.11/cpython/object.h', 'include/sqlite3.h', 'include/sqlite3ext.h']);
    expect(moderate.rules).toEqual(['headers/prefix-include', 'headers/python-headers']);
  });

  it('moderate takes package headers, except those of packages that compile at run time', async () => {
    const moderate = await planWith(temp.make('headers-moderate'), ['headers'], [libsqlite, cffi, numpy], 'moderate');
    expect(moderate.removed).toEqual(['include/sqlite3.h', 'include/sqlite3ext.h', `${sp}/numpy/core/include/numpy/ndarrayobject.h`]);
    expect(moderate.skipped).toEqual([`${sp}/cffi/_cffi_include.h kept`, `${sp}/cffi/parse_c_type.h kept`]);
  });
});

describe('sourcemaps', () => {
  it('takes .js.map and .css.map files, never the scripts they describe', async () => {
    const panel = pkg('panel', '1.5.4', [`${sp}/panel/dist/panel.min.js`, `${sp}/panel/dist/panel.min.js.map`, `${sp}/panel/dist/css/loading.css`, `${sp}/panel/dist/css/loading.css.map`]);
    const planned = await planWith(temp.make('maps'), ['sourcemaps'], [panel], 'safe');
    expect(planned.removed).toEqual([`${sp}/panel/dist/css/loading.css.map`, `${sp}/panel/dist/panel.min.js.map`]);
  });
});

describe('docs', () => {
  it('takes man pages, info manuals and share/doc, but not the licences and copyright files there', async () => {
    const gcc = pkg('libgcc-ng', '9.3.0', ['share/info/libgomp.info', 'share/licenses/gcc-libs/RUNTIME.LIBRARY.EXCEPTION', 'lib/libgcc_s.so.1']);
    const arrow = pkg('libarrow', '18.1.0', ['share/doc/arrow/README.md', 'share/doc/arrow/LICENSE.txt', 'share/doc/arrow/NOTICE.txt']);
    const debianStyle = pkg('libfoo', '1.0', ['share/doc/libfoo/copyright', 'share/man/man3/foo.3']);
    const planned = await planWith(temp.make('docs'), ['docs'], [gcc, arrow, debianStyle], 'safe');
    expect(planned.removed).toEqual(['share/doc/arrow/README.md', 'share/info/libgomp.info', 'share/man/man3/foo.3']);
    expect(planned.skipped).toEqual(['share/doc/arrow/LICENSE.txt protected', 'share/doc/arrow/NOTICE.txt protected', 'share/doc/libfoo/copyright kept']);
  });
});

describe('libtool-archives', () => {
  it('takes .la files in moderate only, and never ImageMagick coders that libltdl opens', async () => {
    const libxml2 = pkg('libxml2', '2.9.10', ['lib/libxml2.la', 'lib/libxml2.so.2.9.10']);
    const imagemagick = pkg('imagemagick', '7.1.1', ['lib/ImageMagick-7.1.1/modules-Q16HDRI/coders/png.la', 'lib/ImageMagick-7.1.1/modules-Q16HDRI/coders/png.so']);
    expect((await planWith(temp.make('la-safe'), ['libtool-archives'], [libxml2, imagemagick], 'safe')).removed).toEqual([]);
    const moderate = await planWith(temp.make('la-moderate'), ['libtool-archives'], [libxml2, imagemagick], 'moderate');
    expect(moderate.removed).toEqual(['lib/libxml2.la']);
    expect(moderate.skipped).toEqual(['lib/ImageMagick-7.1.1/modules-Q16HDRI/coders/png.la kept']);
  });
});

describe('build-files', () => {
  it("takes pkg-config and CMake package files but not cmake's own modules", async () => {
    const libarrow = pkg('libarrow', '18.1.0', ['lib/cmake/Arrow/ArrowConfig.cmake', 'lib/pkgconfig/arrow.pc', 'lib/libarrow.so.1801.0.0']);
    const cmake = pkg('cmake', '3.28.3', ['share/cmake-3.28/Modules/FindPython.cmake', 'bin/cmake']);
    const planned = await planWith(temp.make('build-files'), ['build-files'], [libarrow, cmake], 'safe');
    expect(planned.removed).toEqual(['lib/cmake/Arrow/ArrowConfig.cmake', 'lib/pkgconfig/arrow.pc']);
  });
});

describe('extension-sources', () => {
  const pyyaml = pkg('pyyaml', '6.0.2', [`${sp}/yaml/_yaml.pyx`, `${sp}/yaml/_yaml.pxd`, `${sp}/yaml/_yaml.c`, `${sp}/yaml/__init__.py`]);
  const cython = pkg('cython', '3.0.11', [`${sp}/Cython/Utility/Buffer.c`, `${sp}/Cython/Includes/libc/stdio.pxd`, `${sp}/Cython/Compiler/Main.py`]);

  it('safe takes .pyx, moderate adds .pxd and C; Cython, which compiles at run time, keeps its own', async () => {
    expect((await planWith(temp.make('sources-safe'), ['extension-sources'], [pyyaml, cython], 'safe')).removed).toEqual([`${sp}/yaml/_yaml.pyx`]);
    const moderate = await planWith(temp.make('sources-moderate'), ['extension-sources'], [pyyaml, cython], 'moderate');
    expect(moderate.removed).toEqual([`${sp}/yaml/_yaml.c`, `${sp}/yaml/_yaml.pxd`, `${sp}/yaml/_yaml.pyx`]);
    expect(moderate.skipped).toEqual([`${sp}/Cython/Includes/libc/stdio.pxd kept`, `${sp}/Cython/Utility/Buffer.c kept`]);
  });

  it("a package's own profile claims its files before a generic one", async () => {
    const uvloop = pkg('uvloop', '0.21.0', [`${sp}/uvloop/loop.c`, `${sp}/uvloop/loop.pyx`]);
    const planned = await planWith(temp.make('sources-order'), ['extension-sources', 'uvloop'], [uvloop], 'moderate');
    expect(planned.plan.entries.map((entry) => `${entry.path} ${entry.profile}/${entry.rule}`)).toEqual([`${sp}/uvloop/loop.c uvloop/sources`, `${sp}/uvloop/loop.pyx uvloop/sources`]);
  });
});

describe('bytecode', () => {
  it('takes owned pyc only in moderate', async () => {
    const six = pkg('six', '1.16.0', [`${sp}/six.py`, `${sp}/__pycache__/six.cpython-311.pyc`]);
    expect((await planWith(temp.make('pyc-safe'), ['bytecode'], [six], 'safe')).removed).toEqual([]);
    expect((await planWith(temp.make('pyc-moderate'), ['bytecode'], [six], 'moderate')).removed).toEqual([`${sp}/__pycache__/six.cpython-311.pyc`]);
  });
});
