/**
 * Which modules verify imports, decided from the files each package's record lists.
 */
import { describe, expect, it } from 'vitest';
import type { Environment, Package } from '../../src/environment/types.ts';
import { discoverModules } from '../../src/verify/discover-modules.ts';

const sp = 'lib/python3.11/site-packages';

function pkg(name: string, paths: string[]): Package {
  const files = paths.map((path) => ({ path, pathType: 'hardlink' as const }));
  return { name, version: '1.0', build: 'py311_0', channel: 'conda-forge', source: 'conda', recordPath: `conda-meta/${name}-1.0-py311_0.json`, paths, files, fileAt: (index) => files[index]! };
}

function environment(packages: Package[], python = true): Environment {
  const env: Environment = { prefix: '/env', realPrefix: '/env', packages, problems: [], owners: new Map(), sharedOwners: new Map() };
  if (python) env.python = { version: '3.11.7', sitePackages: sp, stdlib: 'lib/python3.11', executable: 'bin/python3.11' };
  return env;
}

function discover(packages: Package[], texts: Record<string, string> = {}): string[] {
  return discoverModules(environment(packages), { readText: (path) => texts[path] }).map((found) => found.module);
}

describe('discoverModules', () => {
  it('finds packages with __init__.py, single-file modules and extension modules of this python', () => {
    const modules = discover([
      pkg('requests', [`${sp}/requests/__init__.py`, `${sp}/requests/api.py`, `${sp}/requests-2.31.0.dist-info/METADATA`]),
      pkg('six', [`${sp}/six.py`, `${sp}/__pycache__/six.cpython-311.pyc`]),
      pkg('cffi', [`${sp}/_cffi_backend.cpython-311-x86_64-linux-gnu.so`, `${sp}/cffi/__init__.py`]),
      pkg('brotli', [`${sp}/_brotli.abi3.so`, `${sp}/brotli.py`]),
      pkg('stale', [`${sp}/old.cpython-310-x86_64-linux-gnu.so`, `${sp}/libhelper.so`, `${sp}/orphan.pyc`]),
      pkg('cext', [`${sp}/fastmod/__init__.cpython-311-x86_64-linux-gnu.so`]),
    ]);
    expect(modules).toEqual(['_brotli', '_cffi_backend', 'brotli', 'cffi', 'fastmod', 'requests', 'six']);
  });

  it('names the package each module came from, the first one when two provide it', () => {
    const found = discoverModules(
      environment([pkg('pyyaml', [`${sp}/yaml/__init__.py`, `${sp}/_yaml/__init__.py`]), pkg('ruamel-fork', [`${sp}/yaml/__init__.py`])]),
      { readText: () => undefined },
    );
    expect(found).toEqual([
      { module: '_yaml', package: 'pyyaml' },
      { module: 'yaml', package: 'pyyaml' },
    ]);
  });

  it('discovers the packages inside a PEP 420 namespace instead of the bare namespace', () => {
    const modules = discover([
      pkg('protobuf', [`${sp}/google/protobuf/__init__.py`, `${sp}/google/protobuf/message.py`, `${sp}/google/_upb/_message.abi3.so`]),
      pkg('matplotlib', [`${sp}/matplotlib/__init__.py`, `${sp}/mpl_toolkits/mplot3d/__init__.py`, `${sp}/mpl_toolkits/axes_grid1/__init__.py`, `${sp}/pylab.py`]),
      pkg('deep', [`${sp}/a/b/c/d/e/__init__.py`]),
    ]);
    expect(modules).toEqual(['google._upb._message', 'google.protobuf', 'matplotlib', 'mpl_toolkits.axes_grid1', 'mpl_toolkits.mplot3d', 'pylab']);
  });

  it('leaves out test suites, build scripts and dunder names shipped at the top level', () => {
    const modules = discover([
      pkg('sloppy', [
        `${sp}/sloppy/__init__.py`,
        `${sp}/sloppy/testing/__init__.py`,
        `${sp}/tests/__init__.py`,
        `${sp}/test/__init__.py`,
        `${sp}/testing/__init__.py`,
        `${sp}/conftest.py`,
        `${sp}/setup.py`,
        `${sp}/docs/conf.py`,
        `${sp}/examples/demo.py`,
        `${sp}/__pycache__/setup.cpython-311.pyc`,
        `${sp}/__editable___sloppy_finder.py`,
        `${sp}/__init__.py`,
      ]),
    ]);
    expect(modules).toEqual(['sloppy']);
  });

  it('leaves out modules that need a display, and keeps single-underscore modules and .pth helpers', () => {
    const modules = discover([
      pkg('gui', [`${sp}/pyautogui/__init__.py`, `${sp}/pynput/__init__.py`, `${sp}/mouseinfo/__init__.py`, `${sp}/tkinter/__init__.py`, `${sp}/viewer_tk.py`]),
      pkg('setuptools', [`${sp}/_distutils_hack/__init__.py`, `${sp}/distutils-precedence.pth`, `${sp}/setuptools/__init__.py`, `${sp}/pkg_resources/__init__.py`]),
    ]);
    expect(modules).toEqual(['_distutils_hack', 'pkg_resources', 'setuptools']);
  });

  it('reads nothing outside site-packages: the stdlib, scripts and data stay out', () => {
    const modules = discover([
      pkg('python', ['bin/python3.11', 'lib/python3.11/os.py', 'lib/python3.11/json/__init__.py', 'lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so', `${sp}/README.txt`]),
      pkg('numpy', [`${sp}/numpy/__init__.py`, `${sp}/numpy.libs/libgfortran-abc.so.5`, `${sp}/numpy-1.26.4.dist-info/RECORD`, 'bin/f2py']),
    ]);
    expect(modules).toEqual(['numpy']);
  });

  it('takes from top_level.txt only names that a file of the package backs, and only top-level ones', () => {
    const texts = {
      [`${sp}/setuptools-66.1.1.egg-info/top_level.txt`]: '_distutils_hack\ndebian\npkg_resources\nsetuptools\n',
      [`${sp}/uvicorn-0.17.6.egg-info/top_level.txt`]: 'uvicorn\nuvicorn/loops\n',
      [`${sp}/plain-1.0.dist-info/top_level.txt`]: 'plain\nsourceless\nlegacy\n',
    };
    const modules = discover(
      [
        pkg('setuptools', [`${sp}/setuptools-66.1.1.egg-info/top_level.txt`, `${sp}/setuptools/__init__.py`, `${sp}/pkg_resources/__init__.py`, `${sp}/_distutils_hack/__init__.py`]),
        pkg('uvicorn', [`${sp}/uvicorn-0.17.6.egg-info/top_level.txt`, `${sp}/uvicorn/__init__.py`, `${sp}/uvicorn/loops/__init__.py`]),
        // An untagged .so, a lone .pyc and a sourceless package count only because top_level.txt names them.
        pkg('plain', [`${sp}/plain-1.0.dist-info/top_level.txt`, `${sp}/plain.so`, `${sp}/sourceless.pyc`, `${sp}/legacy/__init__.pyc`, `${sp}/unnamed.so`]),
      ],
      texts,
    );
    expect(modules).toEqual(['_distutils_hack', 'legacy', 'pkg_resources', 'plain', 'setuptools', 'sourceless', 'uvicorn']);
  });

  it('finds nothing in an env without python', () => {
    expect(discoverModules(environment([pkg('six', [`${sp}/six.py`])], false))).toEqual([]);
  });
});
