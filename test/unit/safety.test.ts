/**
 * The pure parts of the safety layer: which paths may be ELF, where the loader searches, and the
 * error a refused run throws.
 */
import { describe, expect, it } from 'vitest';
import type { ElfDynamicInfo } from '../../src/elf.ts';
import { isSharedObjectName, mayBeElf } from '../../src/safety/elf-candidates.ts';
import { createLoaderSearch } from '../../src/safety/loader-search.ts';
import { createSafetyError, toIssue } from '../../src/safety/safety-error.ts';
import type { SafetyViolation } from '../../src/safety/types.ts';

describe('isSharedObjectName', () => {
  it.each([
    ['lib/libz.so', true],
    ['lib/libz.so.1', true],
    ['lib/libz.so.1.3.1', true],
    ['lib/python3.11/site-packages/numpy/core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so', true],
    ['lib/libopenblasp-r0.3.21.so', true],
    ['share/gdb/auto-load/lib/libstdc++.so.6.0.30-gdb.py', false],
    ['lib/libz.a', false],
    ['lib/libz.so.1.x', false],
    ['lib/python3.11/site-packages/some.sound', false],
  ])('%s → %s', (path, expected) => {
    expect(isSharedObjectName(path)).toBe(expected);
  });
});

describe('mayBeElf', () => {
  it.each([
    ['lib/libz.so.1', true],
    ['bin/python3.11', true],
    ['bin/conda-prune', true],
    ['libexec/gcc/cc1', true],
    ['lib/node_modules/x/build/Release/addon.node', true],
    ['lib/python3.11/site-packages/ninja/data/bin/ninja', true],
    ['share/terminfo/x/xterm', false],
    ['share/lib/libfoo.so', true],
    ['bin/2to3.py', false],
    ['bin/activate.sh', false],
    ['lib/python3.11/os.py', false],
    ['lib/python3.11/__pycache__/os.cpython-311.pyc', false],
    ['lib/python3.11/site-packages/numpy-1.26.4.dist-info/RECORD', false],
    ['lib/libz.a', false],
    ['lib/pkgconfig/zlib.pc', false],
    ['include/zlib.h', false],
    ['conda-meta/history', false],
    ['lib/python3.11/site-packages/scipy/io/tests/data/test.mat', false],
  ])('%s → %s', (path, expected) => {
    expect(mayBeElf(path)).toBe(expected);
  });
});

describe('the loader search directories', () => {
  const prefix = '/opt/conda';
  const search = createLoaderSearch({
    prefix,
    realPrefix: '/data/conda',
    // Every directory is taken to lie inside, as itself: no disk is read.
    resolveDirectory: (directory) => ({ kind: 'inside', real: directory === '' ? '/data/conda' : `/data/conda/${directory}` }),
    removedBySoname: new Map(),
  });
  const info = (fields: Partial<ElfDynamicInfo>): ElfDynamicInfo => ({ class: 64, endianness: 'little', type: 'shared', machine: 62, needed: [], rpath: [], runpath: [], ...fields });

  it('expands $ORIGIN against the needing file and ends with the prefix lib/', () => {
    expect(search.directoriesFor(info({ rpath: ['$ORIGIN/../lib', '$ORIGIN'] }), 'bin/python3.11')).toEqual(['lib', 'bin']);
    expect(search.directoriesFor(info({ rpath: ['$ORIGIN/.libs'] }), 'lib/python3.11/site-packages/pkg/_ext.so')).toEqual(['lib/python3.11/site-packages/pkg/.libs', 'lib']);
  });

  it('prefers RUNPATH over RPATH, as the loader does', () => {
    expect(search.directoriesFor(info({ rpath: ['$ORIGIN/rpath'], runpath: ['$ORIGIN/runpath'] }), 'lib/x.so')).toEqual(['lib/runpath', 'lib']);
  });

  it('maps absolute entries under the prefix or its real path, and drops everything outside', () => {
    const dirs = search.directoriesFor(info({ rpath: ['/opt/conda/lib/extra', '/data/conda/lib64', '/usr/lib/x86_64-linux-gnu', '$ORIGIN/../../..', '$PLATFORM/lib'] }), 'lib/x.so');
    expect(dirs).toEqual(['lib/extra', 'lib64', 'lib']);
  });

  it('searches both spellings of $LIB', () => {
    expect(search.directoriesFor(info({ runpath: ['$ORIGIN/../$LIB'] }), 'bin/tool')).toEqual(['lib', 'lib64']);
  });
});

describe('createSafetyError', () => {
  const violations: SafetyViolation[] = [
    { code: 'CP_SAFETY_PATH_UNSAFE', severity: 'refuse', path: '../etc/passwd', location: 'entries[0]', message: 'entries[0] "../etc/passwd" climbs out with ..' },
    { code: 'CP_SAFETY_STALE_MISSING', severity: 'stale', path: 'lib/a.so', location: 'entries[1]', message: 'entries[1] lib/a.so is gone since the plan was made' },
  ];

  it('sums every violation up as CP_SAFETY_REFUSED, exit code 3, one issue each', () => {
    const error = createSafetyError(violations, '/opt/conda');
    expect([error.code, error.exitCode]).toEqual(['CP_SAFETY_REFUSED', 3]);
    expect(error.message).toBe('refused to prune /opt/conda: 2 safety violations; nothing was touched');
    expect(error.hint).toMatch(/fix or remove the profile rules/);
    expect(createSafetyError(violations.slice(1), '/opt/conda').hint).toMatch(/make a new plan/);
    expect(error.toJSON()).toMatchObject({ code: 'CP_SAFETY_REFUSED', issues: violations.map(toIssue) });
    expect(toIssue(violations[0] as SafetyViolation)).toEqual({ file: '../etc/passwd', path: 'entries[0]', message: 'CP_SAFETY_PATH_UNSAFE: entries[0] "../etc/passwd" climbs out with ..' });
  });

  it('names the one violation in the message when there is one', () => {
    const prefix: SafetyViolation = { code: 'CP_SAFETY_PREFIX_ROOT', severity: 'refuse', path: '/', location: 'prefix', message: 'prefix / is the filesystem root' };
    const error = createSafetyError([prefix], '/');
    expect(error.message).toBe('refused to prune /: prefix / is the filesystem root; nothing was touched');
    expect(error.hint).toMatch(/point at the environment itself/);
  });
});
