/**
 * Small facts about prefix-relative paths, shared by the readers, the planner and the safety
 * preflight so that all three agree on what "inside the prefix" means.
 */
import { sep } from 'node:path';
import type { RecordProblem } from './types.ts';

/**
 * Tells whether a prefix-relative path is absolute, climbs out with `..` segments, or holds a NUL
 * byte, which no file name can (and which would split the lists the lstat worker is sent).
 */
export function isUnsafeRelativePath(path: string): boolean {
  if (path === '' || path.includes('\0')) return true;
  const first = path.charCodeAt(0);
  if (first === 47 /* / */ || first === 92 /* \ */ || /^[A-Za-z]:/.test(path)) return true;
  // Runs for every path of every record: the common case has no '..' at all.
  if (!path.includes('..')) return false;
  return /(?:^|[\\/])\.\.(?:[\\/]|$)/.test(path);
}

/** The problem a record that lists an unsafe path gets; the path itself is left out of the package. */
export function unsafePathProblem(recordPath: string, path: string): RecordProblem {
  return { path: recordPath, code: 'unsafe-path', message: `lists ${JSON.stringify(path)}, which leaves the prefix or names no file; the path is ignored` };
}

/** Returns the parent of a prefix-relative path, or '' for a top-level entry. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/**
 * Maps an installed noarch:python path back to the form conda leaves in `paths_data._path`:
 * conda translates `files` but not the hardlink entries (`site-packages/…`, `python-scripts/…`).
 */
export function untranslatedNoarchPath(path: string): string {
  const sitePackages = /^(?:lib\/python[^/]+|Lib)\/site-packages\//.exec(path);
  if (sitePackages !== null) return `site-packages/${path.slice(sitePackages[0].length)}`;
  if (path.startsWith('bin/')) return `python-scripts/${path.slice(4)}`;
  if (path.startsWith('Scripts/')) return `python-scripts/${path.slice(8)}`;
  return path;
}

/**
 * The prefix with one trailing separator, to which record paths are appended as they are:
 * they are normalised already, and path.join's normalisation of 60,000 of them costs more than
 * the lstat calls they serve.
 */
export function withTrailingSeparator(prefix: string): string {
  return prefix.endsWith(sep) ? prefix : `${prefix}${sep}`;
}
