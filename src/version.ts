/**
 * The release of conda-prune. The bundle has it injected at build time; from the source tree or
 * the npm package it is read from package.json, so it is written in one place only.
 */
import { readFileSync } from 'node:fs';

/** Set by scripts/bundle.ts. */
declare const __CONDA_PRUNE_VERSION__: string | undefined;

let cached: string | undefined = typeof __CONDA_PRUNE_VERSION__ === 'undefined' ? undefined : __CONDA_PRUNE_VERSION__;

/** Returns this release's version, as published in package.json. */
export function toolVersion(): string {
  if (cached === undefined) {
    // src/ and dist/ both sit one level below the package root.
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    cached = manifest.version;
  }
  return cached;
}
