/**
 * The release of conda-prune, read from package.json so that it is written in one place only.
 */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** Returns this release's version, as published in package.json. */
export function toolVersion(): string {
  if (cached === undefined) {
    // src/ and dist/ both sit one level below the package root.
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    cached = manifest.version;
  }
  return cached;
}
