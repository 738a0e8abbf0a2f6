/**
 * The category heuristics on real paths, excerpted from the conda-meta records of the corpus
 * (QualsKAT, people_places, vidur and the libsanitizer record), and the ELF sniff on real files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyByContent, classifyFirstBytes, classifyPath } from '../../../src/audit/classify-path.ts';

const cases: Record<string, string[]> = {
  tests: [
    'lib/python3.10/site-packages/sympy/codegen/tests/test_rewriting.py',
    'lib/python3.12/site-packages/numba/cuda/tests/cudapy/test_enums.py',
    'lib/python3.10/site-packages/sklearn/inspection/tests/__init__.py',
    'lib/python3.10/site-packages/sklearn/datasets/tests/test_20news.py',
    // Bytecode of a test suite goes with the suite.
    'lib/python3.10/site-packages/mpmath/tests/__pycache__/test_hp.cpython-310.pyc',
    'lib/python3.10/test/test_os.py',
    'lib/python3.10/idlelib/idle_test/test_config.py',
    'lib/python3.10/site-packages/statsmodels/conftest.py',
  ],
  sources: [
    'lib/python3.10/site-packages/sklearn/_isotonic.pyx',
    'lib/python3.10/site-packages/sklearn/utils/murmurhash.pyx',
    'share/ffmpeg/examples/vaapi_transcode.c',
    'lib/python3.10/config-3.10-x86_64-linux-gnu/config.c',
  ],
  headers: [
    'include/python3.12/cpython/descrobject.h',
    'include/aws/s3/model/MetadataEntry.h',
    'include/grpc++/impl/codegen/status_code_enum.h',
    'lib/python3.10/site-packages/numpy/core/include/numpy/ndarraytypes.h',
    'lib/python3.10/site-packages/sklearn/utils/_typedefs.pxd',
  ],
  'static-libs': ['lib/libQt6ExampleIcons.a', 'lib/liblber.a', 'lib/python3.10/site-packages/numpy/core/lib/libnpymath.a', 'lib/python3.10/config-3.10-x86_64-linux-gnu/libpython3.10.a'],
  'build-files': ['lib/pkgconfig/absl_time_zone.pc', 'lib/cmake/Qhull/QhullConfig.cmake', 'lib/libgfortran.la', 'lib/python3.10/config-3.10-x86_64-linux-gnu/Makefile', 'share/aclocal/libtool.m4'],
  bytecode: ['lib/python3.10/site-packages/mdit_py_plugins/footnote/__pycache__/index.cpython-310.pyc', 'lib/python3.10/site-packages/pip/_internal/network/__pycache__/session.cpython-310.pyc'],
  docs: [
    'share/doc/gettext/examples/hello-c-gnome3/INSTALL',
    'share/man/man3/ares_svcb_param_t.3',
    'share/doc/pcre2/html/pcre2jit.html',
    'share/info/libgomp.info',
    'man/man1/bzip2.1',
    'lib/python3.10/site-packages/statsmodels/sandbox/distributions/examples/ex_mvelliptical.py',
    'lib/python3.10/site-packages/notebook/README.md',
  ],
  sourcemaps: [
    'share/jupyter/nbextensions/jupyter-js-widgets/extension.js.map',
    'lib/python3.10/site-packages/streamlit/static/static/js/index.CJHJlg0z.js.map',
    'share/jupyter/labextensions/anywidget/static/main.921b5eef.js.map',
  ],
  sanitizers: ['lib/libasan.so', 'lib/libubsan.so.1', 'lib/libtsan.so.2.0.0', 'lib/liblsan.so.0.0.0', 'lib/libhwasan.so.0'],
  tools: ['bin/xml2-config', 'bin/freetype-config', 'bin/python3.12-config', 'bin/2to3-3.10', 'libexec/gcc/x86_64-conda-linux-gnu/13.2.0/cc1'],
  metadata: [
    'lib/python3.10/site-packages/cycler-0.12.1.dist-info/LICENSE',
    'lib/python3.10/site-packages/PySocks-1.7.1.dist-info/METADATA',
    'share/doc/arrow/LICENSE.txt',
    'share/licenses/libstdc++/RUNTIME.LIBRARY.EXCEPTION',
    'conda-meta/history',
  ],
  runtime: [
    'lib/libglog.so.0.6.0',
    'lib/libssl.so',
    'lib/graphviz/libgvplugin_gd.so.6.0.0',
    'share/terminfo/p/putty-screen',
    'lib/python3.10/site-packages/numpy/testing/_private/utils.py',
    'lib/python3.10/site-packages/pandas/_testing/asserters.py',
    'lib/perl5/core_perl/CPAN/Meta/History.pm',
    'lib/python3.10/site-packages/statsmodels/tsa/statespace/news.py',
    'lib/python3.10/unittest/case.py',
    'bin/python3.10',
    'ssl/cacert.pem',
  ],
};

describe('classifyPath on real corpus paths', () => {
  for (const [category, paths] of Object.entries(cases)) {
    it(`tells ${category}`, () => {
      expect(Object.fromEntries(paths.map((path) => [path, classifyPath(path)]))).toEqual(Object.fromEntries(paths.map((path) => [path, category])));
    });
  }

  it('leaves files in executable folders to their first bytes, and only those', () => {
    for (const path of ['bin/tput', 'bin/shiboken6', 'bin/autopoint', 'bin/bzfgrep', 'lib/python3.10/site-packages/ninja/data/bin/ninja']) expect(classifyPath(path), path).toBe('sniff');
    for (const path of ['share/terminfo/x/xterm', 'lib/libz.so.1', 'bin/python3.10']) expect(classifyPath(path), path).not.toBe('sniff');
  });
});

describe('the ELF sniff', () => {
  const work = mkdtempSync(join(tmpdir(), 'conda-prune-sniff-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('calls ELF executables tools and scripts runtime', () => {
    // The node binary running this test is a real ELF executable.
    expect(classifyByContent(process.execPath)).toBe('tools');
    const script = join(work, 'gunicorn');
    writeFileSync(script, '#!/opt/env/bin/python3.11\nfrom gunicorn.app.wsgiapp import run\nrun()\n');
    expect(classifyByContent(script)).toBe('runtime');
  });

  it('reads short, empty and missing files without failing', () => {
    const empty = join(work, 'empty');
    writeFileSync(empty, '');
    expect(classifyByContent(empty)).toBe('runtime');
    expect(classifyByContent(join(work, 'missing'))).toBe('runtime');
    expect(classifyFirstBytes(Uint8Array.from([0x7f, 0x45, 0x4c]))).toBe('runtime');
    expect(classifyFirstBytes(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46]))).toBe('tools');
  });
});
