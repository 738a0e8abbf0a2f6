/**
 * The dynamic loader's search for a DT_NEEDED name, replayed inside one prefix: the directories
 * of the needing file's RUNPATH (or else RPATH) with `$ORIGIN` expanded, then the prefix's `lib/`,
 * the first name that opens wins, and a name that is a symlink is followed link by link. Nothing
 * outside the prefix is looked at: a directory or link that leads out ends the trail there, since
 * what lies outside is not the plan's to keep or remove.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { join, posix, sep } from 'node:path';
import type { ElfDynamicInfo } from '../elf.ts';
import { expandOrigin } from '../elf.ts';
import { parentOf } from '../environment/paths.ts';
import { canonicalPath, type RealDirectory } from './real-directories.ts';

/**
 * Where a needed name led: every path the loader went through, and the regular file it maps, each
 * in canonical prefix-relative spelling (directories resolved through links inside the prefix).
 */
export interface LoaderTrail {
  /** The name as found in a search directory, then each link target in turn. */
  chain: string[];
  /** The regular file at the end, or undefined when the trail leaves the prefix. */
  target: string | undefined;
}

/** What the search needs to know about the prefix. */
export interface LoaderSearchOptions {
  prefix: string;
  realPrefix: string;
  resolveDirectory: (directory: string) => RealDirectory;
  /**
   * Shared objects the plan removes, by SONAME, canonical paths: found only when no file name
   * matches, as a loader that already mapped one under another name would.
   */
  removedBySoname: ReadonlyMap<string, readonly string[]>;
}

/** Replays loader lookups inside a prefix. */
export interface LoaderSearch {
  /** Returns the prefix-relative directories the loader searches for the needs of the file at `path`. */
  directoriesFor(info: ElfDynamicInfo, path: string): string[];
  /** Returns where a needed name leads from those directories, or undefined when not in the prefix. */
  find(needed: string, directories: readonly string[]): LoaderTrail | undefined;
  /** Returns where an absolute path (a PT_INTERP, a DT_NEEDED with a slash) leads, when it lies in the prefix. */
  follow(absolute: string): LoaderTrail | undefined;
}

/** What lies at a path; `path` is its canonical spelling. */
type Node = { kind: 'missing' } | { kind: 'outside' } | { kind: 'file'; path: string } | { kind: 'link'; path: string; target: string };

/** Linux gives up after 40 links in one lookup (ELOOP). */
const MAX_LINKS = 40;

/** Creates a cached loader search over the prefix. */
export function createLoaderSearch(options: LoaderSearchOptions): LoaderSearch {
  const nodes = new Map<string, Node>();
  const trails = new Map<string, LoaderTrail | undefined>();

  const nodeAt = (path: string): Node => {
    let node = nodes.get(path);
    if (node === undefined) {
      node = readNode(options, path);
      nodes.set(path, node);
    }
    return node;
  };

  // Undefined when the name does not open here (missing, dangling, a loop): the loader moves on.
  const trailFrom = (start: string): LoaderTrail | undefined => {
    const chain: string[] = [];
    let current = start;
    for (let hop = 0; hop <= MAX_LINKS; hop++) {
      const node = nodeAt(current);
      if (node.kind === 'missing') return undefined;
      if (node.kind === 'outside') return hop === 0 ? undefined : { chain, target: undefined };
      chain.push(node.path);
      if (node.kind === 'file') return { chain, target: node.path };
      // The kernel resolves a relative target against the directory the link really lies in.
      const next = insidePath(options, node.target.startsWith('/') ? node.target : posix.join(parentOf(node.path), node.target));
      if (next === undefined) return { chain, target: undefined };
      current = next;
    }
    return undefined;
  };

  return {
    directoriesFor(info, path) {
      return searchDirectories(options, info, parentOf(path));
    },
    find(needed, directories) {
      const key = `${needed}\0${directories.join('\0')}`;
      if (trails.has(key)) return trails.get(key);
      let trail: LoaderTrail | undefined;
      for (const directory of directories) {
        trail = trailFrom(directory === '' ? needed : `${directory}/${needed}`);
        if (trail !== undefined) break;
      }
      if (trail === undefined) {
        const bySoname = options.removedBySoname.get(needed)?.find((path) => directories.includes(parentOf(path)));
        if (bySoname !== undefined) trail = { chain: [bySoname], target: bySoname };
      }
      trails.set(key, trail);
      return trail;
    },
    follow(absolute) {
      const path = insidePath(options, absolute);
      return path === undefined ? undefined : trailFrom(path);
    },
  };
}

function searchDirectories(options: LoaderSearchOptions, info: ElfDynamicInfo, fileDirectory: string): string[] {
  // With a RUNPATH the loader ignores RPATH; conda's own binaries find lib/ either way.
  const written = info.runpath.length > 0 ? info.runpath : info.rpath;
  const directories: Array<string | undefined> = [];
  for (const entry of written) {
    // $LIB is lib or lib64 depending on the loader's build; search both rather than guess.
    const spellings = /\$\{?LIB\}?/.test(entry) ? ['lib', 'lib64'].map((lib) => entry.replace(/\$\{?LIB\}?/g, lib)) : [entry];
    for (const spelling of spellings) directories.push(insidePath(options, expandOrigin(spelling, fileDirectory)));
  }
  directories.push('lib');
  const canonical = directories.map((directory) => {
    // Unexpanded $PLATFORM and the like name no directory the search could check.
    if (directory === undefined || directory.includes('$')) return undefined;
    return directory === '' ? '' : canonicalPath(options.resolveDirectory, options.realPrefix, directory);
  });
  return [...new Set(canonical.filter((directory): directory is string => directory !== undefined))];
}

/** Maps an absolute path under the prefix, or a relative one, to a normalised prefix-relative path; undefined outside. */
function insidePath(options: LoaderSearchOptions, path: string): string | undefined {
  let relative = path;
  if (path.startsWith('/')) {
    const base = [options.prefix, options.realPrefix].find((root) => path === root || path.startsWith(`${root}${sep}`));
    if (base === undefined) return undefined;
    relative = path.slice(base.length + 1);
  }
  const normal = posix.normalize(relative === '' ? '.' : relative).replace(/\/$/, '');
  if (normal === '..' || normal.startsWith('../')) return undefined;
  return normal === '.' ? '' : normal;
}

function readNode(options: LoaderSearchOptions, path: string): Node {
  if (path === '') return { kind: 'outside' };
  const canonical = canonicalPath(options.resolveDirectory, options.realPrefix, path);
  if (canonical === undefined) return { kind: 'outside' };
  const absolute = join(options.realPrefix, canonical);
  try {
    if (!lstatSync(absolute).isSymbolicLink()) return { kind: 'file', path: canonical };
    return { kind: 'link', path: canonical, target: readlinkSync(absolute) };
  } catch {
    // Whatever cannot be looked at cannot be opened by the loader either.
    return { kind: 'missing' };
  }
}
