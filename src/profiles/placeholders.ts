/**
 * Expands `{site-packages}` and `{stdlib}` in globs from the env's python record, so that one
 * profile serves python 3.8 and 3.13t alike. Braces with a comma stay glob alternatives.
 */
import type { PythonInfo } from '../environment/types.ts';

const placeholderPattern = /\{([a-z][a-z-]*)\}/g;
const known = new Set(['site-packages', 'stdlib']);

/** Returns the placeholder names in a glob that this release does not know. */
export function unknownPlaceholders(glob: string): string[] {
  return [...glob.matchAll(placeholderPattern)].map((match) => match[1] as string).filter((name) => !known.has(name));
}

/** Expands the placeholders of a glob; returns undefined when the env has no python to expand them from. */
export function expandPlaceholders(glob: string, python: PythonInfo | undefined): string | undefined {
  if (!glob.includes('{')) return glob;
  let missing = false;
  const expanded = glob.replace(placeholderPattern, (whole, name: string) => {
    if (name === 'site-packages' || name === 'stdlib') {
      if (python === undefined) {
        missing = true;
        return whole;
      }
      return name === 'site-packages' ? python.sitePackages : python.stdlib;
    }
    return whole;
  });
  return missing ? undefined : expanded;
}
