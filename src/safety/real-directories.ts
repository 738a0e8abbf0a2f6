/**
 * Where the directories of a prefix really are. Removing `lib/x` removes a file in whatever
 * directory `lib` resolves to, so containment is judged on real paths: a symlinked directory
 * that leads out of the prefix makes every path under it foreign. Shared by the safety preflight
 * and the shared-library guard so that both agree on what lies inside.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { parentOf } from '../environment/paths.ts';

/** The real location of a prefix-relative directory, or why it has none. */
export type RealDirectory =
  | { kind: 'inside'; real: string }
  | { kind: 'outside'; real: string }
  /** lstat or realpath failed: `code` is the errno code (ENOENT, ENOTDIR, ELOOP, EACCES, ...). */
  | { kind: 'unresolved'; code: string };

/**
 * Creates a resolver of prefix-relative directories (normalised, no `..`) to their real paths,
 * cached per directory.
 *
 * @remarks Each directory costs one lstat and reuses its parent's answer; only a symlink is handed
 * to realpath. The prefix itself (`''`) is `realPrefix` as given.
 */
export function createRealDirectoryResolver(prefix: string, realPrefix: string): (directory: string) => RealDirectory {
  const cache = new Map<string, RealDirectory>();
  const resolveDirectory = (directory: string): RealDirectory => {
    if (directory === '' || directory === '.') return { kind: 'inside', real: realPrefix };
    const cached = cache.get(directory);
    if (cached !== undefined) return cached;
    const parent = resolveDirectory(parentOf(directory));
    const verdict = parent.kind === 'inside' ? judge(prefix, realPrefix, directory, parent.real) : parent;
    cache.set(directory, verdict);
    return verdict;
  };
  return resolveDirectory;
}

/** Tells whether an absolute real path is the real prefix or lies under it. */
export function isWithin(real: string, realPrefix: string): boolean {
  if (realPrefix === sep) return true;
  return real === realPrefix || real.startsWith(`${realPrefix}${sep}`);
}

function judge(prefix: string, realPrefix: string, directory: string, realParent: string): RealDirectory {
  const path = join(prefix, directory);
  try {
    if (!lstatSync(path).isSymbolicLink()) {
      const name = directory.slice(directory.lastIndexOf('/') + 1);
      return { kind: 'inside', real: join(realParent, name) };
    }
    const real = realpathSync.native(path);
    return { kind: isWithin(real, realPrefix) ? 'inside' : 'outside', real };
  } catch (error) {
    return { kind: 'unresolved', code: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}

/** Returns the path of `real` relative to the real prefix (`''` for the prefix itself); assumes isWithin. */
export function toPrefixRelative(real: string, realPrefix: string): string {
  if (real === realPrefix) return '';
  return real.slice(realPrefix === sep ? 1 : realPrefix.length + 1).split(sep).join('/');
}

/**
 * Returns the canonical prefix-relative spelling of a path: its directory resolved through every
 * link inside the prefix (`lib/python3.1/x` → `lib/python3.10/x`), or undefined when the directory
 * lies outside or cannot be resolved.
 */
export function canonicalPath(resolveDirectory: (directory: string) => RealDirectory, realPrefix: string, path: string): string | undefined {
  const directory = resolveDirectory(parentOf(path));
  if (directory.kind !== 'inside') return undefined;
  const parent = toPrefixRelative(directory.real, realPrefix);
  const name = path.slice(path.lastIndexOf('/') + 1);
  return parent === '' ? name : `${parent}/${name}`;
}
