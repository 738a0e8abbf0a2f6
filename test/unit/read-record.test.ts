/*
 * Every record below is a trimmed copy of a real conda-meta record from the corpus
 * (../shared/corpus/README.md), written the way its installer writes it: conda dumps with sorted
 * keys and indent 2 (25.9 stopped sorting), libmamba sorts with indent 4, rattler keeps index.json
 * order with indent 2 and never writes `package_tarball_full_path`. Hashes and sizes are the real
 * ones, so a join that picks the wrong paths_data entry shows up as a wrong number.
 */
import { describe, expect, it } from 'vitest';
import { parseCondaRecord } from '../../src/environment/read-record.ts';
import type { ParsedRecord } from '../../src/environment/read-record.ts';
import type { PackageFile, RecordProblem } from '../../src/environment/types.ts';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Orders keys recursively, as Python's json.dumps(sort_keys=True) does for conda and libmamba. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, sortKeys(object[key])]),
  );
}

const condaDump = (record: object): string => JSON.stringify(sortKeys(record), null, 2);
const libmambaDump = (record: object): string => JSON.stringify(sortKeys(record), null, 4);
/** conda 25.9 and rattler both keep insertion order with indent 2. */
const orderedDump = (record: object): string => JSON.stringify(record, null, 2);

function parsed(text: string, recordPath = 'conda-meta/x.json'): ParsedRecord {
  const result = parseCondaRecord(text, recordPath);
  if ('code' in result) throw new Error(`expected a record, got ${result.code}: ${result.message}`);
  return result;
}

function problem(text: string, recordPath = 'conda-meta/x.json'): RecordProblem {
  const result = parseCondaRecord(text, recordPath);
  if (!('code' in result)) throw new Error(`expected a problem, got package ${result.package.name}`);
  return result;
}

function fileAt(record: ParsedRecord, path: string): PackageFile {
  const file = record.package.files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`${path} is not among ${record.package.files.map((f) => f.path).join(', ')}`);
  return file;
}

// conda 22.9 (YOURENXIAKE__CDQA): noarch:python pip. `files` is translated to the env's python,
// but the hardlink entries of paths_data keep the package's own `site-packages/...` form.
const condaNoarchPip = {
  build: 'pyhd8ed1ab_0',
  build_number: 0,
  channel: 'https://conda.anaconda.org/conda-forge/noarch',
  constrains: [],
  depends: ['python >=3.7', 'setuptools', 'wheel'],
  extracted_package_dir: '/users12/zrchen/anaconda3/pkgs/pip-23.1.2-pyhd8ed1ab_0',
  features: '',
  files: [
    'lib/python3.8/site-packages/pip-23.1.2.dist-info/INSTALLER',
    'lib/python3.8/site-packages/pip/__init__.py',
    'lib/python3.8/site-packages/pip/__pycache__/__init__.cpython-38.pyc',
    'bin/pip',
  ],
  fn: 'pip-23.1.2-pyhd8ed1ab_0.conda',
  license: 'MIT',
  license_family: 'MIT',
  link: { source: '/users12/zrchen/anaconda3/pkgs/pip-23.1.2-pyhd8ed1ab_0', type: 1 },
  md5: '7288da0d36821349cf1126e8670292df',
  name: 'pip',
  noarch: 'python',
  package_tarball_full_path: '/users12/zrchen/anaconda3/pkgs/pip-23.1.2-pyhd8ed1ab_0.conda',
  package_type: 'noarch_python',
  paths_data: {
    paths: [
      {
        _path: 'site-packages/pip-23.1.2.dist-info/INSTALLER',
        path_type: 'hardlink',
        sha256: 'd0edee15f91b406f3f99726e44eb990be6e34fd0345b52b910c568e0eef6a2a8',
        sha256_in_prefix: 'd0edee15f91b406f3f99726e44eb990be6e34fd0345b52b910c568e0eef6a2a8',
        size_in_bytes: 5,
      },
      {
        _path: 'site-packages/pip/__init__.py',
        path_type: 'hardlink',
        sha256: '3effec8ee1ed273bccd2341771d714f7ed680a5dd0f24be4f6f0e2d616ff36c4',
        sha256_in_prefix: '3effec8ee1ed273bccd2341771d714f7ed680a5dd0f24be4f6f0e2d616ff36c4',
        size_in_bytes: 357,
      },
      { _path: 'lib/python3.8/site-packages/pip/__pycache__/__init__.cpython-38.pyc', path_type: 'pyc_file' },
      { _path: 'bin/pip', path_type: 'unix_python_entry_point' },
    ],
    paths_version: 1,
  },
  requested_spec: 'None',
  sha256: '4fe1f47f6eac5b2635a622b6f985640bf835843c1d8d7ccbbae0f7d27cadec92',
  size: 1367644,
  subdir: 'noarch',
  timestamp: 1682507713321,
  track_features: '',
  url: 'https://conda.anaconda.org/conda-forge/noarch/pip-23.1.2-pyhd8ed1ab_0.conda',
  version: '23.1.2',
} satisfies Record<string, Json>;

// conda 4.10 (AlessandroSav__envs_on_git, osx-64): a noarch script shipped in `python-scripts/`,
// installed as `bin/qdarkstyle` and prefix-replaced, so sha256 and sha256_in_prefix differ.
const condaNoarchScript = {
  build: 'py_0',
  build_number: 0,
  channel: 'https://repo.anaconda.com/pkgs/main/noarch',
  depends: ['python'],
  extracted_package_dir: '/Users/acmsavazzi/opt/anaconda3/pkgs/qdarkstyle-2.8.1-py_0',
  files: ['bin/qdarkstyle', 'lib/python3.8/site-packages/qdarkstyle/__init__.py'],
  fn: 'qdarkstyle-2.8.1-py_0.conda',
  license: 'MIT',
  link: { source: '/Users/acmsavazzi/opt/anaconda3/pkgs/qdarkstyle-2.8.1-py_0', type: 1 },
  md5: 'acf57f4dc04438e54eb81aa30e27512a',
  name: 'qdarkstyle',
  noarch: 'python',
  package_tarball_full_path: '/Users/acmsavazzi/opt/anaconda3/pkgs/qdarkstyle-2.8.1-py_0.conda',
  package_type: 'noarch_python',
  paths_data: {
    paths: [
      {
        _path: 'python-scripts/qdarkstyle',
        file_mode: 'text',
        path_type: 'hardlink',
        prefix_placeholder: '/opt/anaconda1anaconda2anaconda3',
        sha256: '18719be5bf3ec27550d18da74c3f93747cbd0d1eebf0d6a1d5d5f41ec33dcc14',
        sha256_in_prefix: '2bb9259208c0c18f71a5b40d51d58bf7cfc82af6c384b270b62e54402971b3ea',
        size_in_bytes: 278,
      },
      {
        _path: 'site-packages/qdarkstyle/__init__.py',
        path_type: 'hardlink',
        sha256: '2362a2a30b911c9ed60d3a76577c518227ccadd6d2c0585dafcca283936ca4ff',
        sha256_in_prefix: '2362a2a30b911c9ed60d3a76577c518227ccadd6d2c0585dafcca283936ca4ff',
        size_in_bytes: 11565,
      },
    ],
    paths_version: 1,
  },
  requested_spec: 'None',
  sha256: '2da6050d878df5f31e5c0ec13f224965fb5322eeb1a314254b887fcd0b0354d5',
  size: 179719,
  subdir: 'noarch',
  timestamp: 1587400228507,
  url: 'https://repo.anaconda.com/pkgs/main/noarch/qdarkstyle-2.8.1-py_0.conda',
  version: '2.8.1',
} satisfies Record<string, Json>;

// conda 25.9.1 (Chuter-lab__Balasubramanian): same package, keys in write order, not sorted.
const conda259Pip = {
  name: 'pip',
  version: '25.3',
  build: 'pyh8b19718_0',
  build_number: 0,
  channel: 'https://conda.anaconda.org/conda-forge/noarch',
  subdir: 'noarch',
  fn: 'pip-25.3-pyh8b19718_0.conda',
  md5: 'c55515ca43c6444d2572e0f0d93cb6b9',
  url: 'https://conda.anaconda.org/conda-forge/noarch/pip-25.3-pyh8b19718_0.conda',
  sha256: 'b67692da1c0084516ac1c9ada4d55eaf3c5891b54980f30f3f444541c2706f1e',
  depends: ['python >=3.10,<3.13.0a0', 'setuptools', 'wheel'],
  constrains: [],
  noarch: 'python',
  license: 'MIT',
  package_type: 'noarch_python',
  timestamp: 1762776258000,
  size: 1177534,
  requested_spec: 'None',
  package_tarball_full_path: '/mnt/Projects/Conda/pkgs/pip-25.3-pyh8b19718_0.conda',
  extracted_package_dir: '/mnt/Projects/Conda/pkgs/pip-25.3-pyh8b19718_0',
  files: [
    'lib/python3.11/site-packages/pip-25.3.dist-info/INSTALLER',
    'lib/python3.11/site-packages/pip/__main__.py',
    'lib/python3.11/site-packages/pip/__pycache__/__main__.cpython-311.pyc',
    'bin/pip',
  ],
  paths_data: {
    paths_version: 1,
    paths: [
      {
        _path: 'site-packages/pip-25.3.dist-info/INSTALLER',
        path_type: 'hardlink',
        sha256: 'd0edee15f91b406f3f99726e44eb990be6e34fd0345b52b910c568e0eef6a2a8',
        size_in_bytes: 5,
        sha256_in_prefix: 'd0edee15f91b406f3f99726e44eb990be6e34fd0345b52b910c568e0eef6a2a8',
      },
      {
        _path: 'site-packages/pip/__main__.py',
        path_type: 'hardlink',
        sha256: '5b36e11d74db484ea0058d7d98d37d9b8b39a3fdfae4b3af4d84a0aa06dd0611',
        size_in_bytes: 854,
        sha256_in_prefix: '5b36e11d74db484ea0058d7d98d37d9b8b39a3fdfae4b3af4d84a0aa06dd0611',
      },
      { _path: 'lib/python3.11/site-packages/pip/__pycache__/__main__.cpython-311.pyc', path_type: 'pyc_file' },
      { _path: 'bin/pip', path_type: 'unix_python_entry_point' },
    ],
  },
  link: { source: '/mnt/Projects/Conda/pkgs/pip-25.3-pyh8b19718_0', type: 1 },
} satisfies Record<string, Json>;

// conda 23.11 (MartinBaGar__Master_ISDD_fiches): conda records a softlink with its target's
// sha256 and size and no sha256_in_prefix.
const condaSoftlinks = {
  build: 'h7e041cc_3',
  build_number: 3,
  channel: 'https://conda.anaconda.org/conda-forge/linux-64',
  constrains: [],
  depends: ['libgcc-ng >=13.2.0'],
  extracted_package_dir: '/home/mabagar/miniconda3/pkgs/libsanitizer-13.2.0-h7e041cc_3',
  files: ['lib/libasan.so', 'lib/libasan.so.8.0.0'],
  fn: 'libsanitizer-13.2.0-h7e041cc_3.conda',
  license: 'GPL-3.0-only WITH GCC-exception-3.1',
  link: { source: '/home/mabagar/miniconda3/pkgs/libsanitizer-13.2.0-h7e041cc_3', type: 1 },
  md5: 'c63848839569bb82a3eff11f01e5de00',
  name: 'libsanitizer',
  package_tarball_full_path: '/home/mabagar/miniconda3/pkgs/libsanitizer-13.2.0-h7e041cc_3.conda',
  paths_data: {
    paths: [
      {
        _path: 'lib/libasan.so',
        path_type: 'softlink',
        sha256: '576c406460549ca6ae8a01ed106a82d37bd002cfe8a723d54bfb987bdc4e1476',
        size_in_bytes: 6647728,
      },
      {
        _path: 'lib/libasan.so.8.0.0',
        path_type: 'hardlink',
        sha256: '576c406460549ca6ae8a01ed106a82d37bd002cfe8a723d54bfb987bdc4e1476',
        sha256_in_prefix: '576c406460549ca6ae8a01ed106a82d37bd002cfe8a723d54bfb987bdc4e1476',
        size_in_bytes: 6647728,
      },
    ],
    paths_version: 1,
  },
  requested_spec: 'None',
  sha256: 'db89f198b17dace0b6b71a5985cb6957a134fba96dcbbf2979c013f44cc4eb13',
  size: 4068330,
  subdir: 'linux-64',
  timestamp: 1699753652000,
  url: 'https://conda.anaconda.org/conda-forge/linux-64/libsanitizer-13.2.0-h7e041cc_3.conda',
  version: '13.2.0',
} satisfies Record<string, Json>;

// mamba 2 (Caiofiga__Metagenomics-Course): short channel, python_site_packages_path, softlinks
// with sha256_in_prefix but no sha256, and no size_in_bytes for an empty file.
const libmambaPython = {
  arch: 'x86_64',
  build: 'h2b335a9_100_cp313',
  build_number: 100,
  build_string: 'h2b335a9_100_cp313',
  channel: 'conda-forge',
  constrains: ['python_abi 3.13.* *_cp313'],
  depends: ['__glibc >=2.17,<3.0.a0', 'bzip2 >=1.0.8,<2.0a0', 'libgcc >=14'],
  extracted_package_dir: '/home/figa/.mamba/pkgs/python-3.13.7-h2b335a9_100_cp313',
  files: ['bin/python', 'bin/python3.13', 'lib/python3.13/email/mime/__init__.py', 'lib/python3.13/os.py'],
  fn: 'python-3.13.7-h2b335a9_100_cp313.conda',
  license: 'Python-2.0',
  link: { source: '/home/figa/.mamba/pkgs/python-3.13.7-h2b335a9_100_cp313', type: 1 },
  md5: '724dcf9960e933838247971da07fe5cf',
  name: 'python',
  package_tarball_full_path: '/home/figa/.mamba/pkgs/python-3.13.7-h2b335a9_100_cp313.tar.bz2',
  paths_data: {
    paths: [
      {
        _path: 'bin/python',
        path_type: 'softlink',
        sha256_in_prefix: '67d67729821cebfa70d9c2b0aa74b4c807aaf85e7a756a76929a086dafd9f217',
        size_in_bytes: 33048112,
      },
      {
        _path: 'bin/python3.13',
        path_type: 'hardlink',
        sha256: '51e6393fd128cdc0418445f5f5e1317fb72edc7c1c0a4db80179f884353e02e4',
        sha256_in_prefix: '67d67729821cebfa70d9c2b0aa74b4c807aaf85e7a756a76929a086dafd9f217',
        size_in_bytes: 33048112,
      },
      { _path: 'lib/python3.13/email/mime/__init__.py', path_type: 'hardlink', sha256: EMPTY_SHA256, sha256_in_prefix: EMPTY_SHA256 },
      {
        _path: 'lib/python3.13/os.py',
        path_type: 'hardlink',
        sha256: '5e640713e89023372f493054ccedb7512ee27eb3ea6461677bc8c27c640d0605',
        sha256_in_prefix: '5e640713e89023372f493054ccedb7512ee27eb3ea6461677bc8c27c640d0605',
        size_in_bytes: 41627,
      },
    ],
    paths_version: 1,
  },
  platform: 'linux',
  python_site_packages_path: 'lib/python3.13/site-packages',
  requested_spec: 'python=3.13',
  sha256: '16cc30a5854f31ca6c3688337d34e37a79cdc518a06375fe3482ea8e2d6b34c8',
  size: 33583088,
  subdir: 'linux-64',
  timestamp: 1756911465,
  track_features: '',
  url: 'https://conda.anaconda.org/conda-forge/linux-64/python-3.13.7-h2b335a9_100_cp313.conda',
  version: '3.13.7',
} satisfies Record<string, Json>;

// micromamba 1.5 (KosinskiLab__AlphaPulldown): libmamba translates noarch paths in paths_data too.
const libmambaNoarchPip = {
  arch: null,
  build: 'pyh8b19718_2',
  build_number: 2,
  channel: 'conda-forge',
  depends: ['python >=3.9,<3.13.0a0', 'setuptools', 'wheel'],
  extracted_package_dir: '/home/dmolodenskiy/AlphaPulldown/conda/pkgs/pip-24.3.1-pyh8b19718_2',
  files: ['lib/python3.12/site-packages/pip-24.3.1.dist-info/AUTHORS.txt', 'bin/pip'],
  fn: 'pip-24.3.1-pyh8b19718_2.conda',
  license: 'MIT',
  license_family: 'MIT',
  link: { source: '/home/dmolodenskiy/AlphaPulldown/conda/pkgs/pip-24.3.1-pyh8b19718_2', type: 1 },
  md5: '04e691b9fadd93a8a9fad87a81d4fd8f',
  name: 'pip',
  noarch: 'python',
  package_tarball_full_path: '/home/dmolodenskiy/AlphaPulldown/conda/pkgs/pip-24.3.1-pyh8b19718_2.tar.bz2',
  paths_data: {
    paths: [
      {
        _path: 'lib/python3.12/site-packages/pip-24.3.1.dist-info/AUTHORS.txt',
        path_type: 'hardlink',
        sha256: '09b6fadf493c10bf45901cd7f55a62ea1a585ab2d2961d3c797a1d2f9bb478b2',
        sha256_in_prefix: '09b6fadf493c10bf45901cd7f55a62ea1a585ab2d2961d3c797a1d2f9bb478b2',
        size_in_bytes: 10925,
      },
      { _path: 'bin/pip', path_type: 'unix_python_entry_point' },
    ],
    paths_version: 1,
  },
  platform: null,
  requested_spec: 'conda-forge/noarch::pip==24.3.1=pyh8b19718_2[md5=04e691b9fadd93a8a9fad87a81d4fd8f]',
  sha256: 'da8c8888de10c1e4234ebcaa1550ac2b4b5408ac20f093fe641e4bc8c9c9f3eb',
  size: 1245116,
  subdir: 'noarch',
  timestamp: 1734466348103,
  url: 'https://conda.anaconda.org/conda-forge/noarch/pip-24.3.1-pyh8b19718_2.conda',
  version: '24.3.1',
} satisfies Record<string, Json>;

// pixi 0.65 (RoboStack__ros-humble): index.json order, then fn/url/channel/...; requested_specs
// list; hardlinks carry sha256_in_prefix only when prefix replacement changed the file.
const rattlerPython = {
  arch: 'x86_64',
  build: 'hd63d673_0_cpython',
  build_number: 0,
  constrains: ['python_abi 3.11.* *_cp311'],
  depends: ['__glibc >=2.17,<3.0.a0', 'bzip2 >=1.0.8,<2.0a0'],
  license: 'Python-2.0',
  md5: 'a5ebcefec0c12a333bcd6d7bf3bddc1f',
  name: 'python',
  platform: 'linux',
  purls: [],
  sha256: 'bf6a32c69889d38482436a786bea32276756cedf0e9805cc856ffd088e8d00f0',
  size: 30949404,
  subdir: 'linux-64',
  timestamp: 1772730362552,
  version: '3.11.15',
  fn: 'python-3.11.15-hd63d673_0_cpython.conda',
  url: 'https://repo.prefix.dev/conda-forge/linux-64/python-3.11.15-hd63d673_0_cpython.conda',
  channel: 'https://repo.prefix.dev/conda-forge/',
  extracted_package_dir: '/home/runner/.cache/rattler/cache/pkgs/python-3.11.15-hd63d673_0_cpython',
  requested_specs: [],
  files: ['bin/python3', 'bin/python3.11', 'lib/python3.11/os.py'],
  paths_data: {
    paths_version: 1,
    paths: [
      {
        _path: 'bin/python3',
        path_type: 'softlink',
        sha256: '1e52dddee39e7703932a0f05942eb758f81b473f96200217f396743289cc2d63',
        sha256_in_prefix: '72e78ddac08187448a816f3688b1b27700b00f882d34e6021acdbdbe4c54008b',
        size_in_bytes: 25533120,
      },
      {
        _path: 'bin/python3.11',
        path_type: 'hardlink',
        sha256: '1e52dddee39e7703932a0f05942eb758f81b473f96200217f396743289cc2d63',
        sha256_in_prefix: 'a8b0ecec6015a95b78a6b3753b30efe1bc2bdaa1ebd283d137e9b2650628a43b',
        size_in_bytes: 25533120,
        file_mode: 'binary',
        prefix_placeholder: '/home/conda/feedstock_root/build_artifacts/python-split_1772728112263/_h_env_placehold_placehold',
      },
      {
        _path: 'lib/python3.11/os.py',
        path_type: 'hardlink',
        sha256: '8a5d4ac7b87c6c5b31fcb5081f7f7c06f8403a2fdb3eb23692c48933baeb899e',
        size_in_bytes: 39530,
      },
    ],
  },
  link: { source: '/home/runner/.cache/rattler/cache/pkgs/python-3.11.15-hd63d673_0_cpython', type: 1 },
} satisfies Record<string, Json>;

// pixi 0.65 (RoboStack__ros-humble): a noarch:python package; rattler hashes and sizes its
// entry points, and translates every path itself.
const rattlerNoarchTqdm = {
  build: 'pyh8f84b5b_0',
  build_number: 0,
  depends: ['python >=3.10', '__unix', 'python'],
  license: 'MPL-2.0 and MIT',
  md5: 'e5ce43272193b38c2e9037446c1d9206',
  name: 'tqdm',
  noarch: 'python',
  purls: ['pkg:pypi/tqdm?source=compressed-mapping'],
  sha256: '9ef8e47cf00e4d6dcc114eb32a1504cc18206300572ef14d76634ba29dfe1eb6',
  size: 94132,
  subdir: 'noarch',
  timestamp: 1770153424136,
  version: '4.67.3',
  fn: 'tqdm-4.67.3-pyh8f84b5b_0.conda',
  url: 'https://repo.prefix.dev/conda-forge/noarch/tqdm-4.67.3-pyh8f84b5b_0.conda',
  channel: 'https://repo.prefix.dev/conda-forge/',
  extracted_package_dir: '/home/runner/.cache/rattler/cache/pkgs/tqdm-4.67.3-pyh8f84b5b_0',
  requested_specs: [],
  files: ['lib/python3.11/site-packages/tqdm/__init__.py', 'lib/python3.11/site-packages/tqdm-4.67.3.dist-info/RECORD', 'bin/tqdm'],
  paths_data: {
    paths_version: 1,
    paths: [
      {
        _path: 'lib/python3.11/site-packages/tqdm/__init__.py',
        path_type: 'hardlink',
        sha256: 'f6640d6124aa3fdf496acb9b102d4f3892cc9a1924047e9c259c4f211e46da94',
        size_in_bytes: 1572,
      },
      {
        _path: 'lib/python3.11/site-packages/tqdm-4.67.3.dist-info/RECORD',
        path_type: 'hardlink',
        sha256: '6a1654c48a49d67d108ab7367d52fee6c065e928854ad63b0e966ab7201b191b',
        size_in_bytes: 4722,
      },
      {
        _path: 'bin/tqdm',
        path_type: 'unix_python_entry_point',
        sha256: 'd3edb235e6a54eba660b4a80f1360544dfd8fb79d5423cc7789cee4f545ba969',
        size_in_bytes: 261,
      },
    ],
  },
  link: { source: '/home/runner/.cache/rattler/cache/pkgs/tqdm-4.67.3-pyh8f84b5b_0', type: 1 },
} satisfies Record<string, Json>;

// pixi 0.39 (uscuni__people_places): no requested_specs; channel URL with a trailing slash.
const rattler039Numpy = {
  arch: 'x86_64',
  build: 'py312h58c1407_1',
  build_number: 1,
  constrains: ['numpy-base <0a0'],
  depends: ['__glibc >=2.17,<3.0.a0', 'python >=3.12,<3.13.0a0'],
  license: 'BSD-3-Clause',
  license_family: 'BSD',
  md5: '46c8b5eb9925ef7c228fddd09078e16e',
  name: 'numpy',
  platform: 'linux',
  sha256: '02e095740ab89deae5a8563fe60823e375aa2b7234593704980f01caa16a3ded',
  size: 8463419,
  subdir: 'linux-64',
  timestamp: 1732314903721,
  version: '2.0.2',
  fn: 'numpy-2.0.2-py312h58c1407_1.conda',
  url: 'https://conda.anaconda.org/conda-forge/linux-64/numpy-2.0.2-py312h58c1407_1.conda',
  channel: 'https://conda.anaconda.org/conda-forge/',
  extracted_package_dir: '/home/anna/.cache/rattler/cache/pkgs/numpy-2.0.2-py312h58c1407_1',
  files: ['bin/f2py'],
  paths_data: {
    paths_version: 1,
    paths: [
      {
        _path: 'bin/f2py',
        path_type: 'hardlink',
        sha256: '7c898672a0f57f4927a42a21c2985f94bb5b29511543d6b6d444adb0dce48cb3',
        sha256_in_prefix: '549306d82fa4a4399150fd49e68f7758b19824794bd33b3afaf0dfb8e9b7143d',
        size_in_bytes: 295,
        file_mode: 'text',
        prefix_placeholder: '/home/conda/feedstock_root/build_artifacts/numpy_1732314301112/_h_env_placehold_placehold',
      },
    ],
  },
  link: { source: '/home/anna/.cache/rattler/cache/pkgs/numpy-2.0.2-py312h58c1407_1', type: 1 },
} satisfies Record<string, Json>;

// Anaconda 2024.10 installer (htella26__robot_learning_sim): constructor wrote paths_data only
// for the one prefix-replaced file; the other files are still the package's.
const constructorBokeh = {
  build: 'py312h06a4308_0',
  build_number: 0,
  channel: 'https://repo.anaconda.com/pkgs/main/linux-64',
  constrains: [],
  depends: ['jinja2 >=2.9', 'python >=3.12,<3.13.0a0'],
  extracted_package_dir: '/home/hambal/robot-learning-practice/anaconda3/pkgs/bokeh-3.6.0-py312h06a4308_0',
  files: [
    'bin/bokeh',
    'lib/python3.12/site-packages/bokeh-3.6.0.dist-info/INSTALLER',
    'lib/python3.12/site-packages/bokeh/__init__.py',
    'lib/python3.12/site-packages/bokeh/server/static/js/bokeh.min.js',
  ],
  fn: 'bokeh-3.6.0-py312h06a4308_0.conda',
  license: 'BSD-3-Clause',
  link: { source: '/home/hambal/robot-learning-practice/anaconda3/pkgs/bokeh-3.6.0-py312h06a4308_0', type: 1 },
  md5: 'b2344bce475b9bb706c2a887ff0b56f4',
  name: 'bokeh',
  package_tarball_full_path: '/home/hambal/robot-learning-practice/anaconda3/pkgs/bokeh-3.6.0-py312h06a4308_0.conda',
  paths_data: {
    paths: [
      {
        _path: 'bin/bokeh',
        file_mode: 'text',
        path_type: 'hardlink',
        prefix_placeholder: '/croot/bokeh_1727914487135/_h_env_placehold_placehold_placehold',
        sha256: '677e96bb12048c8536fe490adc940f389962aa01782786f8dc504f5e5a841994',
        sha256_in_prefix: '87a4791442fd59f55f21ae04ba4f5bd0faf4afe59e0ce7ce57eb35b9670dc169',
        size_in_bytes: 467,
      },
    ],
    paths_version: 1,
  },
  requested_spec: 'defaults/linux-64::bokeh==3.6.0=py312h06a4308_0[md5=b2344bce475b9bb706c2a887ff0b56f4]',
  sha256: '7f861c9836c9287709f74c531088c8f4ca2bb59530465fb4d694013d5084c9bd',
  size: 5948464,
  subdir: 'linux-64',
  timestamp: 1727914572000,
  url: 'https://repo.anaconda.com/pkgs/main/linux-64/bokeh-3.6.0-py312h06a4308_0.conda',
  version: '3.6.0',
} satisfies Record<string, Json>;

// conda 25.1 (conda's own tests, envpy313tosx_whl): the free-threaded python names its own
// site-packages.
const conda313tPython = {
  build: 'hfd29fff_1_cp313t',
  build_number: 1,
  channel: 'https://conda.anaconda.org/conda-forge/osx-arm64',
  constrains: [],
  depends: ['__osx >=11.0', 'bzip2 >=1.0.8,<2.0a0', 'libexpat >=2.6.4,<3.0a0'],
  extracted_package_dir: '/Users/jhelmus/workspace/conda/devenv/Darwin/arm64/envs/devenv-3.10-c/pkgs/python-3.13.2-hfd29fff_1_cp313t',
  features: '',
  files: ['bin/python3.13t', 'lib/python3.13t/os.py'],
  fn: 'python-3.13.2-hfd29fff_1_cp313t.conda',
  license: 'Python-2.0',
  link: { source: '/Users/jhelmus/workspace/conda/devenv/Darwin/arm64/envs/devenv-3.10-c/pkgs/python-3.13.2-hfd29fff_1_cp313t', type: 1 },
  md5: '9d0ae3f3e43c192a992827c0abffe284',
  name: 'python',
  package_tarball_full_path: '/Users/jhelmus/workspace/conda/devenv/Darwin/arm64/envs/devenv-3.10-c/pkgs/python-3.13.2-hfd29fff_1_cp313t.conda',
  paths_data: {
    paths: [
      {
        _path: 'bin/python3.13t',
        file_mode: 'binary',
        path_type: 'hardlink',
        prefix_placeholder: '/Users/runner/miniforge3/conda-bld/python-split_1739799676459/_h_env_placehold_placehold',
        sha256: 'a7646bde8079d3515f611b6b864f9a12d948d805084803894269b3a23d0e0f41',
        sha256_in_prefix: '5e58588c57aec06cc0a2d21dc34694fdf22f2f4b02c71204b6c6bc46e0ccbdd9',
        size_in_bytes: 6426736,
      },
      {
        _path: 'lib/python3.13t/os.py',
        path_type: 'hardlink',
        sha256: 'cf83304364b417fd2bd89a99247d4122a70f0696a7a0e932df3856692cf43623',
        sha256_in_prefix: 'cf83304364b417fd2bd89a99247d4122a70f0696a7a0e932df3856692cf43623',
        size_in_bytes: 41554,
      },
    ],
    paths_version: 1,
  },
  python_site_packages_path: 'lib/python3.13t/site-packages',
  requested_spec: 'python=3.13',
  sha256: 'a64466b8f65b77604c3c87092c65d9e51e7db44b11eaa6c469894f0b88b1af5a',
  size: 14737126,
  subdir: 'osx-arm64',
  timestamp: 1739801201634,
  track_features: 'py_freethreading',
  url: 'https://conda.anaconda.org/conda-forge/osx-arm64/python-3.13.2-hfd29fff_1_cp313t.conda',
  version: '3.13.2',
} satisfies Record<string, Json>;

// micromamba on Windows (rattler's test-data): a noarch package lands in Lib/site-packages and
// Scripts/, and conda-style untranslated `site-packages/...` entries remain in paths_data.
const windowsNoarchWheel = {
  build: 'pyhd8ed1ab_0',
  build_number: 0,
  channel: 'https://conda.anaconda.org/conda-forge/noarch',
  constrains: [],
  depends: ['python >=3.7'],
  extracted_package_dir: 'C:\\Users\\bas\\micromamba\\envs\\conda\\pkgs\\wheel-0.38.4-pyhd8ed1ab_0',
  files: ['Lib/site-packages/wheel/__init__.py', 'Scripts/wheel-script.py', 'Scripts/wheel.exe'],
  fn: 'wheel-0.38.4-pyhd8ed1ab_0.tar.bz2',
  license: 'MIT',
  license_family: 'MIT',
  link: { source: 'C:\\Users\\bas\\micromamba\\envs\\conda\\pkgs\\wheel-0.38.4-pyhd8ed1ab_0', type: 1 },
  md5: 'c829cfb8cb826acb9de0ac1a2df0a940',
  name: 'wheel',
  noarch: 'python',
  package_tarball_full_path: 'C:\\Users\\bas\\micromamba\\envs\\conda\\pkgs\\wheel-0.38.4-pyhd8ed1ab_0.tar.bz2',
  package_type: 'noarch_python',
  paths_data: {
    paths: [
      {
        _path: 'site-packages/wheel/__init__.py',
        path_type: 'hardlink',
        sha256: 'db026b83eb702551c86d55ef7998f1c8cb718de9593957dff5b9e14c1b7779e7',
        sha256_in_prefix: 'db026b83eb702551c86d55ef7998f1c8cb718de9593957dff5b9e14c1b7779e7',
        size_in_bytes: 59,
      },
      { _path: 'Scripts/wheel-script.py', path_type: 'windows_python_entry_point_script' },
      { _path: 'Scripts/wheel.exe', path_type: 'windows_python_entry_point_exe' },
    ],
    paths_version: 1,
  },
  requested_spec: 'conda-forge/noarch::wheel==0.38.4=pyhd8ed1ab_0[md5=c829cfb8cb826acb9de0ac1a2df0a940]',
  sha256: 'bd4f11ff075ff251ade9f57686f31473e25be46ab282d9603f551401250f9f44',
  size: 32521,
  subdir: 'noarch',
  timestamp: 1668051714265,
  url: 'https://conda.anaconda.org/conda-forge/noarch/wheel-0.38.4-pyhd8ed1ab_0.tar.bz2',
  version: '0.38.4',
} satisfies Record<string, Json>;

// A metapackage (conda 22.9, YOURENXIAKE__CDQA): nothing installed at all.
const condaMutex = {
  build: 'conda_forge',
  build_number: 0,
  channel: 'https://conda.anaconda.org/conda-forge/linux-64',
  constrains: [],
  depends: [],
  extracted_package_dir: '/users12/zrchen/anaconda3/pkgs/_libgcc_mutex-0.1-conda_forge',
  features: '',
  files: [],
  fn: '_libgcc_mutex-0.1-conda_forge.tar.bz2',
  license: 'None',
  link: { source: '/users12/zrchen/anaconda3/pkgs/_libgcc_mutex-0.1-conda_forge', type: 1 },
  md5: 'd7c89558ba9fa0495403155b64376d81',
  name: '_libgcc_mutex',
  package_tarball_full_path: '/users12/zrchen/anaconda3/pkgs/_libgcc_mutex-0.1-conda_forge.tar.bz2',
  paths_data: { paths: [], paths_version: 1 },
  requested_spec: 'None',
  sha256: 'fe51de6107f9edc7aa4f786a70f4a883943bc9d39b3bb7307c04c41410990726',
  size: 2562,
  subdir: 'linux-64',
  timestamp: 1578324546067,
  track_features: '',
  url: 'https://conda.anaconda.org/conda-forge/linux-64/_libgcc_mutex-0.1-conda_forge.tar.bz2',
  version: '0.1',
} satisfies Record<string, Json>;

describe('parseCondaRecord: conda-written records', () => {
  const record = parsed(condaDump(condaNoarchPip), 'conda-meta/pip-23.1.2-pyhd8ed1ab_0.json');

  it('reads the identity fields as written, with the full channel URL', () => {
    expect(record.package).toMatchObject({
      name: 'pip',
      version: '23.1.2',
      build: 'pyhd8ed1ab_0',
      channel: 'https://conda.anaconda.org/conda-forge/noarch',
      source: 'conda',
      recordPath: 'conda-meta/pip-23.1.2-pyhd8ed1ab_0.json',
      writer: 'conda',
      noarch: 'python',
    });
    expect(record.unsafePaths).toEqual([]);
    expect(record.pythonSitePackagesPath).toBeUndefined();
  });

  it('keeps every path of `files`, in order, as the installed (translated) path', () => {
    expect(record.package.files.map((file) => file.path)).toEqual(condaNoarchPip.files);
  });

  it('joins a translated site-packages path to its untranslated paths_data entry', () => {
    expect(fileAt(record, 'lib/python3.8/site-packages/pip/__init__.py')).toEqual({
      path: 'lib/python3.8/site-packages/pip/__init__.py',
      pathType: 'hardlink',
      size: 357,
      sha256: '3effec8ee1ed273bccd2341771d714f7ed680a5dd0f24be4f6f0e2d616ff36c4',
    });
    expect(fileAt(record, 'lib/python3.8/site-packages/pip-23.1.2.dist-info/INSTALLER')).toMatchObject({ pathType: 'hardlink', size: 5 });
  });

  it('reads pyc_file and entry point entries conda writes without size or hash', () => {
    expect(fileAt(record, 'lib/python3.8/site-packages/pip/__pycache__/__init__.cpython-38.pyc')).toEqual({
      path: 'lib/python3.8/site-packages/pip/__pycache__/__init__.cpython-38.pyc',
      pathType: 'pyc_file',
    });
    expect(fileAt(record, 'bin/pip')).toEqual({ path: 'bin/pip', pathType: 'unix_python_entry_point' });
  });

  it('joins bin/<script> to its python-scripts/ entry and keeps the in-prefix hash', () => {
    const script = parsed(condaDump(condaNoarchScript));
    expect(fileAt(script, 'bin/qdarkstyle')).toEqual({
      path: 'bin/qdarkstyle',
      pathType: 'hardlink',
      // A prefix-replaced file: conda records its packaged size, which says nothing of the installed one.
      sha256: '2bb9259208c0c18f71a5b40d51d58bf7cfc82af6c384b270b62e54402971b3ea',
    });
    expect(fileAt(script, 'lib/python3.8/site-packages/qdarkstyle/__init__.py').size).toBe(11565);
  });

  it('reads conda 25.9 records, whose keys are no longer sorted', () => {
    const text = orderedDump(conda259Pip);
    expect(text.startsWith('{\n  "name": "pip",\n  "version": "25.3"')).toBe(true);
    const record259 = parsed(text);
    expect(record259.package).toMatchObject({ name: 'pip', version: '25.3', build: 'pyh8b19718_0', writer: 'conda', noarch: 'python' });
    expect(record259.package.files).toEqual([
      {
        path: 'lib/python3.11/site-packages/pip-25.3.dist-info/INSTALLER',
        pathType: 'hardlink',
        size: 5,
        sha256: 'd0edee15f91b406f3f99726e44eb990be6e34fd0345b52b910c568e0eef6a2a8',
      },
      {
        path: 'lib/python3.11/site-packages/pip/__main__.py',
        pathType: 'hardlink',
        size: 854,
        sha256: '5b36e11d74db484ea0058d7d98d37d9b8b39a3fdfae4b3af4d84a0aa06dd0611',
      },
      { path: 'lib/python3.11/site-packages/pip/__pycache__/__main__.cpython-311.pyc', pathType: 'pyc_file' },
      { path: 'bin/pip', pathType: 'unix_python_entry_point' },
    ]);
  });

  it("gives a softlink the target's hash but no size of its own", () => {
    const links = parsed(condaDump(condaSoftlinks));
    expect(links.package.noarch).toBeUndefined();
    expect(fileAt(links, 'lib/libasan.so')).toEqual({
      path: 'lib/libasan.so',
      pathType: 'softlink',
      sha256: '576c406460549ca6ae8a01ed106a82d37bd002cfe8a723d54bfb987bdc4e1476',
    });
    expect(fileAt(links, 'lib/libasan.so.8.0.0')).toMatchObject({ pathType: 'hardlink', size: 6647728 });
  });

  it('maps Windows noarch paths (Lib/site-packages, Scripts/) to their entries', () => {
    const wheel = parsed(condaDump(windowsNoarchWheel));
    expect(wheel.package.files).toEqual([
      {
        path: 'Lib/site-packages/wheel/__init__.py',
        pathType: 'hardlink',
        size: 59,
        sha256: 'db026b83eb702551c86d55ef7998f1c8cb718de9593957dff5b9e14c1b7779e7',
      },
      { path: 'Scripts/wheel-script.py', pathType: 'windows_python_entry_point_script' },
      { path: 'Scripts/wheel.exe', pathType: 'windows_python_entry_point_exe' },
    ]);
  });

  it('reports python_site_packages_path of a free-threaded python', () => {
    const python = parsed(condaDump(conda313tPython));
    expect(python.pythonSitePackagesPath).toBe('lib/python3.13t/site-packages');
    expect(python.package.files.map((file) => file.path)).toEqual(['bin/python3.13t', 'lib/python3.13t/os.py']);
    // Prefix-replaced: the recorded size is the packaged one, so none is given.
    expect(fileAt(python, 'bin/python3.13t')).toEqual({ path: 'bin/python3.13t', pathType: 'hardlink', sha256: '5e58588c57aec06cc0a2d21dc34694fdf22f2f4b02c71204b6c6bc46e0ccbdd9' });
  });

  it('reads a metapackage with `files: []` as a package that owns nothing', () => {
    const mutex = parsed(condaDump(condaMutex));
    expect(mutex.package).toMatchObject({ name: '_libgcc_mutex', version: '0.1', build: 'conda_forge', writer: 'conda' });
    expect(mutex.package.files).toEqual([]);
    expect(mutex.unsafePaths).toEqual([]);
  });
});

describe('parseCondaRecord: constructor-installed records with incomplete paths_data', () => {
  const record = parsed(condaDump(constructorBokeh));

  it('owns every file of `files`, even those without a paths_data entry', () => {
    expect(record.package.files.map((file) => file.path)).toEqual(constructorBokeh.files);
  });

  it('knows nothing about a file without an entry: unknown type, no size, no hash', () => {
    for (const path of constructorBokeh.files.slice(1)) {
      expect(fileAt(record, path)).toEqual({ path, pathType: 'unknown' });
    }
  });

  it('still reads the entry that was written', () => {
    expect(fileAt(record, 'bin/bokeh')).toEqual({
      path: 'bin/bokeh',
      pathType: 'hardlink',
      // A prefix-replaced file: conda records its packaged size, which says nothing of the installed one.
      sha256: '87a4791442fd59f55f21ae04ba4f5bd0faf4afe59e0ce7ce57eb35b9670dc169',
    });
  });
});

describe('parseCondaRecord: libmamba-written records', () => {
  const text = libmambaDump(libmambaPython);
  const record = parsed(text, 'conda-meta/python-3.13.7-h2b335a9_100_cp313.json');

  it('is written with four-space indent and detected as libmamba', () => {
    expect(text.startsWith('{\n    "arch"')).toBe(true);
    expect(record.package.writer).toBe('libmamba');
  });

  it('keeps the short channel name as written', () => {
    expect(record.package.channel).toBe('conda-forge');
    expect(record.package.build).toBe('h2b335a9_100_cp313');
  });

  it('reports python_site_packages_path', () => {
    expect(record.pythonSitePackagesPath).toBe('lib/python3.13/site-packages');
  });

  it('gives an empty file size 0 from its sha256 when size_in_bytes is omitted', () => {
    expect(fileAt(record, 'lib/python3.13/email/mime/__init__.py')).toEqual({
      path: 'lib/python3.13/email/mime/__init__.py',
      pathType: 'hardlink',
      size: 0,
      sha256: EMPTY_SHA256,
    });
  });

  it('takes a softlink hash from sha256_in_prefix when sha256 is missing', () => {
    expect(fileAt(record, 'bin/python')).toEqual({
      path: 'bin/python',
      pathType: 'softlink',
      sha256: '67d67729821cebfa70d9c2b0aa74b4c807aaf85e7a756a76929a086dafd9f217',
    });
  });

  it('prefers sha256_in_prefix over sha256 for a prefix-replaced hardlink', () => {
    expect(fileAt(record, 'bin/python3.13')).toEqual({
      path: 'bin/python3.13',
      pathType: 'hardlink',
      // libmamba, too, records the packaged size of a prefix-replaced file.
      sha256: '67d67729821cebfa70d9c2b0aa74b4c807aaf85e7a756a76929a086dafd9f217',
    });
    expect(fileAt(record, 'lib/python3.13/os.py').size).toBe(41627);
  });

  it('reads noarch records whose paths_data is already translated', () => {
    const pip = parsed(libmambaDump(libmambaNoarchPip));
    expect(pip.package).toMatchObject({ writer: 'libmamba', noarch: 'python', channel: 'conda-forge' });
    expect(pip.package.files).toEqual([
      {
        path: 'lib/python3.12/site-packages/pip-24.3.1.dist-info/AUTHORS.txt',
        pathType: 'hardlink',
        size: 10925,
        sha256: '09b6fadf493c10bf45901cd7f55a62ea1a585ab2d2961d3c797a1d2f9bb478b2',
      },
      { path: 'bin/pip', pathType: 'unix_python_entry_point' },
    ]);
  });
});

describe('parseCondaRecord: rattler-written records', () => {
  const record = parsed(orderedDump(rattlerPython), 'conda-meta/python-3.11.15-hd63d673_0_cpython.json');

  it('is detected as rattler because it has no package_tarball_full_path', () => {
    expect(record.package.writer).toBe('rattler');
    expect(record.package).toMatchObject({ name: 'python', version: '3.11.15', build: 'hd63d673_0_cpython', channel: 'https://repo.prefix.dev/conda-forge/' });
    expect(record.pythonSitePackagesPath).toBeUndefined();
  });

  it('uses sha256 for a 0.65 hardlink that has no sha256_in_prefix', () => {
    expect(fileAt(record, 'lib/python3.11/os.py')).toEqual({
      path: 'lib/python3.11/os.py',
      pathType: 'hardlink',
      size: 39530,
      sha256: '8a5d4ac7b87c6c5b31fcb5081f7f7c06f8403a2fdb3eb23692c48933baeb899e',
    });
  });

  it('uses sha256_in_prefix when prefix replacement changed the file', () => {
    expect(fileAt(record, 'bin/python3.11').sha256).toBe('a8b0ecec6015a95b78a6b3753b30efe1bc2bdaa1ebd283d137e9b2650628a43b');
    expect(fileAt(record, 'bin/python3')).toEqual({
      path: 'bin/python3',
      pathType: 'softlink',
      sha256: '72e78ddac08187448a816f3688b1b27700b00f882d34e6021acdbdbe4c54008b',
    });
  });

  it('reads a noarch package with hashed and sized entry points and a requested_specs list', () => {
    const tqdm = parsed(orderedDump(rattlerNoarchTqdm));
    expect(tqdm.package).toMatchObject({ name: 'tqdm', version: '4.67.3', writer: 'rattler', noarch: 'python' });
    expect(fileAt(tqdm, 'bin/tqdm')).toEqual({
      path: 'bin/tqdm',
      pathType: 'unix_python_entry_point',
      size: 261,
      sha256: 'd3edb235e6a54eba660b4a80f1360544dfd8fb79d5423cc7789cee4f545ba969',
    });
    expect(fileAt(tqdm, 'lib/python3.11/site-packages/tqdm-4.67.3.dist-info/RECORD').size).toBe(4722);
  });

  it('reads a pixi 0.39 record (no requested_specs) as rattler too', () => {
    const numpy = parsed(orderedDump(rattler039Numpy));
    expect(numpy.package.writer).toBe('rattler');
    expect(numpy.package.channel).toBe('https://conda.anaconda.org/conda-forge/');
    expect(fileAt(numpy, 'bin/f2py')).toEqual({
      path: 'bin/f2py',
      pathType: 'hardlink',
      size: 295,
      sha256: '549306d82fa4a4399150fd49e68f7758b19824794bd33b3afaf0dfb8e9b7143d',
    });
  });
});

describe('parseCondaRecord: shapes outside the common path', () => {
  it('builds the file list from paths_data when `files` is absent', () => {
    const { files: _files, ...withoutFiles } = rattlerPython;
    const record = parsed(orderedDump(withoutFiles));
    expect(record.package.files.map((file) => file.path)).toEqual(['bin/python3', 'bin/python3.11', 'lib/python3.11/os.py']);
    expect(fileAt(record, 'lib/python3.11/os.py').size).toBe(39530);
  });

  it('reads a record with neither `files` nor paths_data as owning nothing', () => {
    const record = parsed(JSON.stringify({ name: 'ghost', version: '1.0', build: '0' }, null, 2));
    expect(record.package.files).toEqual([]);
    expect(record.package.build).toBe('0');
  });

  it('treats an unknown path_type as unknown but keeps what it records', () => {
    const record = parsed(
      condaDump({
        ...condaSoftlinks,
        files: ['lib/libasan.so.8.0.0'],
        paths_data: {
          paths: [{ _path: 'lib/libasan.so.8.0.0', path_type: 'hardlink_v2', sha256: 'ab'.repeat(32), size_in_bytes: 12 }],
          paths_version: 1,
        },
      }),
    );
    expect(record.package.files).toEqual([{ path: 'lib/libasan.so.8.0.0', pathType: 'unknown', size: 12, sha256: 'ab'.repeat(32) }]);
  });

  it('gives a directory entry no size', () => {
    const record = parsed(
      condaDump({
        ...condaSoftlinks,
        files: ['share/empty-dir'],
        paths_data: { paths: [{ _path: 'share/empty-dir', path_type: 'directory', size_in_bytes: 4096 }], paths_version: 1 },
      }),
    );
    expect(record.package.files).toEqual([{ path: 'share/empty-dir', pathType: 'directory' }]);
  });

  it('keeps an explicit size 0 and a missing build as empty', () => {
    const { build: _build, ...noBuild } = condaSoftlinks;
    const record = parsed(
      condaDump({
        ...noBuild,
        files: ['lib/empty.txt'],
        paths_data: { paths: [{ _path: 'lib/empty.txt', path_type: 'hardlink', sha256: EMPTY_SHA256, size_in_bytes: 0 }], paths_version: 1 },
      }),
    );
    expect(record.package.build).toBe('');
    expect(fileAt(record, 'lib/empty.txt').size).toBe(0);
  });

  it('ignores python_site_packages_path when it is not a string', () => {
    const record = parsed(libmambaDump({ ...libmambaPython, python_site_packages_path: null }));
    expect(record.pythonSitePackagesPath).toBeUndefined();
  });

  it('detects the writer of each variant', () => {
    const writers = [
      condaDump(condaNoarchPip),
      orderedDump(conda259Pip),
      libmambaDump(libmambaPython),
      libmambaDump(libmambaNoarchPip),
      orderedDump(rattlerPython),
      orderedDump(rattler039Numpy),
      condaDump(constructorBokeh),
    ].map((text) => parsed(text).package.writer);
    expect(writers).toEqual(['conda', 'conda', 'libmamba', 'libmamba', 'rattler', 'rattler', 'conda']);
  });
});

describe('parseCondaRecord: problems', () => {
  it('reports a record cut in the middle as invalid-json, naming the file', () => {
    const text = condaDump(condaNoarchPip);
    const cut = text.slice(0, Math.floor(text.length / 2));
    const result = problem(cut, 'conda-meta/pip-23.1.2-pyhd8ed1ab_0.json');
    expect(result.code).toBe('invalid-json');
    expect(result.path).toBe('conda-meta/pip-23.1.2-pyhd8ed1ab_0.json');
    expect(result.message).toMatch(/truncated or corrupt/);
  });

  it('reports an empty file as invalid-json', () => {
    expect(problem('').code).toBe('invalid-json');
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"python"'],
    ['a number', '42'],
  ])('reports %s as invalid-record', (_label, text) => {
    const result = problem(text, 'conda-meta/odd.json');
    expect(result).toMatchObject({ path: 'conda-meta/odd.json', code: 'invalid-record' });
    expect(result.message).toMatch(/JSON object/);
  });

  it.each([
    ['no name', { version: '1.0', files: [] }],
    ['no version', { name: 'zlib', files: [] }],
    ['an empty name', { name: '', version: '1.0' }],
    ['an empty version', { name: 'zlib', version: '' }],
    ['a numeric version', { name: 'zlib', version: 1.3 }],
  ])('reports a record with %s as invalid-record', (_label, record) => {
    const result = problem(JSON.stringify(record, null, 2));
    expect(result.code).toBe('invalid-record');
    expect(result.message).toMatch(/"name" and "version"/);
  });

  it.each([
    ['a string', 'lib/libz.so'],
    ['a list with a number', ['lib/libz.so', 3]],
    ['an object', { 'lib/libz.so': true }],
    ['null', null],
  ])('reports `files` that is %s as invalid-record', (_label, files) => {
    const result = problem(JSON.stringify({ name: 'zlib', version: '1.3.1', files }, null, 2));
    expect(result.code).toBe('invalid-record');
    expect(result.message).toMatch(/"files"/);
  });

  it('lists absolute and climbing paths of `files` as unsafe and drops them from files', () => {
    const unsafe = ['/etc/passwd', '../../../etc/shadow', 'lib/../../escape', 'C:/Windows/System32/evil.dll', '..\\outside.txt', '\\\\server\\share'];
    const record = parsed(
      condaDump({
        ...condaSoftlinks,
        files: ['lib/libasan.so.8.0.0', ...unsafe],
        paths_data: {
          paths: [
            ...condaSoftlinks.paths_data.paths.slice(1),
            ...unsafe.map((path) => ({ _path: path, path_type: 'hardlink', sha256: 'ab'.repeat(32), size_in_bytes: 1 })),
          ],
          paths_version: 1,
        },
      }),
    );
    expect(record.unsafePaths).toEqual(unsafe);
    expect(record.package.files.map((file) => file.path)).toEqual(['lib/libasan.so.8.0.0']);
    expect(fileAt(record, 'lib/libasan.so.8.0.0').size).toBe(6647728);
  });

  it('lists unsafe `_path` entries as unsafe when the record has no `files`', () => {
    const record = parsed(
      JSON.stringify(
        {
          name: 'evil',
          version: '1.0',
          paths_data: {
            paths_version: 1,
            paths: [
              { _path: 'lib/ok.txt', path_type: 'hardlink', sha256: 'ab'.repeat(32), size_in_bytes: 3 },
              { _path: '/usr/lib/libc.so.6', path_type: 'hardlink', size_in_bytes: 1 },
              { _path: 'share/../../../home/user/.bashrc', path_type: 'hardlink', size_in_bytes: 1 },
            ],
          },
        },
        null,
        2,
      ),
    );
    expect(record.unsafePaths).toEqual(['/usr/lib/libc.so.6', 'share/../../../home/user/.bashrc']);
    expect(record.package.files).toEqual([{ path: 'lib/ok.txt', pathType: 'hardlink', size: 3, sha256: 'ab'.repeat(32) }]);
  });

  it('does not treat names that merely contain dots as climbing', () => {
    const record = parsed(JSON.stringify({ name: 'dots', version: '1', files: ['lib/..hidden', 'share/a..b/c', 'etc/...'] }, null, 2));
    expect(record.unsafePaths).toEqual([]);
    expect(record.package.files.map((file) => file.path)).toEqual(['lib/..hidden', 'share/a..b/c', 'etc/...']);
  });
});

describe('parseCondaRecord: paths and the paths_data it reads on demand', () => {
  it('lists the same paths in `paths` as in `files`', () => {
    for (const record of [condaNoarchPip, conda259Pip, libmambaPython, rattlerPython, constructorBokeh]) {
      const result = parsed(record === libmambaPython ? libmambaDump(record) : condaDump(record));
      expect(result.package.paths).toEqual(record.files);
      expect(result.package.files.map((file) => file.path)).toEqual(record.files);
    }
  });

  it('is not misled by a file literally named paths_data listed before the paths_data key', () => {
    const record = parsed(
      condaDump({
        ...condaSoftlinks,
        files: ['paths_data', 'lib/libasan.so.8.0.0'],
        paths_data: {
          paths: [{ _path: 'paths_data', path_type: 'hardlink', sha256: EMPTY_SHA256, size_in_bytes: 7 }, condaSoftlinks.paths_data.paths[1]],
          paths_version: 1,
        },
      }),
    );
    expect(record.package.paths).toEqual(['paths_data', 'lib/libasan.so.8.0.0']);
    expect(fileAt(record, 'paths_data').size).toBe(7);
    expect(fileAt(record, 'lib/libasan.so.8.0.0').size).toBe(6647728);
  });

  it('reads the top-level paths_data when a nested object has a key of that name first', () => {
    const text = orderedDump({
      name: 'nested',
      version: '1.0',
      link: { source: '/opt/conda/pkgs/nested-1.0-0', type: 1, paths_data: { paths: [{ _path: 'lib/decoy', path_type: 'hardlink', size_in_bytes: 1 }] } },
      files: ['lib/real.so'],
      paths_data: { paths_version: 1, paths: [{ _path: 'lib/real.so', path_type: 'hardlink', sha256: 'ab'.repeat(32), size_in_bytes: 42 }] },
    });
    expect(parsed(text).package.files).toEqual([{ path: 'lib/real.so', pathType: 'hardlink', size: 42, sha256: 'ab'.repeat(32) }]);
  });

  it('handles braces, brackets and escaped quotes inside paths_data strings', () => {
    const odd = ['share/{braces}/a}b.txt', 'share/[x]/"quoted"\\name.txt'];
    const record = parsed(
      condaDump({
        ...condaSoftlinks,
        files: odd,
        paths_data: { paths: odd.map((path, i) => ({ _path: path, path_type: 'hardlink', size_in_bytes: i + 10 })), paths_version: 1 },
        requested_spec: 'after }]',
      }),
    );
    expect(record.package.files.map((file) => [file.path, file.size])).toEqual([
      [odd[0], 10],
      [odd[1], 11],
    ]);
  });

  it('reads records written with CRLF line endings', () => {
    const conda = parsed(condaDump(condaNoarchPip).replace(/\n/g, '\r\n'));
    expect(conda.package.writer).toBe('conda');
    expect(fileAt(conda, 'lib/python3.8/site-packages/pip/__init__.py').size).toBe(357);
    const libmamba = parsed(libmambaDump(libmambaPython).replace(/\n/g, '\r\n'));
    expect(libmamba.package.writer).toBe('libmamba');
    expect(fileAt(libmamba, 'lib/python3.13/os.py').size).toBe(41627);
  });

  it('reads an empty paths_data object followed by another object', () => {
    const record = parsed(orderedDump({ ...rattlerPython, paths_data: {}, link: rattlerPython.link }));
    expect(record.package.paths).toEqual(rattlerPython.files);
    expect(record.package.files.every((file) => file.pathType === 'unknown')).toBe(true);
  });

  it('reports a record cut inside paths_data as invalid-json', () => {
    const text = condaDump(condaNoarchPip);
    const cut = text.slice(0, text.indexOf('"site-packages/pip/__init__.py"') + 10);
    expect(problem(cut).code).toBe('invalid-json');
  });

  it('reports a record cut after paths_data as invalid-json', () => {
    const text = condaDump(condaNoarchPip);
    const cut = text.slice(0, text.indexOf('"requested_spec"') + 5);
    expect(problem(cut).code).toBe('invalid-json');
  });

  it('keeps the paths of `files` owned when the pretty-printed paths_data is corrupt', () => {
    const text = condaDump(condaSoftlinks).replace('"path_type": "hardlink",', '"path_type": "hardlink" "oops": 1,');
    const result = parseCondaRecord(text, 'conda-meta/libsanitizer-13.2.0-h7e041cc_3.json');
    if ('code' in result) return; // reporting it as invalid is fine too
    expect(result.package.paths).toEqual(['lib/libasan.so', 'lib/libasan.so.8.0.0']);
    expect(result.package.files.map((file) => file.path)).toEqual(['lib/libasan.so', 'lib/libasan.so.8.0.0']);
  });

  // Without `files`, paths_data is the only list of what the package owns: a corrupt one must be
  // reported, or its files would look unowned to `scope: unowned` rules.
  it('reports a record without `files` whose paths_data is corrupt, instead of owning nothing', () => {
    const { files: _files, ...withoutFiles } = condaSoftlinks;
    const text = condaDump(withoutFiles).replace('"path_type": "hardlink",', '"path_type": "hardlink" "oops": 1,');
    const result = parseCondaRecord(text, 'conda-meta/libsanitizer-13.2.0-h7e041cc_3.json');
    expect('code' in result ? result.code : `read as owning ${JSON.stringify(result.package.paths)}`).toBe('invalid-json');
  });

  it('reports a corrupt paths_data beside `files` when it is first needed, keeping every path owned', () => {
    const text = condaDump(condaSoftlinks).replace('"path_type": "hardlink",', '"path_type": "hardlink" "oops": 1,');
    const late: string[] = [];
    const result = parseCondaRecord(text, 'conda-meta/libsanitizer-13.2.0-h7e041cc_3.json', (problem) => late.push(problem.code));
    if ('code' in result) throw new Error(`expected a package, got ${result.code}`);
    expect(result.package.paths.length).toBeGreaterThan(0);
    expect(late).toEqual([]);
    expect(result.package.files.every((file) => file.pathType === 'unknown')).toBe(true);
    expect(late).toEqual(['invalid-json']);
  });
});

describe('parseCondaRecord: reading one entry without the rest', () => {
  it('answers fileAt from the single entry, exactly as the full list does, for every writer shape', () => {
    for (const text of [condaDump(condaNoarchScript), libmambaDump(libmambaPython), orderedDump(rattler039Numpy)]) {
      const record = parsed(text);
      const lazily = record.package.paths.map((_, index) => record.package.fileAt(index));
      expect(lazily).toEqual(record.package.files);
    }
  });

  it('falls back to the full parse for a path whose entry holds a brace', () => {
    const text = condaDump(condaSoftlinks).replaceAll('lib/libasan.so.8.0.0', 'lib/lib{asan}.so.8.0.0');
    const record = parsed(text);
    const index = record.package.paths.indexOf('lib/lib{asan}.so.8.0.0');
    expect(index).toBeGreaterThanOrEqual(0);
    expect(record.package.fileAt(index)).toEqual(record.package.files[index]);
    expect(record.package.fileAt(index).pathType).toBe('hardlink');
  });
});
