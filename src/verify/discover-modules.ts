/**
 * Finds the modules worth importing in an env: the top-level importable names every package puts
 * into site-packages, read from the files its record lists (never from a directory walk, so a
 * file a prune removed cannot hide its module from a list made before the prune).
 *
 * What counts, per package, for paths directly in site-packages:
 * - a directory with `__init__.py` (or an `__init__` extension module): a package;
 * - `name.py`, and `name.<tag>.so|pyd` where the tag is this python's (`cpython-311-…`, `cp311-…`)
 *   or `abi3`: a module. An untagged `name.so` may be a plain shared library and a lone
 *   `name.pyc` may be a leftover, so those count only when the distribution's `top_level.txt`
 *   names them;
 * - a directory without `__init__` is a PEP 420 namespace (`google`, `mpl_toolkits`): its
 *   packages and modules are discovered instead (`google.protobuf`), three levels deep at most,
 *   since importing the bare namespace proves nothing;
 * - `top_level.txt` of a `.dist-info`/`.egg-info` confirms names; a name that no file of the
 *   package backs is stale (setuptools writes it at build time, distro packagers move files) and
 *   is skipped: it could only fail, before and after any prune alike.
 *
 * Left out, with why:
 * - the stdlib: only site-packages is read; the interpreter's own smoke test is importing anything;
 * - `__pycache__`, `__editable__…` finders and every other dunder name: not modules one imports;
 * - test suites and build scripts shipped at the top level by sloppy wheels (`tests`, `test`,
 *   `testing`, `conftest`, `setup`, …): they need dev dependencies, and `setup` runs setup() on
 *   import. Subpackages such as `numpy.testing` are never discovered (only top levels are), so a
 *   public one is checked only when named with --import or a profile's verify.imports;
 * - modules that need a display at import (`tkinter`, `turtle`, `idlelib`, `pyautogui`, `pynput`,
 *   `mouseinfo`, names ending in `_tk`): an image has no display, and they would fail in every run;
 * - single-underscore names are kept: `_cffi_backend`, `_yaml` and `_pytest` are real modules that
 *   others import, and `.pth` helpers such as `_distutils_hack` are already imported by `site` at
 *   every start, so importing them again is free and reports a helper the prune broke;
 * - egg directories and zips and editable installs: their files are not where the record says.
 *   Modules that need an optional extra cannot be told from their files: they fail before and
 *   after a prune alike, so apply reports them as still broken without blaming the prune.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment, Package } from '../environment/types.ts';
import type { DiscoveredModule } from './types.ts';

/** Options of discoverModules. */
export interface DiscoverOptions {
  /** Reads a prefix-relative file (a `top_level.txt`); undefined when unreadable. Defaults to the disk. */
  readText?: (path: string) => string | undefined;
}

interface Node {
  files: Set<string>;
  dirs: Map<string, Node>;
}

const identifier = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const testOrBuildNames = new Set(['test', 'tests', 'testing', 'conftest', 'setup', 'noxfile', 'examples', 'example', 'docs', 'doc', 'benchmarks', 'benchmark']);
const displayNames = new Set(['tkinter', 'turtle', 'turtledemo', 'idlelib', 'pyautogui', 'pynput', 'mouseinfo']);
const namespaceDepth = 3;

/** Lists the top-level importable modules of every python package in the environment, each with its package. */
export function discoverModules(environment: Environment, options: DiscoverOptions = {}): DiscoveredModule[] {
  const python = environment.python;
  if (python === undefined) return [];
  const sitePackages = `${python.sitePackages}/`;
  const extension = extensionPattern(python.version);
  const readText = options.readText ?? readFromPrefix(environment.prefix);
  const found = new Map<string, DiscoveredModule>();
  for (const pkg of environment.packages) {
    const tree = treeOf(pkg, sitePackages);
    if (tree === undefined) continue;
    const confirmed = topLevelNames(pkg, sitePackages, readText);
    for (const module of modulesOf(tree, [], extension, confirmed)) {
      if (!found.has(module)) found.set(module, { module, package: pkg.name });
    }
  }
  return [...found.values()].sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
}

function readFromPrefix(prefix: string): (path: string) => string | undefined {
  return (path) => {
    try {
      return readFileSync(join(prefix, path), 'utf8');
    } catch {
      return undefined;
    }
  };
}

function extensionPattern(version: string): RegExp {
  const [major, minor] = version.split('.');
  const xy = `${major ?? ''}${minor ?? ''}`;
  return new RegExp(`^(.+)\\.(?:cpython-${xy}[^.]*|cp${xy}-[^.]+|abi3)\\.(?:so|pyd)$`);
}

function treeOf(pkg: Package, sitePackages: string): Node | undefined {
  let root: Node | undefined;
  for (const path of pkg.paths) {
    if (!path.startsWith(sitePackages)) continue;
    root ??= { files: new Set(), dirs: new Map() };
    const parts = path.slice(sitePackages.length).split('/');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let child = node.dirs.get(part);
      if (child === undefined) {
        child = { files: new Set(), dirs: new Map() };
        node.dirs.set(part, child);
      }
      node = child;
    }
    node.files.add(parts.at(-1) as string);
  }
  return root;
}

function topLevelNames(pkg: Package, sitePackages: string, readText: (path: string) => string | undefined): Set<string> {
  const names = new Set<string>();
  for (const path of pkg.paths) {
    if (!path.startsWith(sitePackages) || !path.endsWith('/top_level.txt')) continue;
    const parts = path.slice(sitePackages.length).split('/');
    if (parts.length !== 2 || !/\.(dist|egg)-info$/.test(parts[0] as string)) continue;
    // Old setuptools lists subpackages too (`uvicorn/loops`); only top-level names matter here.
    for (const line of (readText(path) ?? '').split(/\r?\n/)) {
      const name = line.trim();
      if (identifier.test(name)) names.add(name);
    }
  }
  return names;
}

function modulesOf(node: Node, dotted: string[], extension: RegExp, confirmed: Set<string>): string[] {
  const modules: string[] = [];
  const top = dotted.length === 0;
  const add = (name: string): void => {
    if (wanted(name)) modules.push([...dotted, name].join('.'));
  };
  for (const file of node.files) {
    if (file.endsWith('.py')) {
      add(file.slice(0, -'.py'.length));
      continue;
    }
    const tagged = extension.exec(file);
    if (tagged !== null) {
      add(tagged[1] as string);
      continue;
    }
    const loose = /^(.+)\.(so|pyc)$/.exec(file);
    if (top && loose !== null && confirmed.has(loose[1] as string)) add(loose[1] as string);
  }
  for (const [name, child] of node.dirs) {
    if (!wanted(name)) continue;
    if (isPackage(child, extension) || (top && confirmed.has(name) && child.files.has('__init__.pyc'))) {
      modules.push([...dotted, name].join('.'));
    } else if (dotted.length < namespaceDepth) {
      modules.push(...modulesOf(child, [...dotted, name], extension, confirmed));
    }
  }
  return modules;
}

function isPackage(node: Node, extension: RegExp): boolean {
  if (node.files.has('__init__.py')) return true;
  for (const file of node.files) if (extension.exec(file)?.[1] === '__init__') return true;
  return false;
}

function wanted(name: string): boolean {
  if (!identifier.test(name) || name.startsWith('__')) return false;
  if (testOrBuildNames.has(name) || displayNames.has(name)) return false;
  return !name.endsWith('_tk');
}
