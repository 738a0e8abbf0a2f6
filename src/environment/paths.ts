/**
 * Small facts about prefix-relative paths, shared by the readers, the planner and the safety
 * preflight so that all three agree on what "inside the prefix" means.
 */

/** Tells whether a prefix-relative path is absolute or climbs out with `..` segments. */
export function isUnsafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) return true;
  return path.split(/[\\/]/).some((segment) => segment === '..');
}

/** Returns the parent of a prefix-relative path, or '' for a top-level entry. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}
