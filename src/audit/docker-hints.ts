/**
 * Collects advice that matters when the env ships in a container image: the bytecode trade-off,
 * MKL against OpenBLAS, a static libpython, editable installs that point outside the image.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from '../environment/types.ts';
import type { MeasuredFile } from './measure-files.ts';
import type { AuditHint } from './types.ts';

/** What the hints are drawn from. */
export interface HintInput {
  environment: Environment;
  files: readonly MeasuredFile[];
  /** Unowned-scope rules the preset savings left out. */
  unownedRulesLeftOut: readonly string[];
}

/** MKL and the packages that exist only to go with it. */
const mklFamily = /^(?:mkl|mkl[-_][a-z_-]+|intel-openmp)$/;
const staticLibpython = /^lib\/(?:python[^/]+\/config-[^/]+\/)?libpython[0-9.]+[a-z]*\.a$/;
const editableMarker = /^(?:__editable__[^/]*|[^/]+\.egg-link)$/;

/** Returns the hints that apply to this env, in a fixed order. */
export function collectDockerHints(input: HintInput): AuditHint[] {
  const hints: AuditHint[] = [];
  const { environment, files } = input;
  const bytecode = files.filter((file) => file.category === 'bytecode');
  if (bytecode.length > 0) {
    const bytes = sum(bytecode);
    hints.push({
      id: 'bytecode',
      title: 'Bytecode',
      detail:
        'Removing __pycache__ shrinks the image, but every container start then compiles each module it imports again: slower start-up, and writes into the container layer unless PYTHONDONTWRITEBYTECODE=1. Keep it for short-lived containers; prune it (the moderate preset) when size matters more than start-up time.',
      bytes,
      subjects: [],
    });
  }
  const mkl = environment.packages.filter((pkg) => mklFamily.test(pkg.name));
  if (mkl.some((pkg) => pkg.name === 'mkl')) {
    const names = new Set(mkl.map((pkg) => pkg.name));
    const bytes = sum(files.filter((file) => names.has(environment.packages[file.packageIndex]?.name ?? '')));
    hints.push({
      id: 'mkl',
      title: 'MKL',
      detail:
        "Intel MKL is the largest BLAS there is. OpenBLAS does the same job in a few tens of MB: on conda-forge install with 'libblas=*=*openblas' (on defaults, add the nomkl package) and measure your workload before and after.",
      bytes,
      subjects: [...names].sort(),
    });
  }
  const libpython = files.filter((file) => staticLibpython.test(file.path));
  if (libpython.length > 0) {
    hints.push({
      id: 'static-libpython',
      title: 'Static libpython',
      detail: 'libpythonX.Y.a is only linked by programs that embed Python when they are built; the interpreter and extension modules never load it. The static-libs profile removes it.',
      bytes: sum(libpython),
      subjects: libpython.map((file) => file.path),
    });
  }
  const editable = findEditableInstalls(environment, files);
  if (editable.length > 0) {
    hints.push({
      id: 'editable-installs',
      title: 'Editable installs',
      detail: 'An editable install (pip install -e) imports its code from a source folder outside the env: that folder must be in the image too, or the import fails at run time. Install the project normally in the image.',
      subjects: editable,
    });
  }
  if (input.unownedRulesLeftOut.length > 0) {
    hints.push({
      id: 'unowned-files-not-counted',
      title: 'Savings count files the records list',
      detail: `Rules that walk the prefix for files no record lists (${input.unownedRulesLeftOut.join(', ')}) were left out, since an audit reads records and lstat only; conda-prune plan counts them.`,
      subjects: [...input.unownedRulesLeftOut],
    });
  }
  return hints;
}

/** Finds editable-install markers among the listed files and in site-packages itself (pip leaves them unlisted). */
function findEditableInstalls(environment: Environment, files: readonly MeasuredFile[]): string[] {
  const found = new Set<string>();
  for (const file of files) {
    // Most paths are neither: told by a cheap look before the name is cut out and matched.
    if (!file.path.endsWith('.egg-link') && !file.path.includes('__editable__')) continue;
    if (editableMarker.test(file.path.slice(file.path.lastIndexOf('/') + 1))) found.add(file.path);
  }
  const sitePackages = environment.python?.sitePackages;
  if (sitePackages !== undefined) {
    let names: string[] = [];
    try {
      names = readdirSync(join(environment.prefix, sitePackages));
    } catch {
      names = [];
    }
    for (const name of names) if (editableMarker.test(name)) found.add(`${sitePackages}/${name}`);
  }
  return [...found].sort();
}

function sum(files: readonly MeasuredFile[]): number {
  return files.reduce((total, file) => total + file.bytes, 0);
}
