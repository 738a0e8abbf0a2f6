/**
 * Generates the file lists of synthetic packages with the path shapes real conda-forge packages
 * have: site-packages trees with nested tests/ and __pycache__/, extension modules, Cython
 * sources, versioned shared libraries with their links, static libraries, headers, docs,
 * man pages, locales and JS bundles with source maps.
 */
import { drawSize, word, type Rng } from './synthetic-random.ts';

/** Python version every synthetic env is built for. */
export const PYTHON_VERSION = '3.12.7';
/** Site-packages of that python, relative to the prefix. */
export const SITE_PACKAGES = 'lib/python3.12/site-packages';
const STDLIB = 'lib/python3.12';
const PYC_TAG = 'cpython-312';
const SO_TAG = 'cpython-312-x86_64-linux-gnu';
const LANGS = ['ar', 'bg', 'ca', 'cs', 'da', 'de', 'el', 'eo', 'es', 'et', 'eu', 'fi', 'fr', 'ga', 'gl', 'he', 'hr', 'hu', 'id', 'it', 'ja', 'ko', 'lt', 'nb', 'nl', 'pl', 'pt', 'pt_BR', 'ro', 'ru', 'sk', 'sl', 'sr', 'sv', 'tr', 'uk', 'vi', 'zh_CN', 'zh_TW'];

/** How a synthetic file is placed, in conda's `path_type` vocabulary. */
export type SyntheticPathType = 'hardlink' | 'softlink' | 'pyc_file' | 'unix_python_entry_point';

/** One file of a synthetic package. */
export interface SyntheticFile {
  path: string;
  /** Size on disk; also the recorded size except for pyc_file and entry points, whose records carry none. */
  size: number;
  type: SyntheticPathType;
  /** Relative target of a softlink. */
  linkTarget?: string;
}

/** The shape family a package's files are drawn from. */
export type PackageKind = 'python' | 'compiled-python' | 'noarch-python' | 'c-library' | 'web-assets';

/** What to generate for one package. */
export interface PackageSpec {
  name: string;
  version: string;
  kind: PackageKind;
  /** Exact number of paths the package lists. */
  budget: number;
  /** Top-level import name for python kinds. */
  module: string;
}

/** Collects a package's files up to its budget, rejecting duplicate paths. */
class Emitter {
  readonly files: SyntheticFile[] = [];
  private readonly seen = new Set<string>();

  constructor(
    readonly budget: number,
    readonly rng: Rng,
  ) {}

  get full(): boolean {
    return this.files.length >= this.budget;
  }

  add(path: string, kind: string, type: SyntheticPathType = 'hardlink', size?: number): boolean {
    if (this.full || this.seen.has(path)) return false;
    this.seen.add(path);
    this.files.push({ path, size: size ?? drawSize(this.rng, kind), type });
    return true;
  }

  link(path: string, target: string): void {
    if (this.full || this.seen.has(path)) return;
    this.seen.add(path);
    this.files.push({ path, size: target.length, type: 'softlink', linkTarget: target });
  }
}

/** Returns the files of one package, exactly `spec.budget` of them. */
export function generateFiles(rng: Rng, spec: PackageSpec): SyntheticFile[] {
  const e = new Emitter(spec.budget, rng);
  switch (spec.kind) {
    case 'python':
      interpreter(e);
      break;
    case 'compiled-python':
      distInfo(e, spec);
      binaries(e, spec.module, rng.int(0, 2), 'hardlink');
      pythonTree(e, `${SITE_PACKAGES}/${spec.module}`, { so: true, pyc: 'hardlink', cython: rng.chance(0.4), limit: spec.budget });
      break;
    case 'noarch-python':
      distInfo(e, spec);
      binaries(e, spec.module, rng.int(0, 2), 'unix_python_entry_point');
      pythonTree(e, `${SITE_PACKAGES}/${spec.module}`, { so: false, pyc: 'pyc_file', cython: false, limit: spec.budget });
      break;
    case 'c-library':
      cLibrary(e, spec.module);
      break;
    case 'web-assets':
      distInfo(e, spec);
      pythonTree(e, `${SITE_PACKAGES}/${spec.module}`, { so: false, pyc: 'pyc_file', cython: false, limit: Math.ceil(spec.budget * 0.3) });
      webAssets(e, spec.module);
      break;
  }
  // Every shape ends in an open-ended filler, so a shortfall only happens for tiny budgets.
  let extra = 0;
  while (!e.full) e.add(`share/${spec.module}/data/${word(rng, 3)}${extra++}.dat`, 'data');
  return e.files;
}

interface TreeOptions {
  so: boolean;
  pyc: 'hardlink' | 'pyc_file';
  cython: boolean;
  /** Stop once the package holds this many files. */
  limit: number;
  /** Treat the root itself as a test suite (CPython's lib/python3.12/test). */
  rootIsTests?: boolean;
}

/** Grows a package tree breadth-first so that every level gets files before the budget runs out. */
function pythonTree(e: Emitter, root: string, options: TreeOptions): void {
  const { rng } = e;
  const queue: { dir: string; tests: boolean; depth: number }[] = [{ dir: root, tests: options.rootIsTests === true, depth: 0 }];
  let extra = 0;
  const open = (): boolean => !e.full && e.files.length < options.limit;
  while (open()) {
    const node = queue.shift() ?? { dir: `${root}/_${word(rng, 2)}${extra++}`, tests: false, depth: 1 };
    pyModule(e, node.dir, '__init__', options.pyc);
    const modules = rng.int(2, 12);
    for (let i = 0; i < modules && open(); i++) {
      const name = node.tests ? `test_${word(rng, 3)}` : word(rng, 3);
      pyModule(e, node.dir, name, options.pyc);
      if (node.tests) continue;
      if (options.so && rng.chance(0.15)) e.add(`${node.dir}/_${name}.${SO_TAG}.so`, 'so');
      if (options.cython && rng.chance(0.15)) {
        e.add(`${node.dir}/_${name}.pyx`, 'pyx');
        e.add(`${node.dir}/_${name}.pxd`, 'pyx');
      }
    }
    if (node.tests) {
      if (rng.chance(0.2)) pyModule(e, node.dir, 'conftest', options.pyc);
      if (rng.chance(0.3)) {
        const count = rng.int(1, 12);
        for (let i = 0; i < count; i++) e.add(`${node.dir}/data/${word(rng, 3)}.${rng.pick(['csv', 'npy', 'json', 'txt', 'mat'])}`, 'data');
      }
      if (node.depth < 4 && rng.chance(0.15)) queue.push({ dir: `${node.dir}/${word(rng, 2)}`, tests: true, depth: node.depth + 1 });
      continue;
    }
    const children = node.depth < 4 ? rng.int(0, 3) : 0;
    for (let i = 0; i < children; i++) queue.push({ dir: `${node.dir}/${word(rng, 2)}`, tests: false, depth: node.depth + 1 });
    if (rng.chance(0.4)) queue.push({ dir: `${node.dir}/tests`, tests: true, depth: node.depth + 1 });
    if (rng.chance(0.05)) e.add(`${node.dir}/py.typed`, 'txt', 'hardlink', 0);
  }
}

function pyModule(e: Emitter, dir: string, name: string, pyc: 'hardlink' | 'pyc_file'): void {
  if (e.add(`${dir}/${name}.py`, 'py')) e.add(`${dir}/__pycache__/${name}.${PYC_TAG}.pyc`, 'pyc', pyc);
}

function distInfo(e: Emitter, spec: PackageSpec): void {
  const dir = `${SITE_PACKAGES}/${spec.module}-${spec.version}.dist-info`;
  const sized: [string, number][] = [['INSTALLER', 5], ['LICENSE', 1_500], ['METADATA', 3_000], ['RECORD', 8_000], ['REQUESTED', 0], ['WHEEL', 92], ['direct_url.json', 110], ['top_level.txt', spec.module.length + 1]];
  for (const [name, size] of sized) e.add(`${dir}/${name}`, 'txt', 'hardlink', size);
}

function binaries(e: Emitter, module: string, count: number, type: 'hardlink' | 'unix_python_entry_point'): void {
  // The module prefix keeps two packages from listing the same script.
  for (let i = 0; i < count; i++) e.add(`bin/${module}-${word(e.rng, 2)}`, 'txt', type, type === 'hardlink' ? undefined : 256);
}

function cLibrary(e: Emitter, name: string): void {
  const { rng } = e;
  const libs = rng.int(1, 4);
  for (let i = 0; i < libs; i++) {
    const base = i === 0 ? `lib${name}` : `lib${name}_${word(rng, 2)}`;
    const major = rng.int(0, 30);
    const full = `${base}.so.${major}.${rng.int(0, 9)}.${rng.int(0, 9)}`;
    e.add(`lib/${full}`, 'so');
    // conda-forge ships the usual chain libfoo.so -> libfoo.so.1 -> libfoo.so.1.2.3.
    e.link(`lib/${base}.so.${major}`, full);
    e.link(`lib/${base}.so`, `${base}.so.${major}`);
    if (rng.chance(0.35)) e.add(`lib/${base}.a`, 'a');
  }
  if (rng.chance(0.7)) e.add(`lib/pkgconfig/${name}.pc`, 'pc');
  if (rng.chance(0.4)) {
    for (const suffix of ['Config', 'ConfigVersion', 'Targets', 'Targets-release']) e.add(`lib/cmake/${name}/${name}${suffix}.cmake`, 'cmake');
  }
  for (let i = rng.int(0, 3); i > 0; i--) e.add(`bin/${name}-${word(rng, 2)}`, 'bin');
  const headerDirs = [`include/${name}`, ...Array.from({ length: rng.int(0, 6) }, () => `include/${name}/${word(rng, 2)}`)];
  const locales = rng.chance(0.25) ? [...LANGS] : [];
  let docs = 0;
  while (!e.full) {
    const roll = rng.next();
    if (roll < 0.55) e.add(`${rng.pick(headerDirs)}/${word(rng, 3)}.h`, 'h');
    else if (roll < 0.75) e.add(`share/doc/${name}/html/${word(rng, 3)}${docs++}.html`, 'html');
    else if (roll < 0.85) e.add(`share/man/man3/${name}_${word(rng, 3)}.3`, 'man');
    else if (locales.length > 0) e.add(`share/locale/${locales.shift()}/LC_MESSAGES/${name}.mo`, 'mo');
    else e.add(`share/${name}/${word(rng, 3)}.txt`, 'txt');
  }
}

function webAssets(e: Emitter, name: string): void {
  const { rng } = e;
  const root = `share/jupyter/labextensions/@${name}/${name}`;
  e.add(`${root}/package.json`, 'json');
  e.add(`${root}/static/third-party-licenses.json`, 'json');
  e.add(`etc/jupyter/jupyter_server_config.d/${name}.json`, 'json', 'hardlink', 80);
  let chunk = 0;
  while (!e.full) {
    const file = `${root}/static/${chunk++}.${word(rng, 4)}.js`;
    e.add(file, 'js');
    e.add(`${file}.map`, 'map');
    if (rng.chance(0.1)) e.add(`${root}/static/${chunk}.${word(rng, 4)}.css`, 'css');
  }
}

/** Lays out the interpreter package: binaries, libpython, headers, lib-dynload, stdlib and its test suite. */
function interpreter(e: Emitter): void {
  const { rng, budget } = e;
  e.add('bin/python3.12', 'bin');
  e.link('bin/python3', 'python3.12');
  e.link('bin/python', 'python3.12');
  for (const tool of ['python3.12-config', 'pydoc3.12', 'idle3.12', '2to3-3.12']) e.add(`bin/${tool}`, 'txt');
  e.add('lib/libpython3.12.so.1.0', 'so', 'hardlink', 28_000_000);
  e.link('lib/libpython3.12.so', 'libpython3.12.so.1.0');
  e.add(`${STDLIB}/config-3.12-x86_64-linux-gnu/libpython3.12.a`, 'a', 'hardlink', 52_000_000);
  e.add(`${STDLIB}/config-3.12-x86_64-linux-gnu/Makefile`, 'txt');
  e.add('lib/pkgconfig/python-3.12.pc', 'pc');
  e.add('share/man/man1/python3.12.1', 'man');
  e.add(`${SITE_PACKAGES}/README.txt`, 'txt', 'hardlink', 119);
  const headers = Math.round(budget * 0.05);
  for (let i = 0; i < headers; i++) e.add(`include/python3.12/${rng.pick(['', 'cpython/', 'internal/'])}${word(rng, 3)}.h`, 'h');
  const dynload = Math.round(budget * 0.03);
  for (let i = 0; i < dynload; i++) e.add(`${STDLIB}/lib-dynload/_${word(rng, 3)}.${SO_TAG}.so`, 'so');
  pythonTree(e, `${STDLIB}/test`, { so: false, pyc: 'hardlink', cython: false, limit: e.files.length + Math.round(budget * 0.35), rootIsTests: true });
  let i = 0;
  while (!e.full) {
    pythonTree(e, `${STDLIB}/${word(rng, 2)}${i++}`, { so: false, pyc: 'hardlink', cython: false, limit: Math.min(budget, e.files.length + rng.int(10, 200)) });
  }
}
