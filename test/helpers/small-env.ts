/**
 * A small conda environment on disk for integration and end-to-end tests: python with its test
 * suite and static libpython, scipy with tests, libsanitizer, a file two packages share, a file
 * changed after install and one that is gone. Written in the chosen installer's schema.
 */
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeCondaRecords, type FixturePackage, type FixtureWriter } from '../../fixtures/lib/conda-records.ts';

/** site-packages of the small env's python 3.11. */
export const sp = 'lib/python3.11/site-packages';

/** Writes a file of `size` bytes, creating its directories. */
export function put(prefix: string, path: string, size: number): void {
  mkdirSync(dirname(join(prefix, path)), { recursive: true });
  writeFileSync(join(prefix, path), Buffer.alloc(size, path.length % 251));
}

/** Tracks temp directories and removes them; call `cleanup` from afterEach. */
export function createTempDirectories(): { make(label: string): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make(label) {
      const directory = mkdtempSync(join(tmpdir(), `conda-prune-${label}-`));
      made.push(directory);
      return directory;
    },
    cleanup() {
      for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Lays out the small env in `prefix`. */
export async function writeSmallEnvironment(prefix: string, writer: FixtureWriter): Promise<void> {

  const sizes: Record<string, number> = {
    'bin/python3.11': 4000,
    'lib/python3.11/os.py': 300,
    'lib/python3.11/test/__init__.py': 0,
    'lib/python3.11/test/test_os.py': 900,
    'lib/python3.11/test/support/__init__.py': 700,
    'lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a': 50_000,
    [`${sp}/scipy/__init__.py`]: 100,
    [`${sp}/scipy/_lib/_testutils.py`]: 120,
    [`${sp}/scipy/stats/__init__.py`]: 80,
    [`${sp}/scipy/stats/tests/__init__.py`]: 0,
    [`${sp}/scipy/stats/tests/test_stats.py`]: 2000,
    [`${sp}/scipy/stats/tests/data/table.dat`]: 3000,
    [`${sp}/scipy/linalg/tests/test_blas.py`]: 1500,
    [`${sp}/scipy/linalg/tests/LICENSE.txt`]: 50,
    [`${sp}/scipy/linalg/__init__.py`]: 90,
    [`${sp}/scipy-1.9.3.dist-info/METADATA`]: 400,
    'lib/libasan.so.8.0.0': 9000,
    'lib/libshared.a': 700,
    [`${sp}/six.py`]: 600,
  };
  for (const [path, size] of Object.entries(sizes)) put(prefix, path, size);
  symlinkSync('libasan.so.8.0.0', join(prefix, 'lib/libasan.so.8'));
  symlinkSync('python3.11', join(prefix, 'bin/python3'));
  // Two names for one inode: removing both frees its bytes once.
  linkSync(join(prefix, `${sp}/scipy/stats/tests/data/table.dat`), join(prefix, `${sp}/scipy/stats/tests/data/table-copy.dat`));

  const packages: FixturePackage[] = [
    {
      name: 'python',
      version: '3.11.7',
      build: 'h0_cpython',
      files: ['bin/python3.11', { path: 'bin/python3', type: 'softlink' }, 'lib/python3.11/os.py', 'lib/python3.11/test/__init__.py', 'lib/python3.11/test/test_os.py', 'lib/python3.11/test/support/__init__.py', 'lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a', 'lib/libshared.a'],
    },
    {
      name: 'scipy',
      version: '1.9.3',
      build: 'py311h0_0',
      files: [
        `${sp}/scipy/__init__.py`,
        `${sp}/scipy/_lib/_testutils.py`,
        `${sp}/scipy/stats/__init__.py`,
        `${sp}/scipy/stats/tests/__init__.py`,
        `${sp}/scipy/stats/tests/test_stats.py`,
        `${sp}/scipy/stats/tests/test_gone.py`,
        `${sp}/scipy/stats/tests/data/table.dat`,
        `${sp}/scipy/stats/tests/data/table-copy.dat`,
        `${sp}/scipy/linalg/tests/test_blas.py`,
        `${sp}/scipy/linalg/tests/LICENSE.txt`,
        `${sp}/scipy/linalg/__init__.py`,
        `${sp}/scipy-1.9.3.dist-info/METADATA`,
      ],
    },
    { name: 'libsanitizer', version: '13.2.0', build: 'h0_3', files: ['lib/libasan.so.8.0.0', { path: 'lib/libasan.so.8', type: 'softlink' }] },
    { name: 'libother', version: '1.0', build: 'h0_0', files: ['lib/libshared.a'] },
    { name: 'six', version: '1.16.0', build: 'pyhd8ed1ab_0', noarch: 'python', files: [`${sp}/six.py`] },
  ];
  // test_gone.py is listed but never written: the record claims a file that is not there.
  put(prefix, `${sp}/scipy/stats/tests/test_gone.py`, 10);
  await writeCondaRecords(prefix, packages, { writer, pythonVersion: '3.11' });
  unlinkSync(join(prefix, `${sp}/scipy/stats/tests/test_gone.py`));
  // Changed after install: its size no longer matches the record.
  writeFileSync(join(prefix, `${sp}/scipy/linalg/tests/test_blas.py`), 'patched locally');
}
