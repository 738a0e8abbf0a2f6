/**
 * Who owns which path. The full index costs one map entry per path of the environment, so the
 * planner asks only about the paths it needs (its candidates, the dist-info RECORDs) with a scan
 * against a small set, and the full index is built only when something needs every path.
 */
import type { Environment, Package } from './types.ts';

/** Who owns each path; a path with two owners is shared and never pruned. */
export type OwnerIndex = Pick<Environment, 'owners' | 'sharedOwners'>;

/** Builds the path → owner index of the packages, indexed by their position. */
export function indexOwners(packages: readonly Package[]): OwnerIndex {
  const owners = new Map<string, number>();
  const sharedOwners = new Map<string, number[]>();
  packages.forEach((pkg, index) => {
    // One number per path: an array for each of 60,000 paths costs more than the rest of the index.
    for (const path of pkg.paths) {
      const first = owners.get(path);
      if (first === undefined) {
        owners.set(path, index);
        continue;
      }
      if (first === index) continue;
      const shared = sharedOwners.get(path);
      if (shared === undefined) sharedOwners.set(path, [first, index]);
      else if (!shared.includes(index)) shared.push(index);
    }
  });
  return { owners, sharedOwners };
}

/** Returns every owner of each of the given paths; paths no package lists are absent. */
export function findOwners(packages: readonly Package[], wanted: ReadonlySet<string>): Map<string, number[]> {
  const found = new Map<string, number[]>();
  if (wanted.size === 0) return found;
  packages.forEach((pkg, index) => {
    for (const path of pkg.paths) {
      if (!wanted.has(path)) continue;
      const owners = found.get(path);
      if (owners === undefined) found.set(path, [index]);
      else if (!owners.includes(index)) owners.push(index);
    }
  });
  return found;
}
