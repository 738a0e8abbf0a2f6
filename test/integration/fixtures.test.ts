/*
 * The fixture generators must write records in each installer's real shape (see the schema table
 * in shared/corpus/README.md) and must tell the truth about the files on disk. Expected values
 * here are computed independently (node:crypto over readFileSync, readlinkSync), never taken from
 * the generators.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvironment, type EnvironmentSpec } from '../../fixtures/lib/build-env.ts';
import type { FixtureWriter } from '../../fixtures/lib/conda-records.ts';
import { digestFiles } from '../../fixtures/lib/file-digest.ts';
import { generateDemo } from '../../fixtures/demo.ts';

type Entry = Record<string, string | number>;
interface CondaRecord {
  [key: string]: unknown;
  files: string[];
  paths_data: { paths: Entry[]; paths_version: number };
}

const SP = 'lib/python3.11/site-packages';
const EMPTY_SHA = createHash('sha256').update('').digest('hex');
const writers: FixtureWriter[] = ['conda', 'libmamba', 'rattler'];

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'conda-prune-fixtures-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function spec(writer: FixtureWriter, extra: Partial<EnvironmentSpec> = {}): EnvironmentSpec {
  return {
    writer,
    packages: [
      {
        name: 'python', version: '3.11.11', build: 'h9e4cc4f_1_cpython', requestedSpec: 'python=3.11',
        files: [
          { path: 'bin/python3.11', size: 200_000 },
          { path: 'bin/python3', link: 'python3.11' },
          { path: 'bin/python3.11-config', content: '#!/bin/sh\nprefix="{{PREFIX}}"\necho "$prefix"\n', fileMode: 'text' },
          { path: 'lib/python3.1', link: 'python3.11' },
          { path: 'lib/python3.11/os.py', size: 39_530 },
          { path: 'lib/python3.11/email/mime/__init__.py' },
          { path: 'lib/python3.11/__pycache__/os.cpython-311.pyc', size: 49_278 },
          { path: `${SP}/README.txt`, size: 119 },
        ],
      },
      {
        name: 'six', version: '1.16.0', build: 'pyhd8ed1ab_0', noarch: 'python',
        files: [
          { path: `${SP}/six.py`, size: 34_549 },
          { path: `${SP}/six-1.16.0.dist-info/INSTALLER`, content: 'conda' },
          { path: 'bin/six-tool', content: '#!/usr/bin/env python\n' },
          { path: `${SP}/__pycache__/six.cpython-311.pyc`, size: 41_000, type: 'pyc_file' },
          { path: 'bin/six-entry', content: '#!{{PREFIX}}/bin/python3.11\nimport six\n', type: 'unix_python_entry_point' },
        ],
      },
      { name: 'tzdata', version: '2024b', build: 'hc8b5060_0', noarch: 'generic', files: [{ path: 'share/zoneinfo/UTC', size: 114 }] },
    ],
    pip: [
      {
        name: 'tiny-pkg', version: '0.1.0',
        files: [
          { path: 'tiny_pkg/__init__.py', size: 1_200 },
          { path: 'tiny_pkg/__pycache__/__init__.cpython-311.pyc', size: 900 },
          { path: '../../../bin/tiny', content: '#!{{PREFIX}}/bin/python3.11\n' },
        ],
      },
    ],
    unowned: [{ path: 'lib/python3.11/__pycache__/os.cpython-311.opt-1.pyc', size: 49_000 }],
    ...extra,
  };
}

interface Built {
  prefix: string;
  raw: Map<string, string>;
  records: Map<string, CondaRecord>;
}

async function build(name: string, envSpec: EnvironmentSpec): Promise<Built> {
  const created = await createEnvironment(join(root, name), envSpec);
  const raw = new Map<string, string>();
  const records = new Map<string, CondaRecord>();
  for (const path of created.records) {
    const text = readFileSync(path, 'utf8');
    const record = JSON.parse(text) as CondaRecord;
    raw.set(record.name as string, text);
    records.set(record.name as string, record);
  }
  return { prefix: created.prefix, raw, records };
}

function record(built: Built, name: string): CondaRecord {
  const found = built.records.get(name);
  if (found === undefined) throw new Error(`no record for ${name}`);
  return found;
}

function entry(rec: CondaRecord, path: string): Entry {
  const found = rec.paths_data.paths.find((item) => item._path === path);
  if (found === undefined) throw new Error(`no paths_data entry ${path}`);
  return found;
}

const built = new Map<FixtureWriter, Built>();

beforeAll(async () => {
  for (const writer of writers) built.set(writer, await build(writer, spec(writer)));
});

function env(writer: FixtureWriter): Built {
  const found = built.get(writer);
  if (found === undefined) throw new Error(`env for ${writer} was not built`);
  return found;
}

describe('record layout per writer', () => {
  it.each([
    ['conda', 2],
    ['libmamba', 4],
    ['rattler', 2],
  ] as const)('%s indents by %i and ends without a newline', (writer, indent) => {
    const text = env(writer).raw.get('python') ?? '';
    expect(text.split('\n')[1]).toMatch(new RegExp(`^ {${indent}}"`));
    expect(text.endsWith('}')).toBe(true);
  });

  it('sorts keys for conda and libmamba', () => {
    for (const writer of ['conda', 'libmamba'] as const) {
      for (const rec of env(writer).records.values()) {
        const keys = Object.keys(rec);
        expect(keys).toEqual([...keys].sort());
        expect(Object.keys(rec.paths_data)).toEqual(['paths', 'paths_version']);
      }
    }
  });

  it('puts index.json fields first and its own fields last for rattler', () => {
    const rec = record(env('rattler'), 'python');
    const keys = Object.keys(rec);
    const tail = ['fn', 'url', 'channel', 'extracted_package_dir', 'files', 'paths_data', 'link'];
    expect(keys.slice(-tail.length)).toEqual(tail);
    const head = keys.slice(0, -tail.length);
    expect(head).toEqual([...head].sort());
    expect(head).toEqual(expect.arrayContaining(['arch', 'platform', 'md5', 'sha256', 'timestamp']));
    expect(Object.keys(rec.paths_data)).toEqual(['paths_version', 'paths']);
  });

  it('writes the channel in each writer form', () => {
    expect(record(env('conda'), 'python').channel).toBe('https://conda.anaconda.org/conda-forge/linux-64');
    expect(record(env('conda'), 'six').channel).toBe('https://conda.anaconda.org/conda-forge/noarch');
    expect(record(env('libmamba'), 'python').channel).toBe('conda-forge');
    expect(record(env('rattler'), 'python').channel).toBe('https://conda.anaconda.org/conda-forge/');
  });

  it('names the tarball per writer, and rattler not at all', () => {
    const conda = record(env('conda'), 'python');
    expect(conda.package_tarball_full_path).toBe('/opt/conda/pkgs/python-3.11.11-h9e4cc4f_1_cpython.conda');
    const mamba = record(env('libmamba'), 'python');
    expect(mamba.package_tarball_full_path).toBe(`${String(mamba.extracted_package_dir)}.tar.bz2`);
    expect(mamba.fn).toBe('python-3.11.11-h9e4cc4f_1_cpython.conda');
    expect(record(env('rattler'), 'python')).not.toHaveProperty('package_tarball_full_path');
    for (const writer of writers) {
      const rec = record(env(writer), 'python');
      expect(rec.link).toEqual({ source: rec.extracted_package_dir, type: 1 });
    }
  });

  it('marks noarch with package_type only for conda, and arch null only for libmamba', () => {
    expect(record(env('conda'), 'six').package_type).toBe('noarch_python');
    expect(record(env('conda'), 'tzdata').package_type).toBe('noarch_generic');
    expect(record(env('libmamba'), 'six')).not.toHaveProperty('package_type');
    expect(record(env('rattler'), 'six')).not.toHaveProperty('package_type');
    expect(record(env('libmamba'), 'six').arch).toBeNull();
    expect(record(env('libmamba'), 'python').arch).toBe('x86_64');
    expect(record(env('rattler'), 'six')).not.toHaveProperty('arch');
    expect(record(env('rattler'), 'python').platform).toBe('linux');
  });

  it('records requested_spec per writer', () => {
    expect(record(env('conda'), 'python').requested_spec).toBe('python=3.11');
    expect(record(env('conda'), 'six').requested_spec).toBe('None');
    expect(record(env('libmamba'), 'python').requested_spec).toBe('python=3.11');
    expect(record(env('libmamba'), 'six').requested_spec).toBe('');
    expect(record(env('rattler'), 'six')).not.toHaveProperty('requested_spec');
  });
});

describe('paths_data per writer', () => {
  it('leaves noarch:python hardlink paths untranslated only for conda', () => {
    const conda = record(env('conda'), 'six');
    expect(conda.files).toContain(`${SP}/six.py`);
    expect(conda.files).toContain('bin/six-tool');
    const condaPaths = conda.paths_data.paths.map((item) => item._path);
    expect(condaPaths).toContain('site-packages/six.py');
    expect(condaPaths).toContain('python-scripts/six-tool');
    // pyc files and entry points are created by conda at install, so they are translated.
    expect(condaPaths).toContain(`${SP}/__pycache__/six.cpython-311.pyc`);
    expect(condaPaths).toContain('bin/six-entry');
    for (const writer of ['libmamba', 'rattler'] as const) {
      const rec = record(env(writer), 'six');
      expect(rec.paths_data.paths.map((item) => item._path)).toEqual(rec.files);
    }
  });

  it('lists pyc files as bare entries except for rattler', () => {
    const pyc = `${SP}/__pycache__/six.cpython-311.pyc`;
    for (const writer of ['conda', 'libmamba'] as const) {
      const rec = record(env(writer), 'six');
      expect(rec.files).toContain(pyc);
      expect(entry(rec, pyc)).toEqual({ _path: pyc, path_type: 'pyc_file' });
    }
    const rattler = record(env('rattler'), 'six');
    expect(rattler.files).not.toContain(pyc);
    expect(rattler.paths_data.paths.some((item) => item.path_type === 'pyc_file')).toBe(false);
  });

  it('gives entry points a digest only for rattler', () => {
    const onDisk = readFileSync(join(env('rattler').prefix, 'bin/six-entry'));
    expect(entry(record(env('rattler'), 'six'), 'bin/six-entry')).toEqual({
      _path: 'bin/six-entry', path_type: 'unix_python_entry_point', sha256: sha256(onDisk), size_in_bytes: onDisk.length,
    });
    for (const writer of ['conda', 'libmamba'] as const) {
      expect(entry(record(env(writer), 'six'), 'bin/six-entry')).toEqual({ _path: 'bin/six-entry', path_type: 'unix_python_entry_point' });
    }
  });

  it('omits size_in_bytes of empty files only for libmamba', () => {
    const path = 'lib/python3.11/email/mime/__init__.py';
    expect(entry(record(env('libmamba'), 'python'), path)).toEqual({ _path: path, path_type: 'hardlink', sha256: EMPTY_SHA, sha256_in_prefix: EMPTY_SHA });
    expect(entry(record(env('conda'), 'python'), path).size_in_bytes).toBe(0);
    expect(entry(record(env('rattler'), 'python'), path).size_in_bytes).toBe(0);
  });

  it('describes softlinks by their target, with each writer key set', () => {
    const target = readFileSync(join(env('conda').prefix, 'bin/python3.11'));
    const conda = entry(record(env('conda'), 'python'), 'bin/python3');
    expect(conda).toEqual({ _path: 'bin/python3', path_type: 'softlink', sha256: sha256(target), size_in_bytes: target.length });
    const mamba = entry(record(env('libmamba'), 'python'), 'bin/python3');
    expect(mamba).toEqual({ _path: 'bin/python3', path_type: 'softlink', sha256_in_prefix: sha256(target), size_in_bytes: target.length });
    const rattler = entry(record(env('rattler'), 'python'), 'bin/python3');
    // rattler hashes the link text, not the target, for sha256_in_prefix.
    expect(readlinkSync(join(env('rattler').prefix, 'bin/python3'))).toBe('python3.11');
    expect(rattler).toEqual({ _path: 'bin/python3', path_type: 'softlink', sha256: sha256(target), sha256_in_prefix: sha256('python3.11'), size_in_bytes: target.length });
  });

  it('records links to directories with the empty digest', () => {
    expect(entry(record(env('conda'), 'python'), 'lib/python3.1')).toEqual({ _path: 'lib/python3.1', path_type: 'softlink', sha256: EMPTY_SHA, size_in_bytes: 0 });
    expect(entry(record(env('libmamba'), 'python'), 'lib/python3.1')).toEqual({ _path: 'lib/python3.1', path_type: 'softlink', sha256_in_prefix: EMPTY_SHA });
  });

  it.each(writers)('%s: every hardlink sha256_in_prefix is the file on disk', (writer) => {
    const { prefix, records } = env(writer);
    let checked = 0;
    for (const rec of records.values()) {
      expect(rec.files.length).toBe(rec.paths_data.paths.length);
      for (const [index, item] of rec.paths_data.paths.entries()) {
        if (item.path_type !== 'hardlink') continue;
        const onDisk = readFileSync(join(prefix, rec.files[index] ?? ''));
        expect(item.sha256_in_prefix, String(item._path)).toBe(sha256(onDisk));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(9);
  });

  it('records the packaged size of a prefix-replaced file, except rattler which records the installed one', () => {
    const path = 'bin/python3.11-config';
    const onDisk = readFileSync(join(env('conda').prefix, path));
    expect(onDisk.toString()).toContain(env('conda').prefix);
    const placeholderLength = 255;
    const packagedSize = onDisk.length - env('conda').prefix.length + placeholderLength;
    const conda = entry(record(env('conda'), 'python'), path);
    expect(conda.size_in_bytes).toBe(packagedSize);
    expect(conda.file_mode).toBe('text');
    expect(String(conda.prefix_placeholder)).toHaveLength(placeholderLength);
    expect(conda.sha256).not.toBe(conda.sha256_in_prefix);
    // Putting the placeholder back must give the packaged hash.
    const packaged = onDisk.toString().split(env('conda').prefix).join(String(conda.prefix_placeholder));
    expect(conda.sha256).toBe(sha256(packaged));
    const mamba = entry(record(env('libmamba'), 'python'), path);
    expect(mamba).not.toHaveProperty('file_mode');
    expect(mamba.size_in_bytes).toBe(readFileSync(join(env('libmamba').prefix, path)).length - env('libmamba').prefix.length + placeholderLength);
    expect(entry(record(env('rattler'), 'python'), path).size_in_bytes).toBe(readFileSync(join(env('rattler').prefix, path)).length);
  });

  it('records the sizes of regular files as they are on disk', () => {
    const { prefix } = env('conda');
    const rec = record(env('conda'), 'python');
    expect(entry(rec, 'bin/python3.11').size_in_bytes).toBe(lstatSync(join(prefix, 'bin/python3.11')).size);
    expect(entry(rec, 'bin/python3.11').size_in_bytes).toBe(200_000);
    expect(entry(rec, 'lib/python3.11/os.py').size_in_bytes).toBe(39_530);
  });
});

describe('marker files', () => {
  it('writes conda history with the conda version and channel/subdir lines', () => {
    const history = readFileSync(join(env('conda').prefix, 'conda-meta/history'), 'utf8').split('\n');
    expect(history[0]).toMatch(/^==> \d{4}-\d\d-\d\d \d\d:\d\d:\d\d <==$/);
    expect(history[1]).toMatch(/^# cmd: .*conda create/);
    expect(history[2]).toBe('# conda version: 24.5.0');
    expect(history).toContain('+conda-forge/linux-64::python-3.11.11-h9e4cc4f_1_cpython');
    expect(history).toContain('+conda-forge/noarch::six-1.16.0-pyhd8ed1ab_0');
    expect(history).toContain("# update specs: ['python=3.11']");
  });

  it('writes mamba history with the fixed conda version and channel URLs', () => {
    const history = readFileSync(join(env('libmamba').prefix, 'conda-meta/history'), 'utf8').split('\n');
    expect(history[2]).toBe('# conda version: 3.8.0');
    expect(history).toContain('+https://conda.anaconda.org/conda-forge/noarch::six-1.16.0-pyhd8ed1ab_0');
  });

  it('writes the pixi markers only for rattler', () => {
    const { prefix } = env('rattler');
    expect(readFileSync(join(prefix, 'conda-meta/history'), 'utf8')).toBe('// not relevant for pixi but for `conda run -p`');
    expect(readFileSync(join(prefix, 'conda-meta/pixi_env_prefix'), 'utf8')).toBe(join(prefix, 'conda-meta'));
    const pixi = JSON.parse(readFileSync(join(prefix, 'conda-meta/pixi'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(pixi)).toEqual(['manifest_path', 'environment_name', 'pixi_version', 'environment_lock_file_hash']);
    expect(pixi.pixi_version).toBe('0.39.0');
    for (const writer of ['conda', 'libmamba'] as const) expect(existsSync(join(env(writer).prefix, 'conda-meta/pixi'))).toBe(false);
  });

  it('leaves no JSON file in conda-meta that is not a package record', () => {
    for (const writer of writers) {
      const names = readdirSync(join(env(writer).prefix, 'conda-meta')).filter((name) => name.endsWith('.json'));
      expect(names.sort()).toEqual(['python-3.11.11-h9e4cc4f_1_cpython.json', 'six-1.16.0-pyhd8ed1ab_0.json', 'tzdata-2024b-hc8b5060_0.json']);
    }
  });
});

describe('pip distributions', () => {
  const distInfo = `${SP}/tiny_pkg-0.1.0.dist-info`;

  it('writes a RECORD whose hashes and sizes match the files', () => {
    const { prefix } = env('conda');
    const lines = readFileSync(join(prefix, distInfo, 'RECORD'), 'utf8').split('\r\n').filter((line) => line !== '');
    const rows = lines.map((line) => line.split(','));
    const byPath = new Map(rows.map((row) => [row[0] ?? '', row]));
    expect(byPath.get('tiny_pkg-0.1.0.dist-info/RECORD')).toEqual(['tiny_pkg-0.1.0.dist-info/RECORD', '', '']);
    expect(byPath.get('tiny_pkg/__pycache__/__init__.cpython-311.pyc')).toEqual(['tiny_pkg/__pycache__/__init__.cpython-311.pyc', '', '']);
    for (const name of ['METADATA', 'INSTALLER', 'top_level.txt']) expect(byPath.has(`tiny_pkg-0.1.0.dist-info/${name}`)).toBe(true);
    let hashed = 0;
    for (const [path, hash, size] of rows) {
      if (hash === undefined || hash === '' || path === undefined) continue;
      const content = readFileSync(join(prefix, SP, path));
      expect(hash, path).toBe(`sha256=${createHash('sha256').update(content).digest('base64url')}`);
      // urlsafe alphabet, no padding
      expect(hash.slice('sha256='.length)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Number(size), path).toBe(content.length);
      hashed += 1;
    }
    expect(hashed).toBeGreaterThanOrEqual(6);
    expect(readFileSync(join(prefix, distInfo, 'INSTALLER'), 'utf8')).toBe('pip\n');
    expect(readFileSync(join(prefix, distInfo, 'top_level.txt'), 'utf8')).toBe('tiny_pkg\n');
  });

  it('lists console scripts relative to site-packages, landing in bin/', () => {
    const { prefix } = env('conda');
    const recordText = readFileSync(join(prefix, distInfo, 'RECORD'), 'utf8');
    expect(recordText).toContain('../../../bin/tiny,sha256=');
    expect(posix.normalize(posix.join(SP, '../../../bin/tiny'))).toBe('bin/tiny');
    expect(lstatSync(join(prefix, 'bin/tiny')).isFile()).toBe(true);
  });

  it('is owned by no conda record', () => {
    for (const rec of env('conda').records.values()) {
      expect(rec.files.some((file) => file.includes('tiny_pkg') || file === 'bin/tiny')).toBe(false);
    }
  });
});

describe('writer variants', () => {
  it('writes a constructor install with paths_data only for replaced, pyc and entry-point files', async () => {
    const constructor = await build('constructor', spec('conda', { incompletePathsData: true }));
    const python = record(constructor, 'python');
    expect(python.files).toHaveLength(8);
    expect(python.paths_data.paths.map((item) => item._path)).toEqual(['bin/python3.11-config']);
    expect(record(constructor, 'six').paths_data.paths.map((item) => item.path_type)).toEqual(['pyc_file', 'unix_python_entry_point']);
    expect(python.requested_spec).toMatch(/^conda-forge\/linux-64::python==3\.11\.11=h9e4cc4f_1_cpython\[md5=[0-9a-f]{32}\]$/);
    expect(readFileSync(join(constructor.prefix, 'conda-meta/history'), 'utf8')).toContain('# cmd: constructor');
  });

  it('writes conda 25.9 records unsorted, with the noarch channel on every record', async () => {
    const newest = await build('conda-25.9', spec('conda', { writerVersion: '25.9.1' }));
    const python = record(newest, 'python');
    expect(Object.keys(python).slice(0, 6)).toEqual(['name', 'version', 'build', 'build_number', 'channel', 'subdir']);
    expect(Object.keys(python).slice(-3)).toEqual(['files', 'paths_data', 'link']);
    expect(python.channel).toBe('https://conda.anaconda.org/conda-forge/noarch');
    expect(python.subdir).toBe('linux-64');
    expect(Object.keys(python.paths_data)).toEqual(['paths_version', 'paths']);
    expect(Object.keys(entry(python, 'lib/python3.11/os.py'))).toEqual(['_path', 'path_type', 'sha256', 'size_in_bytes', 'sha256_in_prefix']);
  });

  it('writes pixi 0.65 records with requested_specs and sha256_in_prefix only where it differs', async () => {
    const newest = await build('rattler-0.65', spec('rattler', { writerVersion: '0.65.0' }));
    const python = record(newest, 'python');
    expect(python.requested_specs).toEqual(['python=3.11']);
    expect(python.channel).toBe('https://repo.prefix.dev/conda-forge/');
    expect(entry(python, 'lib/python3.11/os.py')).not.toHaveProperty('sha256_in_prefix');
    expect(entry(python, 'bin/python3.11-config')).toHaveProperty('sha256_in_prefix');
  });
});

describe('file digests', () => {
  it('hashes sparse, partly written and rewritten files as their bytes', () => {
    const dir = join(root, 'digests');
    mkdirSync(dir, { recursive: true });
    const hole = join(dir, 'hole.bin');
    const tail = join(dir, 'tail.bin');
    writeFileSync(hole, '');
    truncateSync(hole, 3 * 1024 * 1024 + 17);
    writeFileSync(tail, Buffer.concat([Buffer.alloc(2 * 1024 * 1024), Buffer.from('end')]));
    const first = digestFiles([hole, tail]);
    expect(first.get(hole)).toEqual({ size: 3 * 1024 * 1024 + 17, sha256: sha256(readFileSync(hole)) });
    expect(first.get(tail)).toEqual({ size: 2 * 1024 * 1024 + 3, sha256: sha256(readFileSync(tail)) });
    // Same size, new bytes: the remembered digest must not be reused.
    writeFileSync(hole, Buffer.concat([Buffer.from('x'), Buffer.alloc(3 * 1024 * 1024 + 16)]));
    expect(digestFiles([hole]).get(hole)?.sha256).toBe(sha256(readFileSync(hole)));
  });
});

describe('demo environment', () => {
  it('generates a conda env whose records match its files', async () => {
    const [main, legacy] = await generateDemo(join(root, 'demo-env'));
    if (main === undefined || legacy === undefined) throw new Error('generateDemo returned too few envs');
    const names = main.records.map((path) => JSON.parse(readFileSync(path, 'utf8')).name as string);
    expect(names).toEqual(expect.arrayContaining(['python', 'numpy', 'scipy', 'pandas', 'uvloop', 'libsanitizer', 'openssl', 'sqlite', 'ncurses', 'pip', 'bokeh']));
    for (const path of ['lib/python3.11/test/support/__init__.py', 'lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a', `${SP}/scipy/_lib/_testutils.py`, `${SP}/uvloop/loop.c`, 'lib/libasan.so.8.0.0', 'share/terminfo/x/xterm']) {
      expect(existsSync(join(main.prefix, path)), path).toBe(true);
    }
    expect(lstatSync(join(main.prefix, 'lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a')).size).toBe(48_157_564);
    expect(existsSync(join(legacy.prefix, 'lib/libasan.so.5.0.0'))).toBe(true);
    for (const path of main.records) {
      const rec = JSON.parse(readFileSync(path, 'utf8')) as CondaRecord;
      for (const [index, item] of rec.paths_data.paths.entries()) {
        if (item.path_type !== 'hardlink' || item.file_mode !== undefined) continue;
        expect(lstatSync(join(main.prefix, rec.files[index] ?? '')).size, rec.files[index]).toBe(item.size_in_bytes);
      }
    }
    expect(main.pip.map((dist) => dist.distInfo)).toEqual([`${SP}/tabulate-0.9.0.dist-info`]);
  });
});
