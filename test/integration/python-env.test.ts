import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm, stat as stat_ } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanPythonEnv } from '../../fixtures/python-env/bytecode.ts';
import { CATALOG, INTERPRETER_DEBIAN_PACKAGES, SMOKE_IMPORTS } from '../../fixtures/python-env/catalog.ts';
import { buildPythonEnv, formatPackageTable } from '../../fixtures/python-env/build.ts';
import { readDynamic } from '../../fixtures/python-env/elf.ts';
import { filterElf } from '../../fixtures/python-env/native-libs.ts';
import { copyPythonEnv, getPythonEnvTemplate } from '../../fixtures/python-env/template.ts';
import type { PythonEnvInfo } from '../../fixtures/python-env/types.ts';
import { mapLimit } from '../../src/map-limit.ts';

const execFileAsync = promisify(execFile);

// glibc stays on the host in a real conda env too (the __glibc virtual package).
const HOST_MAPPINGS = /^\/(usr\/)?lib(64)?\/(x86_64-linux-gnu\/)?(ld-linux-x86-64\.so\.2|libc\.so\.6|libm\.so\.6|libmvec\.so\.1|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|gconv\/.*|locale\/.*)$|^\/usr\/lib\/locale\//;

interface RecordJson {
  name: string;
  version: string;
  depends: string[];
  files: string[];
  paths_data?: { paths: Array<{ _path: string; path_type: string; size_in_bytes?: number }> };
}

let work: string;
let env: PythonEnvInfo;

async function runPython(code: string): Promise<unknown> {
  const { stdout } = await execFileAsync(env.python, ['-I', '-B', '-c', code], { env: cleanPythonEnv(), encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(stdout);
}

async function readRecords(prefix: string): Promise<RecordJson[]> {
  const names = (await readdir(join(prefix, 'conda-meta'))).filter((name) => name.endsWith('.json'));
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(prefix, 'conda-meta', name), 'utf8')) as RecordJson));
}

// conda records noarch:python paths as the package keeps them; the file lies in site-packages.
function installedPath(recorded: string): string {
  if (recorded.startsWith('site-packages/')) return `lib/python3.11/${recorded}`;
  if (recorded.startsWith('python-scripts/')) return `bin/${recorded.slice('python-scripts/'.length)}`;
  return recorded;
}

async function walk(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(root, path)));
    else out.push(relative(root, path));
  }
  return out;
}

beforeAll(async () => {
  const buildStart = performance.now();
  const template = await getPythonEnvTemplate();
  const templateMs = performance.now() - buildStart;
  work = await mkdtemp(join(tmpdir(), 'python-env-test-'));
  const copyStart = performance.now();
  env = await copyPythonEnv(join(work, 'env'));
  const copyMs = performance.now() - copyStart;
  console.log(`python-env template: ${template.cached ? 'cached' : 'built'} in ${(templateMs / 1000).toFixed(1)} s; copy ${(copyMs / 1000).toFixed(1)} s\n${formatPackageTable(env)}`);
}, 900_000);

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('python env fixture', () => {
  it('runs the copied interpreter with its prefix and site-packages inside the copy', async () => {
    const facts = (await runPython(
      'import json, site, sys, sysconfig; print(json.dumps({"prefix": sys.prefix, "exec_prefix": sys.exec_prefix, "base": sys.base_prefix, "site": site.getsitepackages(), "purelib": sysconfig.get_paths()["purelib"], "path": sys.path}))',
    )) as { prefix: string; exec_prefix: string; base: string; site: string[]; purelib: string; path: string[] };
    const sitePackages = join(env.prefix, 'lib/python3.11/site-packages');
    expect(facts.prefix).toBe(env.prefix);
    expect(facts.exec_prefix).toBe(env.prefix);
    expect(facts.base).toBe(env.prefix);
    expect(facts.site).toEqual([sitePackages]);
    expect(facts.purelib).toBe(sitePackages);
    expect(facts.path).toContain(sitePackages);
    for (const entry of facts.path) expect(entry.startsWith(`${env.prefix}/`)).toBe(true);
  });

  it('imports the smoke modules and loads nothing but glibc from outside the prefix', async () => {
    expect(env.imports).toEqual([...SMOKE_IMPORTS]);
    const result = (await runPython(
      `import importlib, json, sys
mods = {name: importlib.import_module(name).__file__ for name in ${JSON.stringify(env.imports)}}
loaded = sorted({f for m in list(sys.modules.values()) if (f := getattr(m, "__file__", None))})
maps = sorted({line.split()[-1] for line in open("/proc/self/maps") if line.split()[-1].startswith("/")})
print(json.dumps({"mods": mods, "loaded": loaded, "maps": maps}))`,
    )) as { mods: Record<string, string>; loaded: string[]; maps: string[] };
    for (const file of Object.values(result.mods)) expect(file.startsWith(`${env.prefix}/`)).toBe(true);
    expect(result.loaded.filter((file) => !file.startsWith(`${env.prefix}/`))).toEqual([]);
    expect(result.maps.filter((file) => !file.startsWith(`${env.prefix}/`) && !HOST_MAPPINGS.test(file))).toEqual([]);
    // numpy really reached the vendored OpenBLAS, not the host's.
    expect(result.maps).toContain(join(env.prefix, 'lib/libopenblasp-r0.3.21.so'));
  });

  it('records every package once, with files that exist at their recorded sizes', async () => {
    const records = await readRecords(env.prefix);
    const names = records.map((record) => record.name).sort();
    expect(names).toEqual(env.packages.map((pkg) => pkg.name).sort());
    for (const name of ['python', 'numpy', 'scipy', 'pandas', 'scikit-learn', 'uvloop', 'fastapi', 'uvicorn', 'gunicorn', 'libopenblas']) {
      expect(names).toContain(name);
    }
    const owners = new Map<string, string>();
    const mismatches: string[] = [];
    for (const record of records) {
      for (const file of record.files) {
        expect(owners.get(file), `${file} owned by ${owners.get(file)} and ${record.name}`).toBeUndefined();
        owners.set(file, record.name);
      }
      for (const entry of record.paths_data?.paths ?? []) {
        // conda records a softlink with its target's size and hash, so follow it here.
        const at = join(env.prefix, installedPath(entry._path));
        const stat = await (entry.path_type === 'softlink' ? stat_(at) : lstat(at)).catch(() => undefined);
        if (stat === undefined) mismatches.push(`${record.name}: missing ${entry._path}`);
        else if (entry.size_in_bytes !== undefined && entry.size_in_bytes !== stat.size) mismatches.push(`${record.name}: ${entry._path} is ${stat.size}, recorded ${entry.size_in_bytes}`);
      }
    }
    expect(mismatches).toEqual([]);
    // Every file the build placed belongs to exactly one record: nothing stray, nothing shared.
    const onDisk = (await walk(env.prefix)).filter((path) => !path.startsWith('conda-meta/'));
    expect(onDisk.filter((path) => !owners.has(path))).toEqual([]);
    expect([...owners.keys()].filter((path) => !onDisk.includes(path))).toEqual([]);
    // The copy's history names the copy, as if conda had created it there.
    const history = await readFile(join(env.prefix, 'conda-meta/history'), 'utf8');
    expect(history).toContain(`-p ${env.prefix} `);
    expect(history).not.toContain('.staging-');
  });

  it('ships what the conda-forge python ships beside the stdlib, and nothing loads its shared libpython', async () => {
    const python = (await readRecords(env.prefix)).find((record) => record.name === 'python') as RecordJson;
    const expected = [
      'lib/libpython3.11.so.1.0',
      'lib/libpython3.11.so',
      'include/python3.11/Python.h',
      'include/python3.11/pyconfig.h',
      'lib/python3.11/config-3.11-x86_64-linux-gnu/Makefile',
      'lib/python3.11/config-3.11-x86_64-linux-gnu/python-config.py',
      'lib/pkgconfig/python-3.11.pc',
      'lib/python3.11/idlelib/pyshell.py',
      'lib/python3.11/ensurepip/__init__.py',
      'lib/python3.11/tkinter/__init__.py',
      'lib/python3.11/turtledemo/__main__.py',
      'bin/python3.11-config',
      'bin/idle3.11',
      'bin/pydoc3.11',
      'bin/2to3-3.11',
    ];
    expect(expected.filter((path) => !python.files.includes(path))).toEqual([]);
    // conda-forge ships no static libpython, in config-3.11-*/ or anywhere else.
    expect(python.files.filter((path) => path.endsWith('.a'))).toEqual([]);
    // The real header, not Debian's wrapper that includes <x86_64-linux-gnu/python3.11/pyconfig.h>.
    expect(await readFile(join(env.prefix, 'include/python3.11/pyconfig.h'), 'utf8')).toContain('#define SIZEOF_VOID_P 8');
    expect(python.depends).toEqual(expect.arrayContaining(['pip', 'tk']));
    // The interpreter links CPython statically, as conda-forge's does: the shared libpython is
    // there for embedders only, which is what lets the shared-library guard allow its removal.
    const objects = await filterElf((await walk(env.prefix)).map((path) => join(env.prefix, path)));
    const needing = await mapLimit(objects, 16, async (object) => ((await readDynamic(object)).needed.some((name) => name.startsWith('libpython')) ? [relative(env.prefix, object)] : []));
    expect(objects.length).toBeGreaterThan(100);
    expect(needing.flat()).toEqual([]);
  });

  it('runs pip and bootstraps it into a venv from the bundled wheels, with the env alone', async () => {
    const run = async (python: string, args: string[]): Promise<string> => (await execFileAsync(python, ['-I', '-B', ...args], { env: cleanPythonEnv(), encoding: 'utf8', timeout: 120_000 })).stdout;
    const pip = env.packages.find((pkg) => pkg.name === 'pip');
    expect(pip?.kind).toBe('noarch-python');
    expect(await run(env.python, ['-m', 'pip', '--version'])).toContain(`pip ${pip?.version} from ${join(env.prefix, 'lib/python3.11/site-packages/pip')} `);
    expect((await run(env.python, ['-m', 'ensurepip', '--version'])).trim()).toBe(`pip ${pip?.version}`);
    const bundled = JSON.parse(
      await run(env.python, ['-c', 'import ensurepip, json; from importlib import resources; print(json.dumps({name: (resources.files("ensurepip") / "_bundled" / p.wheel_name).is_file() for name, p in ensurepip._get_packages().items() if p.wheel_name}))']),
    ) as Record<string, boolean>;
    expect(bundled).toEqual({ setuptools: true, pip: true });
    const venv = join(work, 'venv');
    await run(env.python, ['-m', 'venv', venv]);
    expect(await run(join(venv, 'bin/python'), ['-m', 'pip', '--version'])).toContain(`pip ${pip?.version} from ${join(venv, 'lib/python3.11/site-packages/pip')} `);
  }, 120_000);

  it('imports tkinter with Tcl/Tk and X11 from the prefix', async () => {
    const result = (await runPython(
      `import json, tkinter
maps = sorted({line.split()[-1] for line in open("/proc/self/maps") if line.split()[-1].startswith("/")})
print(json.dumps({"tk": tkinter.TkVersion, "maps": maps}))`,
    )) as { tk: number; maps: string[] };
    expect(result.tk).toBe(8.6);
    expect(result.maps.filter((file) => !file.startsWith(`${env.prefix}/`) && !HOST_MAPPINGS.test(file))).toEqual([]);
    expect(result.maps).toEqual(expect.arrayContaining(['lib/libtk8.6.so', 'lib/libtcl8.6.so', 'lib/libX11.so.6.4.0'].map((path) => join(env.prefix, path))));
  });

  it('builds a subset with its dependencies for another writer', async () => {
    const prefix = join(work, 'uvloop-only');
    const small = await buildPythonEnv(prefix, { packages: ['uvloop'], writer: 'libmamba' });
    // conda-forge's python always brings pip, and pip setuptools.
    expect(small.packages.filter((pkg) => pkg.kind !== 'native').map((pkg) => pkg.name)).toEqual(['python', 'setuptools', 'pip', 'uvloop']);
    expect(small.packages.map((pkg) => pkg.name)).toContain('libuv');
    expect(small.imports).toEqual(['uvloop', 'pip']);
    const { stdout } = await execFileAsync(small.python, ['-I', '-B', '-c', 'import uvloop; print(uvloop.__file__)'], { env: cleanPythonEnv(), encoding: 'utf8' });
    expect(stdout.trim().startsWith(`${prefix}/lib/python3.11/site-packages/uvloop/`)).toBe(true);
  });

  it('lists every Debian package it reads in .ci/apt-packages.txt', async () => {
    const listed = new Set((await readFile(new URL('../../.ci/apt-packages.txt', import.meta.url), 'utf8')).split('\n').map((line) => line.trim()));
    const used = [...INTERPRETER_DEBIAN_PACKAGES, ...CATALOG.flatMap((entry) => entry.debian), 'patchelf', 'binutils'];
    expect(used.filter((pkg) => !listed.has(pkg))).toEqual([]);
  });
});
