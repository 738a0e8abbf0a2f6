/*
 * Builds small prefixes in real temp directories, with conda-meta records in the shapes conda,
 * libmamba and pixi write (trimmed copies of records from the corpus) and pip dist-info folders
 * as pip leaves them, then reads them back.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEnvironment } from '../../src/environment/read-environment.ts';
import { readPipDistributions } from '../../src/environment/read-pip.ts';
import type { Environment, Package } from '../../src/environment/types.ts';
import { errorOf } from '../helpers/error-of.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type PathEntry = { _path: string; path_type: string } & Record<string, Json>;

/** sha256("pip\n") as pip writes it in RECORD, and as hex. */
const PIP_INSTALLER_B64 = 'zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg';
const PIP_INSTALLER_HEX = 'ceebae7b8927a3227e5303cf5e0f1f7b34bb542ad7250ac03fbcde36ec2f1508';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'conda-prune-read-env-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function makePrefix(name = 'env'): string {
  const prefix = join(root, name);
  mkdirSync(join(prefix, 'conda-meta'), { recursive: true });
  return prefix;
}

function put(prefix: string, path: string, content: string): void {
  mkdirSync(dirname(join(prefix, path)), { recursive: true });
  writeFileSync(join(prefix, path), content);
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key] as Json)]),
  );
}

/** Writes a record as conda 24.x does (sorted keys, indent 2), under conda-meta/<name>-<version>-<build>.json. */
function condaRecord(prefix: string, name: string, version: string, build: string, channel: string, files: string[], entries: PathEntry[], extra: Record<string, Json> = {}): string {
  const dist = `${name}-${version}-${build}`;
  const record: Record<string, Json> = {
    build,
    build_number: 0,
    channel,
    constrains: [],
    depends: [],
    extracted_package_dir: `/opt/conda/pkgs/${dist}`,
    files,
    fn: `${dist}.conda`,
    license: 'BSD-3-Clause',
    link: { source: `/opt/conda/pkgs/${dist}`, type: 1 },
    md5: '0'.repeat(32),
    name,
    package_tarball_full_path: `/opt/conda/pkgs/${dist}.conda`,
    paths_data: { paths: entries, paths_version: 1 },
    requested_spec: 'None',
    sha256: '0'.repeat(64),
    size: 1000,
    subdir: 'linux-64',
    timestamp: 1730214551000,
    url: `${channel}/${dist}.conda`,
    version,
    ...extra,
  };
  const fileName = `${dist}.json`;
  put(prefix, `conda-meta/${fileName}`, JSON.stringify(sortKeys(record), null, 2));
  return fileName;
}

function hardlink(path: string, size: number, sha256 = 'ab'.repeat(32)): PathEntry {
  return { _path: path, path_type: 'hardlink', sha256, sha256_in_prefix: sha256, size_in_bytes: size };
}

/** The python record of a pixi env (uscuni__people_places): rattler shape, python 3.12. */
function pixiPython(prefix: string, extra: Record<string, Json> = {}): void {
  const files = ['bin/python3.12', 'lib/python3.12/os.py', 'lib/python3.12/site-packages/README.txt'];
  const record: Record<string, Json> = {
    arch: 'x86_64',
    build: 'hc5c86c4_0_cpython',
    build_number: 0,
    depends: ['bzip2 >=1.0.8,<2.0a0'],
    license: 'Python-2.0',
    md5: '0515111a9cdf69f83278f7c197db9807',
    name: 'python',
    platform: 'linux',
    sha256: '674be31ff152d9f0e0fe16959a45e3803a730fc4f54d87df6a9ac4e6a698c41d',
    size: 31574780,
    subdir: 'linux-64',
    timestamp: 1728059777603,
    version: '3.12.7',
    fn: 'python-3.12.7-hc5c86c4_0_cpython.conda',
    url: 'https://conda.anaconda.org/conda-forge/linux-64/python-3.12.7-hc5c86c4_0_cpython.conda',
    channel: 'https://conda.anaconda.org/conda-forge/',
    extracted_package_dir: '/home/anna/.cache/rattler/cache/pkgs/python-3.12.7-hc5c86c4_0_cpython',
    files,
    paths_data: { paths_version: 1, paths: files.map((path) => ({ _path: path, path_type: 'hardlink', sha256: 'cd'.repeat(32), size_in_bytes: 119 })) },
    link: { source: '/home/anna/.cache/rattler/cache/pkgs/python-3.12.7-hc5c86c4_0_cpython', type: 1 },
    ...extra,
  };
  put(prefix, 'conda-meta/python-3.12.7-hc5c86c4_0_cpython.json', JSON.stringify(record, null, 2));
}

/** A pip-installed distribution as pip leaves it in site-packages. */
function pipDist(prefix: string, sitePackages: string, directory: string, metadata: string | undefined, recordLines: string[]): void {
  if (metadata !== undefined) put(prefix, `${sitePackages}/${directory}/METADATA`, metadata);
  put(prefix, `${sitePackages}/${directory}/INSTALLER`, 'pip\n');
  put(prefix, `${sitePackages}/${directory}/RECORD`, `${recordLines.join('\n')}\n`);
}

function packageNamed(env: Environment, name: string): Package {
  const pkg = env.packages.find((candidate) => candidate.name === name);
  if (pkg === undefined) throw new Error(`no package ${name} among ${env.packages.map((p) => p.name).join(', ')}`);
  return pkg;
}

describe('readEnvironment: what is not an environment', () => {
  it('throws CP_PREFIX_MISSING for a prefix that does not exist', () => {
    const missing = join(root, 'no-such-env');
    const error = errorOf(() => readEnvironment(missing));
    expect(error.code).toBe('CP_PREFIX_MISSING');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(missing);
    expect(error.hint).toBeTruthy();
  });

  it('throws CP_PREFIX_MISSING for a dangling symlink', () => {
    const link = join(root, 'dangling');
    symlinkSync(join(root, 'gone'), link);
    expect(errorOf(() => readEnvironment(link)).code).toBe('CP_PREFIX_MISSING');
  });

  it('throws CP_NOT_A_CONDA_ENV for a directory without conda-meta/', () => {
    const plain = join(root, 'plain');
    mkdirSync(join(plain, 'bin'), { recursive: true });
    const error = errorOf(() => readEnvironment(plain));
    expect(error.code).toBe('CP_NOT_A_CONDA_ENV');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(plain);
    expect(error.message).toContain('conda-meta');
  });

  it('throws CP_NOT_A_CONDA_ENV when conda-meta is a file, and for a file given as prefix', () => {
    const odd = join(root, 'odd');
    put(odd, 'conda-meta', 'not a directory');
    expect(errorOf(() => readEnvironment(odd)).code).toBe('CP_NOT_A_CONDA_ENV');
    expect(errorOf(() => readEnvironment(join(odd, 'conda-meta'))).code).toBe('CP_NOT_A_CONDA_ENV');
  });
});

describe('readEnvironment: records', () => {
  it('reads an empty conda-meta as an environment without packages or python', () => {
    const prefix = makePrefix();
    const env = readEnvironment(prefix);
    expect(env.packages).toEqual([]);
    expect(env.problems).toEqual([]);
    expect(env.python).toBeUndefined();
    expect(env.owners.size).toBe(0);
    expect(env.sharedOwners.size).toBe(0);
  });

  it('does not read the marker files history, state, pixi and pixi_env_prefix as records', () => {
    const prefix = makePrefix();
    put(prefix, 'conda-meta/history', '// not relevant for pixi but for `conda run -p`');
    put(prefix, 'conda-meta/state', JSON.stringify({ env_vars: { MY_VAR: 'value' } }));
    put(
      prefix,
      'conda-meta/pixi',
      JSON.stringify({ manifest_path: '/home/anna/project/pixi.toml', environment_name: 'default', pixi_version: '0.39.0', environment_lock_file_hash: '8b22b7730e49d4cb' }, null, 2),
    );
    put(prefix, 'conda-meta/pixi_env_prefix', `${prefix}`);
    condaRecord(prefix, 'zlib', '1.3.1', 'hb9d3cd8_2', 'https://conda.anaconda.org/conda-forge/linux-64', ['lib/libz.so.1.3.1'], [hardlink('lib/libz.so.1.3.1', 100208)]);
    const env = readEnvironment(prefix);
    expect(env.packages.map((pkg) => pkg.recordPath)).toEqual(['conda-meta/zlib-1.3.1-hb9d3cd8_2.json']);
    expect(env.problems).toEqual([]);
  });

  it('reports a truncated record by name and still reads the others', () => {
    const prefix = makePrefix();
    condaRecord(prefix, 'zlib', '1.3.1', 'hb9d3cd8_2', 'https://conda.anaconda.org/conda-forge/linux-64', ['lib/libz.so.1.3.1'], [hardlink('lib/libz.so.1.3.1', 100208)]);
    condaRecord(prefix, 'xz', '5.6.3', 'hbcc6ac9_1', 'https://conda.anaconda.org/conda-forge/linux-64', ['lib/liblzma.so.5.6.3'], [hardlink('lib/liblzma.so.5.6.3', 218424)]);
    const full = JSON.stringify(
      sortKeys({ name: 'pytorch', version: '2.5.1', build: 'py3.10_cuda12.1_cudnn9.1.0_0', files: ['lib/libtorch.so'], paths_data: { paths: [hardlink('lib/libtorch.so', 1)], paths_version: 1 } }),
      null,
      2,
    );
    put(prefix, 'conda-meta/pytorch-2.5.1-py3.10_cuda12.1_cudnn9.1.0_0.json', full.slice(0, Math.floor(full.length / 2)));
    const env = readEnvironment(prefix);
    expect(env.problems).toHaveLength(1);
    expect(env.problems[0]).toMatchObject({ path: 'conda-meta/pytorch-2.5.1-py3.10_cuda12.1_cudnn9.1.0_0.json', code: 'invalid-json' });
    expect(env.packages.map((pkg) => pkg.name)).toEqual(['xz', 'zlib']);
    expect(env.owners.has('lib/libtorch.so')).toBe(false);
  });

  it('reports a record without name as invalid-record', () => {
    const prefix = makePrefix();
    put(prefix, 'conda-meta/broken-1.0-0.json', JSON.stringify({ version: '1.0', files: [] }, null, 2));
    const env = readEnvironment(prefix);
    expect(env.problems).toEqual([expect.objectContaining({ path: 'conda-meta/broken-1.0-0.json', code: 'invalid-record' })]);
    expect(env.packages).toEqual([]);
  });

  it("reports a directory named *.json as 'unreadable' and passes over it", () => {
    const prefix = makePrefix();
    mkdirSync(join(prefix, 'conda-meta', 'weird-1.0-0.json'));
    condaRecord(prefix, 'zlib', '1.3.1', 'hb9d3cd8_2', 'https://conda.anaconda.org/conda-forge/linux-64', ['lib/libz.so.1.3.1'], [hardlink('lib/libz.so.1.3.1', 100208)]);
    const env = readEnvironment(prefix);
    expect(env.problems).toEqual([{ path: 'conda-meta/weird-1.0-0.json', code: 'unreadable', message: expect.stringContaining('EISDIR') }]);
    expect(env.packages.map((pkg) => pkg.name)).toEqual(['zlib']);
  });

  it('reports unsafe paths of a record as problems and leaves them out of the owners index', () => {
    const prefix = makePrefix();
    condaRecord(
      prefix,
      'evil',
      '1.0',
      '0',
      'https://conda.anaconda.org/conda-forge/linux-64',
      ['lib/libevil.so', '../../etc/cron.d/evil', '/etc/passwd', 'lib/a\u0000lib/libevil.so'],
      [hardlink('lib/libevil.so', 10), hardlink('../../etc/cron.d/evil', 10), hardlink('/etc/passwd', 10)],
    );
    const env = readEnvironment(prefix);
    expect(env.problems).toEqual([
      expect.objectContaining({ path: 'conda-meta/evil-1.0-0.json', code: 'unsafe-path', message: expect.stringContaining('../../etc/cron.d/evil') }),
      expect.objectContaining({ path: 'conda-meta/evil-1.0-0.json', code: 'unsafe-path', message: expect.stringContaining('/etc/passwd') }),
      // A NUL names no file; sent to the lstat worker it would split into two paths.
      expect.objectContaining({ path: 'conda-meta/evil-1.0-0.json', code: 'unsafe-path', message: expect.stringContaining('lib/a\\u0000lib') }),
    ]);
    expect(packageNamed(env, 'evil').files.map((file) => file.path)).toEqual(['lib/libevil.so']);
    expect([...env.owners.keys()]).toEqual(['lib/libevil.so']);
  });

  it('sorts packages by record file name, whatever order they were written in', () => {
    const prefix = makePrefix();
    const channel = 'https://conda.anaconda.org/conda-forge/linux-64';
    condaRecord(prefix, 'zlib', '1.3.1', 'hb9d3cd8_2', channel, [], []);
    condaRecord(prefix, 'libgcc', '14.2.0', 'h77fa898_1', channel, [], []);
    condaRecord(prefix, '_libgcc_mutex', '0.1', 'conda_forge', channel, [], []);
    condaRecord(prefix, 'ncurses', '6.5', 'he02047a_1', channel, [], []);
    condaRecord(prefix, 'libgcc-ng', '14.2.0', 'h69a702a_1', channel, [], []);
    const env = readEnvironment(prefix);
    expect(env.packages.map((pkg) => pkg.recordPath)).toEqual([
      'conda-meta/_libgcc_mutex-0.1-conda_forge.json',
      'conda-meta/libgcc-14.2.0-h77fa898_1.json',
      'conda-meta/libgcc-ng-14.2.0-h69a702a_1.json',
      'conda-meta/ncurses-6.5-he02047a_1.json',
      'conda-meta/zlib-1.3.1-hb9d3cd8_2.json',
    ]);
  });

  it('marks a path listed by two records as shared, with both owners', () => {
    // qescccczmr__vidur_chengqinxiu: intel-openmp ships lib/libiomp5.so, llvm-openmp links it.
    const prefix = makePrefix();
    condaRecord(
      prefix,
      'intel-openmp',
      '2022.0.1',
      'h06a4308_3633',
      'https://repo.anaconda.com/pkgs/main/linux-64',
      ['lib/libiomp5.so', 'lib/libiompstubs5.so'],
      [
        hardlink('lib/libiomp5.so', 2478686, 'c273031fe6f9cd19192305bf935f09e8400ca1d073fd2ded741e42eaa13eb3c1'),
        hardlink('lib/libiompstubs5.so', 205094, 'da122b1b71fbb17859a5b4ccd810d3cae6ec2a17038cde731cde3f8adfa56fd6'),
      ],
    );
    condaRecord(
      prefix,
      'llvm-openmp',
      '15.0.7',
      'h0cdce71_0',
      'https://conda.anaconda.org/conda-forge/linux-64',
      ['lib/libiomp5.so', 'lib/libomp.so'],
      [
        { _path: 'lib/libiomp5.so', path_type: 'softlink', sha256: '3fe1a40e7676ecb914fde29f45a1083656b9eafea07c680970d8dc4bb8bd0e84', size_in_bytes: 1312784 },
        hardlink('lib/libomp.so', 1312784, '3fe1a40e7676ecb914fde29f45a1083656b9eafea07c680970d8dc4bb8bd0e84'),
      ],
    );
    const env = readEnvironment(prefix);
    const intel = env.packages.findIndex((pkg) => pkg.name === 'intel-openmp');
    const llvm = env.packages.findIndex((pkg) => pkg.name === 'llvm-openmp');
    expect([intel, llvm]).toEqual([0, 1]);
    expect(env.sharedOwners.get('lib/libiomp5.so')).toEqual([intel, llvm]);
    expect(env.owners.get('lib/libiomp5.so')).toBe(intel);
    expect(env.owners.get('lib/libiompstubs5.so')).toBe(intel);
    expect(env.owners.get('lib/libomp.so')).toBe(llvm);
    expect(env.owners.size).toBe(3);
    expect([...env.sharedOwners.keys()]).toEqual(['lib/libiomp5.so']);
  });

  it('reads paths_data again from disk when needed, and reports a record rewritten in between', () => {
    const prefix = makePrefix();
    const files = ['lib/libiomp5.so', 'lib/libiompstubs5.so'];
    condaRecord(prefix, 'intel-openmp', '2022.0.1', 'h06a4308_3633', 'https://repo.anaconda.com/pkgs/main/linux-64', files, [
      hardlink('lib/libiomp5.so', 2478686, 'c273031fe6f9cd19192305bf935f09e8400ca1d073fd2ded741e42eaa13eb3c1'),
      hardlink('lib/libiompstubs5.so', 205094, 'da122b1b71fbb17859a5b4ccd810d3cae6ec2a17038cde731cde3f8adfa56fd6'),
    ]);
    const recordFile = join(prefix, 'conda-meta', readdirSync(join(prefix, 'conda-meta')).find((name) => name.startsWith('intel-openmp')) as string);
    const intact = readEnvironment(prefix);
    // Read after the fact, from the file as it still is: the sizes are the record's.
    expect(packageNamed(intact, 'intel-openmp').fileAt(1).size).toBe(205094);
    expect(intact.problems).toEqual([]);

    const changed = readEnvironment(prefix);
    // An install rewrites the record while the env is being planned.
    writeFileSync(recordFile, `${readFileSync(recordFile, 'utf8')}\n\n`);
    const file = packageNamed(changed, 'intel-openmp').fileAt(0);
    expect(file.path).toBe('lib/libiomp5.so');
    expect(file.size).toBeUndefined();
    expect(changed.problems).toEqual([{ path: relative(prefix, recordFile), code: 'changed', message: expect.stringContaining('changed while conda-prune read it') }]);
  });

  it('counts a path listed twice by one record as one owner', () => {
    const prefix = makePrefix();
    condaRecord(prefix, 'dup', '1.0', '0', 'https://conda.anaconda.org/conda-forge/linux-64', ['lib/a.so', 'lib/a.so'], [hardlink('lib/a.so', 3)]);
    const env = readEnvironment(prefix);
    expect(env.owners.get('lib/a.so')).toBe(0);
    expect(env.sharedOwners.has('lib/a.so')).toBe(false);
  });

  it('keeps the prefix as given and resolves realPrefix through a symlink', () => {
    const target = makePrefix('real-env');
    const link = join(root, 'linked-env');
    symlinkSync(target, link);
    condaRecord(target, 'zlib', '1.3.1', 'hb9d3cd8_2', 'https://conda.anaconda.org/conda-forge/linux-64', ['lib/libz.so.1.3.1'], [hardlink('lib/libz.so.1.3.1', 100208)]);
    const env = readEnvironment(link);
    expect(env.prefix).toBe(link);
    expect(env.realPrefix).toBe(realpathSync(target));
    expect(env.realPrefix).not.toBe(env.prefix);
    expect(env.packages.map((pkg) => pkg.name)).toEqual(['zlib']);
  });

  it('resolves a relative prefix against the working directory', () => {
    const prefix = makePrefix();
    const env = readEnvironment(relative(process.cwd(), prefix));
    expect(env.prefix).toBe(prefix);
  });
});

describe('readEnvironment: python and pip distributions', () => {
  const SITE = 'lib/python3.12/site-packages';

  it('describes python from its record', () => {
    const prefix = makePrefix();
    pixiPython(prefix);
    const env = readEnvironment(prefix);
    expect(env.python).toEqual({ version: '3.12.7', sitePackages: SITE, stdlib: 'lib/python3.12', executable: 'bin/python3.12' });
    expect(packageNamed(env, 'python').writer).toBe('rattler');
  });

  it('lists a pip dist-info no record owns as a pypi package with its files', () => {
    const prefix = makePrefix();
    pixiPython(prefix);
    pipDist(prefix, SITE, 'charset_normalizer-3.4.0.dist-info', 'Metadata-Version: 2.1\nName: charset-normalizer\nVersion: 3.4.0\n\nName: not-this\n', [
      `../../../bin/normalizer,sha256=${PIP_INSTALLER_B64},253`,
      `charset_normalizer-3.4.0.dist-info/INSTALLER,sha256=${PIP_INSTALLER_B64},4`,
      'charset_normalizer-3.4.0.dist-info/RECORD,,',
      `charset_normalizer/__init__.py,sha256=${PIP_INSTALLER_B64},1590`,
    ]);
    const env = readEnvironment(prefix);
    const pip = packageNamed(env, 'charset-normalizer');
    expect(pip).toEqual({
      name: 'charset-normalizer',
      version: '3.4.0',
      build: '',
      channel: 'pypi',
      source: 'pypi',
      recordPath: `${SITE}/charset_normalizer-3.4.0.dist-info/RECORD`,
      paths: [
        'bin/normalizer',
        `${SITE}/charset_normalizer-3.4.0.dist-info/INSTALLER`,
        `${SITE}/charset_normalizer-3.4.0.dist-info/RECORD`,
        `${SITE}/charset_normalizer/__init__.py`,
      ],
      files: [
        { path: 'bin/normalizer', pathType: 'hardlink', sha256: PIP_INSTALLER_HEX, size: 253 },
        { path: `${SITE}/charset_normalizer-3.4.0.dist-info/INSTALLER`, pathType: 'hardlink', sha256: PIP_INSTALLER_HEX, size: 4 },
        { path: `${SITE}/charset_normalizer-3.4.0.dist-info/RECORD`, pathType: 'hardlink' },
        { path: `${SITE}/charset_normalizer/__init__.py`, pathType: 'hardlink', sha256: PIP_INSTALLER_HEX, size: 1590 },
      ],
      fileAt: expect.any(Function),
    });
    expect(pip.writer).toBeUndefined();
    const index = env.packages.indexOf(pip);
    expect(index).toBe(env.packages.length - 1);
    expect(env.owners.get('bin/normalizer')).toBe(index);
    expect(env.owners.get(`${SITE}/charset_normalizer/__init__.py`)).toBe(index);
    expect(env.sharedOwners.size).toBe(0);
    expect(env.problems).toEqual([]);
  });

  it('does not list a dist-info whose RECORD a conda record owns', () => {
    const prefix = makePrefix();
    pixiPython(prefix);
    // conda-written noarch pip: files translated, hardlink entries left as site-packages/...
    condaRecord(
      prefix,
      'pip',
      '24.2',
      'pyh8b19718_1',
      'https://conda.anaconda.org/conda-forge/noarch',
      [`${SITE}/pip-24.2.dist-info/INSTALLER`, `${SITE}/pip-24.2.dist-info/RECORD`, `${SITE}/pip/__init__.py`],
      [hardlink('site-packages/pip-24.2.dist-info/INSTALLER', 5), hardlink('site-packages/pip-24.2.dist-info/RECORD', 61341), hardlink('site-packages/pip/__init__.py', 357)],
      { noarch: 'python', package_type: 'noarch_python', subdir: 'noarch' },
    );
    pipDist(prefix, SITE, 'pip-24.2.dist-info', 'Metadata-Version: 2.1\nName: pip\nVersion: 24.2\n', ['pip/__init__.py,sha256=abc,357', 'pip-24.2.dist-info/RECORD,,']);
    const env = readEnvironment(prefix);
    expect(env.packages.filter((pkg) => pkg.source === 'pypi')).toEqual([]);
    const conda = packageNamed(env, 'pip');
    expect(conda.source).toBe('conda');
    expect(conda.files.find((file) => file.path === `${SITE}/pip-24.2.dist-info/RECORD`)?.size).toBe(61341);
    expect(env.owners.get(`${SITE}/pip/__init__.py`)).toBe(env.packages.indexOf(conda));
    expect(env.sharedOwners.size).toBe(0);
  });

  it('marks a file both a conda record and a pip RECORD list as shared', () => {
    // pip installed over a conda package: the new dist-info is pip's, the module files both.
    const prefix = makePrefix();
    pixiPython(prefix);
    condaRecord(
      prefix,
      'six',
      '1.16.0',
      'pyh6c4a22f_0',
      'https://conda.anaconda.org/conda-forge/noarch',
      [`${SITE}/six.py`, `${SITE}/six-1.16.0.dist-info/RECORD`],
      [hardlink('site-packages/six.py', 34549), hardlink('site-packages/six-1.16.0.dist-info/RECORD', 535)],
      { noarch: 'python', package_type: 'noarch_python', subdir: 'noarch' },
    );
    pipDist(prefix, SITE, 'six-1.17.0.dist-info', 'Metadata-Version: 2.1\nName: six\nVersion: 1.17.0\n', ['six.py,,34734', 'six-1.17.0.dist-info/RECORD,,']);
    const env = readEnvironment(prefix);
    const conda = env.packages.findIndex((pkg) => pkg.name === 'six' && pkg.source === 'conda');
    const pypi = env.packages.findIndex((pkg) => pkg.name === 'six' && pkg.source === 'pypi');
    expect(conda).toBeGreaterThanOrEqual(0);
    expect(pypi).toBeGreaterThan(conda);
    expect(env.owners.get(`${SITE}/six.py`)).toBe(conda);
    expect(env.sharedOwners.get(`${SITE}/six.py`)).toEqual([conda, pypi]);
    expect(env.sharedOwners.has(`${SITE}/six-1.16.0.dist-info/RECORD`)).toBe(false);
  });

  it('reports a pip RECORD path that leaves the prefix, naming the RECORD', () => {
    const prefix = makePrefix();
    pixiPython(prefix);
    pipDist(prefix, SITE, 'evil-1.0.dist-info', 'Name: evil\nVersion: 1.0\n', ['../../../../etc/passwd,,', 'evil.py,,10']);
    const env = readEnvironment(prefix);
    expect(env.problems).toEqual([
      { path: `${SITE}/evil-1.0.dist-info/RECORD`, code: 'unsafe-path', message: expect.stringContaining('../../../../etc/passwd') },
    ]);
    expect(packageNamed(env, 'evil').files.map((file) => file.path)).toEqual([`${SITE}/evil.py`]);
  });

  it('scans the site-packages python_site_packages_path names', () => {
    const prefix = makePrefix();
    pixiPython(prefix, { python_site_packages_path: 'lib/python3.12t/site-packages' });
    pipDist(prefix, 'lib/python3.12t/site-packages', 'tzdata-2025.2.dist-info', 'Name: tzdata\nVersion: 2025.2\n', ['tzdata/__init__.py,,22']);
    pipDist(prefix, SITE, 'ignored-1.0.dist-info', 'Name: ignored\nVersion: 1.0\n', ['ignored.py,,1']);
    const env = readEnvironment(prefix);
    expect(env.python).toMatchObject({ sitePackages: 'lib/python3.12t/site-packages', stdlib: 'lib/python3.12t' });
    expect(env.packages.filter((pkg) => pkg.source === 'pypi').map((pkg) => pkg.name)).toEqual(['tzdata']);
  });

  it('reads no pip distributions when the env has no python', () => {
    const prefix = makePrefix();
    pipDist(prefix, SITE, 'requests-2.32.3.dist-info', 'Name: requests\nVersion: 2.32.3\n', ['requests/__init__.py,,10']);
    const env = readEnvironment(prefix);
    expect(env.python).toBeUndefined();
    expect(env.packages).toEqual([]);
  });
});

describe('readPipDistributions', () => {
  const SITE = 'lib/python3.11/site-packages';

  it('prefers METADATA Name and Version over the directory name, ignoring the body', () => {
    const prefix = makePrefix();
    pipDist(prefix, SITE, 'Scikit_Learn-1.7.1.dist-info', 'Metadata-Version: 2.1\r\nName: Scikit_Learn\r\nVersion: 1.7.1.post1\r\n\r\nName: impostor\r\nVersion: 0\r\n', [
      'sklearn/__init__.py,,4',
    ]);
    const scan = readPipDistributions(prefix, SITE, []);
    expect(scan.packages.map((pkg) => [pkg.name, pkg.version])).toEqual([['scikit-learn', '1.7.1.post1']]);
  });

  it('falls back to the directory name without METADATA', () => {
    const prefix = makePrefix();
    pipDist(prefix, SITE, 'Gym_Notices-0.0.8.dist-info', undefined, ['gym_notices/__init__.py,,0']);
    const scan = readPipDistributions(prefix, SITE, []);
    expect(scan.packages).toEqual([
      {
        name: 'gym-notices',
        version: '0.0.8',
        build: '',
        channel: 'pypi',
        source: 'pypi',
        recordPath: `${SITE}/Gym_Notices-0.0.8.dist-info/RECORD`,
        paths: [`${SITE}/gym_notices/__init__.py`],
        files: [{ path: `${SITE}/gym_notices/__init__.py`, pathType: 'hardlink', size: 0 }],
        fileAt: expect.any(Function),
      },
    ]);
  });

  it('skips a dist-info whose RECORD a conda package lists', () => {
    const prefix = makePrefix();
    pipDist(prefix, SITE, 'pip-25.3.dist-info', 'Name: pip\nVersion: 25.3\n', ['pip/__init__.py,,357']);
    pipDist(prefix, SITE, 'wheel-0.45.1.dist-info', 'Name: wheel\nVersion: 0.45.1\n', ['wheel/__init__.py,,59']);
    const condaPip = { name: 'pip', version: '25.3', build: 'pyh8b19718_0', channel: 'conda-forge', source: 'conda' as const, recordPath: 'conda-meta/pip-25.3-pyh8b19718_0.json', paths: [`${SITE}/pip-25.3.dist-info/RECORD`], files: [], fileAt: () => ({ path: `${SITE}/pip-25.3.dist-info/RECORD`, pathType: 'hardlink' as const }) };
    const scan = readPipDistributions(prefix, SITE, [condaPip]);
    expect(scan.packages.map((pkg) => pkg.name)).toEqual(['wheel']);
  });

  it('skips a dist-info without RECORD, and other entries of site-packages', () => {
    const prefix = makePrefix();
    put(prefix, `${SITE}/distro_pkg-1.0.dist-info/METADATA`, 'Name: distro-pkg\nVersion: 1.0\n');
    put(prefix, `${SITE}/legacy-1.0-py3.11.egg-info/PKG-INFO`, 'Name: legacy\nVersion: 1.0\n');
    put(prefix, `${SITE}/module.py`, '');
    const scan = readPipDistributions(prefix, SITE, []);
    expect(scan).toEqual({ packages: [], problems: [] });
  });

  it('returns nothing when site-packages does not exist', () => {
    const prefix = makePrefix();
    expect(readPipDistributions(prefix, SITE, [])).toEqual({ packages: [], problems: [] });
  });

  it('returns distributions sorted by directory name', () => {
    const prefix = makePrefix();
    for (const directory of ['zipp-3.21.0.dist-info', 'GitPython-3.1.43.dist-info', 'annotated_types-0.7.0.dist-info']) {
      pipDist(prefix, SITE, directory, undefined, []);
    }
    const scan = readPipDistributions(prefix, SITE, []);
    expect(scan.packages.map((pkg) => pkg.name)).toEqual(['gitpython', 'annotated-types', 'zipp']);
    expect(scan.packages.every((pkg) => pkg.files.length === 0)).toBe(true);
  });
});
