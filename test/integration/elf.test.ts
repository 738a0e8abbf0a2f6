import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readElfDynamicInfo } from '../../src/elf.ts';
import type { ElfDynamicInfo } from '../../src/elf.ts';

// Every expectation here comes from GNU readelf on the same file, so the reader is checked
// against an independent implementation on this machine's real binaries.

function which(tool: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const hasReadelf = which('readelf') !== undefined;
const hasBinutils = hasReadelf && which('as') !== undefined && which('ld') !== undefined;
const LIBDIR = '/usr/lib/x86_64-linux-gnu';

type Expected = Omit<ElfDynamicInfo, 'machine' | 'problem'>;

/** Runs readelf once over many files and returns what it says about each ELF among them. */
function readelfBatch(paths: string[]): Map<string, Expected> {
  const out = spawnSync('readelf', ['-h', '-l', '-d', '-W', ...paths], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
    maxBuffer: 1 << 28,
  }).stdout;
  // With several files readelf starts each one with "File: <path>"; with one it does not.
  const chunks = paths.length === 1 ? [[paths[0] ?? '', out] as const] : out.split(/^File: /m).slice(1).map((chunk) => {
    const newline = chunk.indexOf('\n');
    return [chunk.slice(0, newline), chunk.slice(newline)] as const;
  });
  const results = new Map<string, Expected>();
  for (const [path, text] of chunks) {
    const elfClass = /^\s*Class:\s+ELF(32|64)$/m.exec(text)?.[1];
    if (elfClass === undefined) continue;
    const typeText = /^\s*Type:\s+(\w+)(.*)$/m.exec(text);
    const expected: Expected = {
      class: elfClass === '32' ? 32 : 64,
      endianness: /^\s*Data:.*little endian$/m.test(text) ? 'little' : 'big',
      type: readelfType(typeText?.[1], typeText?.[2] ?? ''),
      needed: [],
      rpath: [],
      runpath: [],
    };
    const interpreter = /\[Requesting program interpreter: (.*)\]$/m.exec(text)?.[1];
    if (interpreter !== undefined) expected.interpreter = interpreter;
    for (const [, tag, value = ''] of text.matchAll(/\((NEEDED|SONAME|RPATH|RUNPATH)\)\s+[^[]*\[(.*)\]$/gm)) {
      if (tag === 'NEEDED') expected.needed.push(value);
      else if (tag === 'SONAME') expected.soname = value;
      else (tag === 'RPATH' ? expected.rpath : expected.runpath).push(...value.split(':').filter((entry) => entry !== ''));
    }
    results.set(path, expected);
  }
  return results;
}

function readelfType(type: string | undefined, detail: string): ElfDynamicInfo['type'] {
  if (type === 'EXEC' || (type === 'DYN' && detail.includes('Position-Independent'))) return 'executable';
  if (type === 'DYN') return 'shared';
  if (type === 'REL') return 'relocatable';
  if (type === 'CORE') return 'core';
  return 'other';
}

async function expectLikeReadelf(path: string): Promise<ElfDynamicInfo> {
  const expected = readelfBatch([path]).get(path);
  expect(expected, `readelf does not see ${path} as ELF`).toBeDefined();
  const info = await readElfDynamicInfo(path);
  expect(info).toMatchObject({ ...expected });
  expect(info?.problem).toBeUndefined();
  expect(info?.soname).toBe(expected?.soname);
  expect(info?.interpreter).toBe(expected?.interpreter);
  return info as ElfDynamicInfo;
}

function existing(...paths: string[]): string[] {
  return paths.filter((path) => existsSync(path));
}

describe.skipIf(!hasReadelf)('readElfDynamicInfo on this machine (readelf is required)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'conda-prune-elf-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads libc.so.6 and libstdc++.so.6 like readelf', async () => {
    const libc = await expectLikeReadelf(`${LIBDIR}/libc.so.6`);
    expect(libc).toMatchObject({ class: 64, endianness: 'little', type: 'shared', machine: 62, soname: 'libc.so.6' });
    const libstdcxx = await expectLikeReadelf(`${LIBDIR}/libstdc++.so.6`);
    expect(libstdcxx.soname).toBe('libstdc++.so.6');
    expect(libstdcxx.needed).toContain('libc.so.6');
  });

  const pythons = existing(
    '/usr/bin/python3.11',
    '/root/.pyenv/versions/3.11.7/bin/python3.11',
    ...(which('python3') === undefined ? [] : [realpathSync(which('python3') ?? '')]),
  );
  it.each(pythons)('reads the python interpreter %s like readelf (or returns null for a shim script)', async (path) => {
    if (readFileSync(path).subarray(0, 4).toString('latin1') !== '\x7fELF') {
      expect(await readElfDynamicInfo(path)).toBeNull();
      return;
    }
    const info = await expectLikeReadelf(path);
    expect(info.type).toBe('executable');
    expect(info.interpreter).toMatch(/ld-linux/);
  });

  it('reads a binary with RPATH and one with RUNPATH like readelf', async (context) => {
    const candidates = existing(
      '/root/.pyenv/versions/3.11.7/bin/python3.11',
      ...['numpy/linalg/lapack_lite', 'numpy/_core/_multiarray_umath', 'numpy/core/_multiarray_umath']
        .map((module) => `/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/${module}.cpython-311-x86_64-linux-gnu.so`),
    );
    const expected = readelfBatch(candidates);
    const withRpath = candidates.find((path) => (expected.get(path)?.rpath.length ?? 0) > 0);
    const withRunpath = candidates.find((path) => (expected.get(path)?.runpath.length ?? 0) > 0);
    if (withRpath === undefined || withRunpath === undefined) {
      context.skip('no file with DT_RPATH and DT_RUNPATH among the known candidates on this machine');
      return;
    }
    expect((await expectLikeReadelf(withRpath)).rpath.some((entry) => entry.includes('$ORIGIN'))).toBe(true);
    expect((await expectLikeReadelf(withRunpath)).runpath.length).toBeGreaterThan(0);
  });

  it('agrees with readelf on every shared library in the system library directory', async () => {
    const paths = readdirSync(LIBDIR, { withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.so(\.|$)/.test(entry.name))
      .map((entry) => join(LIBDIR, entry.name));
    const expected = readelfBatch(paths);
    expect(expected.size).toBeGreaterThan(50);
    for (const path of paths) {
      const info = await readElfDynamicInfo(path);
      const want = expected.get(path);
      if (want === undefined) {
        // Linker scripts such as libc.so are text, not ELF.
        expect(info, path).toBeNull();
        continue;
      }
      expect(info, path).toMatchObject({ ...want });
      expect(info?.soname, path).toBe(want.soname);
      expect(info?.interpreter, path).toBe(want.interpreter);
      expect(info?.problem, path).toBeUndefined();
    }
  });

  it('returns null for a static archive, a linker script and a text file', async () => {
    for (const archive of existing(`${LIBDIR}/libc.a`, `${LIBDIR}/libm.a`)) expect(await readElfDynamicInfo(archive)).toBeNull();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a library\n');
    expect(await readElfDynamicInfo(text)).toBeNull();
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    expect(await readElfDynamicInfo(empty)).toBeNull();
  });

  it('reports a problem, without throwing, for a truncated copy of a real library', async () => {
    const bytes = readFileSync(`${LIBDIR}/libstdc++.so.6`);
    for (const fraction of [0.001, 0.01, 0.5, 0.99]) {
      const path = join(dir, `truncated-${fraction}.so`);
      writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * fraction)));
      const info = await readElfDynamicInfo(path);
      expect(info?.problem, `cut at ${fraction}`).toMatch(/past the end of the file/);
    }
  });

  it('returns null for a FIFO, without waiting for a writer, and for a directory', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(await readElfDynamicInfo(fifo)).toBeNull();
    expect(await readElfDynamicInfo(dir)).toBeNull();
  });

  it('rejects a missing file with its error code', async () => {
    await expect(readElfDynamicInfo(join(dir, 'missing.so'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads a copied library the same as the original', async () => {
    const copy = join(dir, 'libz-copy.so');
    const source = existing(`${LIBDIR}/libz.so.1`, `${LIBDIR}/libc.so.6`)[0] ?? `${LIBDIR}/libc.so.6`;
    copyFileSync(source, copy);
    expect(await readElfDynamicInfo(copy)).toEqual(await readElfDynamicInfo(source));
  });
});

describe.skipIf(!hasBinutils)('readElfDynamicInfo on ELF32 files linked here (as and ld are required)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'conda-prune-elf32-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  // i386 and x32 are the two 32-bit ELF targets the stock x86-64 binutils can write.
  it.each([
    { name: 'i386', asFlag: '--32', emulation: 'elf_i386', machine: 3 },
    { name: 'x32', asFlag: '--x32', emulation: 'elf32_x86_64', machine: 62 },
  ])('reads $name libraries and executables like readelf', async ({ name, asFlag, emulation, machine }) => {
    const run = (tool: string, args: string[]): void => {
      execFileSync(tool, args, { cwd: dir, stdio: 'pipe' });
    };
    writeFileSync(join(dir, 'a.s'), '.globl _start\n.text\n_start:\n  ret\n');
    run('as', [asFlag, '-o', `${name}.o`, 'a.s']);
    run('ld', ['-m', emulation, '-shared', '-soname', `libdep-${name}.so.1`, '-o', `libdep-${name}.so`, `${name}.o`]);
    run('ld', ['-m', emulation, '-shared', '-soname', `libuse-${name}.so.2`, '--disable-new-dtags',
      '-rpath', '$ORIGIN/../lib:/opt/x', '-o', `libuse-${name}.so`, `${name}.o`, '-L.', `-ldep-${name}`]);
    run('ld', ['-m', emulation, '-dynamic-linker', '/lib/ld-test.so.1', '--enable-new-dtags', '-rpath', '${ORIGIN}/lib',
      '-o', `prog-${name}`, `${name}.o`, '-L.', `-ldep-${name}`]);

    const library = await expectLikeReadelf(join(dir, `libuse-${name}.so`));
    expect(library).toMatchObject({
      class: 32, endianness: 'little', type: 'shared', machine,
      soname: `libuse-${name}.so.2`, needed: [`libdep-${name}.so.1`], rpath: ['$ORIGIN/../lib', '/opt/x'], runpath: [],
    });
    const program = await expectLikeReadelf(join(dir, `prog-${name}`));
    expect(program).toMatchObject({ class: 32, type: 'executable', interpreter: '/lib/ld-test.so.1', runpath: ['${ORIGIN}/lib'] });
  });
});

describe('ELF files rewritten by patchelf', () => {
  it('reads a string table that runs on into the next PT_LOAD segment', async () => {
    // patchelf, as conda-build and the python fixture use it, can leave .dynstr crossing from one
    // PT_LOAD segment into the next one that follows it directly in memory and in the file.
    const python = realpathSync('/usr/bin/python3.11');
    if (spawnSync('patchelf', ['--version']).status !== 0) return expect.soft(true, 'patchelf is not installed').toBe(true);
    const directory = mkdtempSync(join(tmpdir(), 'elf-patchelf-'));
    try {
      const copy = join(directory, 'python3.11');
      copyFileSync(python, copy);
      execFileSync('patchelf', ['--force-rpath', '--set-rpath', '$ORIGIN/../lib', copy]);
      const expected = readelfBatch([copy]).get(copy);
      const actual = await readElfDynamicInfo(copy);
      expect(actual?.problem).toBeUndefined();
      expect(actual?.needed).toEqual(expected?.needed);
      expect(actual?.rpath).toEqual(['$ORIGIN/../lib']);
      expect(actual?.needed.length).toBeGreaterThan(1);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
