/**
 * Derives where the env's python keeps its stdlib and site-packages, so that one profile written
 * with `{site-packages}` serves every python version, free-threaded builds and Windows alike.
 */
import type { Package, PythonInfo } from './types.ts';

/** Returns the python facts from the python package, or undefined when the env has no python. */
export function describePython(python: Package | undefined, sitePackagesPath: string | undefined): PythonInfo | undefined {
  if (python === undefined) return undefined;
  const match = /^(\d+)\.(\d+)/.exec(python.version);
  if (match === null) return undefined;
  const short = `${match[1]}.${match[2]}`;
  const windows = python.paths.includes('python.exe');
  const sitePackages = sitePackagesPath ?? (windows ? 'Lib/site-packages' : `lib/python${short}/site-packages`);
  const stdlib = sitePackages.slice(0, sitePackages.lastIndexOf('/'));
  return { version: python.version, sitePackages, stdlib, executable: findExecutable(python, short, windows) };
}

function findExecutable(python: Package, short: string, windows: boolean): string {
  if (windows) return 'python.exe';
  const paths = new Set(python.paths);
  // Free-threaded builds install `bin/python3.13t`; prefer the exact versioned name when listed.
  for (const candidate of [`bin/python${short}`, `bin/python${short}t`, 'bin/python3', 'bin/python']) {
    if (paths.has(candidate)) return candidate;
  }
  return `bin/python${short}`;
}
