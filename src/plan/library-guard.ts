/**
 * The shared-library guard: a plan never removes a shared library that an ELF file staying in the
 * prefix still needs. It reads the dynamic section of every staying file that may be ELF, replays
 * the loader's search for each DT_NEEDED name inside the prefix, and turns every entry found on
 * the way (the name, each link, the file at the end) into a skip with reason `needed`. A kept
 * library stays, so what it needs is kept in turn. Libraries needed only by files that go too
 * can go with them. Runs only when the plan removes something that may be a shared library.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { readElfDynamicInfo, type ElfDynamicInfo } from '../elf.ts';
import type { Environment, RecordProblem } from '../environment/types.ts';
import { isSharedObjectName, mayBeElf } from '../safety/elf-candidates.ts';
import { scanLibraryNames } from '../safety/scan-library-names.ts';
import { createLoaderSearch, type LoaderSearch, type LoaderTrail } from '../safety/loader-search.ts';
import { canonicalPath, createRealDirectoryResolver, type RealDirectory } from '../safety/real-directories.ts';
import type { PlanEntry, PlanSkip } from './types.ts';
import { mapLimit } from '../map-limit.ts';

/** Options of guardSharedLibraries. */
export interface GuardOptions {
  /** Files read at once; default 32. */
  concurrency?: number;
}

/** The entries that still go, the ones the guard keeps, and files it could not fully read. */
export interface GuardResult {
  entries: PlanEntry[];
  skipped: PlanSkip[];
  problems: RecordProblem[];
  /** Files whose head was read, to find ELF files among them. */
  filesRead: number;
}

interface ElfFile {
  /** As listed by its record, or as the loader's trail found it; needing files are named by it. */
  path: string;
  /** Directories resolved through links inside the prefix, so aliases meet. */
  canonical: string;
  info: ElfDynamicInfo;
}

/** Who needs a kept entry, and through which link names when not by its own. */
interface Reach {
  needers: Set<string>;
  through: Set<string>;
  direct: boolean;
}

/** Reads an ELF file; `complete` asks for every need, with the fallback scan and problems reported. */
type Reader = (path: string, complete: boolean) => Promise<ElfFile | undefined>;

/** Keeps every plan entry that an ELF file staying in the prefix still needs. */
export async function guardSharedLibraries(environment: Environment, entries: readonly PlanEntry[], options: GuardOptions = {}): Promise<GuardResult> {
  const concurrency = options.concurrency ?? 32;
  const unchanged: GuardResult = { entries: [...entries], skipped: [], problems: [], filesRead: 0 };
  const mayGoLibrary = entries.some((entry) => isSharedObjectName(entry.path));
  const probable = entries.filter((entry) => entry.kind === 'file' && mayBeElf(entry.path));
  if (!mayGoLibrary && probable.length === 0) return unchanged;

  const { prefix, realPrefix } = environment;
  const resolveDirectory = createRealDirectoryResolver(prefix, realPrefix);
  const canonicalOf = (path: string): string => canonicalPath(resolveDirectory, realPrefix, path) ?? path;
  const problems: RecordProblem[] = [];
  const read = createReader(resolveDirectory, realPrefix, problems);
  // Only their SONAMEs matter while they go; a kept one is read again in full if it was cut short.
  const removed = (await mapLimit(probable, concurrency, (entry) => read(entry.path, false))).filter((file) => file !== undefined);
  const removedBySoname = new Map<string, string[]>();
  for (const file of removed) if (file.info.soname !== undefined) push(removedBySoname, file.info.soname, file.canonical);
  // A file that is neither named like a library nor carries a SONAME is needed by no one.
  if (!mayGoLibrary && removedBySoname.size === 0) return { ...unchanged, problems, filesRead: probable.length };

  // Several spellings may name one file (a linked directory); keeping it keeps every one of them.
  const byCanonical = new Map<string, PlanEntry[]>();
  for (const entry of entries) push(byCanonical, canonicalOf(entry.path), entry);
  const search = createLoaderSearch({ prefix, realPrefix, resolveDirectory, removedBySoname });
  const staying = listStayingCandidates(environment, byCanonical, canonicalOf);
  const followed = await followNeeds(search, staying, { read, concurrency, removed, isEntry: (path) => byCanonical.has(path) });
  const kept = [...followed.reaches].flatMap(([path, reach]) => (byCanonical.get(path) ?? []).map((entry) => toSkip(entry, reach)));
  const keptPaths = new Set(kept.map((skip) => skip.path));
  return {
    entries: entries.filter((entry) => !keptPaths.has(entry.path)),
    skipped: kept,
    problems,
    filesRead: probable.length + followed.filesRead,
  };
}

/**
 * Reads the staying files, follows each needed name, and repeats for every file the loader would
 * map that was not read yet (a kept entry among them), until nothing new turns up.
 */
async function followNeeds(
  search: LoaderSearch,
  staying: ReadonlyMap<string, string>,
  context: { read: Reader; concurrency: number; removed: readonly ElfFile[]; isEntry: (canonical: string) => boolean },
): Promise<{ reaches: Map<string, Reach>; filesRead: number }> {
  const removedInfo = new Map(context.removed.map((file) => [file.canonical, file]));
  // Canonical paths whose needs are, or are about to be, followed: each file is resolved once.
  const processed = new Set(staying.keys());
  const reaches = new Map<string, Reach>();
  let filesRead = staying.size;
  const readAll = (paths: string[]): Promise<Array<ElfFile | undefined>> => mapLimit(paths, context.concurrency, (path) => context.read(path, true));
  let pending = await readAll([...staying.values()]);
  while (pending.length > 0) {
    const known: ElfFile[] = [];
    const toRead: string[] = [];
    for (const file of pending) {
      if (file === undefined) continue;
      for (const trail of trailsOf(search, file)) {
        for (const [index, path] of trail.chain.entries()) {
          if (context.isEntry(path)) reach(reaches, path, file.path, index === 0 ? undefined : trail.chain[0]);
        }
        // The file the loader maps stays now, so what it needs must stay too.
        const target = trail.target;
        if (target === undefined || processed.has(target)) continue;
        processed.add(target);
        const probed = removedInfo.get(target);
        if (probed === undefined || probed.info.problem !== undefined) toRead.push(target);
        else known.push(probed);
      }
    }
    filesRead += toRead.length;
    pending = [...known, ...(await readAll(toRead))];
  }
  return { reaches, filesRead };
}

function trailsOf(search: LoaderSearch, file: ElfFile): LoaderTrail[] {
  const directories = search.directoriesFor(file.info, file.path);
  const trails: LoaderTrail[] = [];
  for (const needed of file.info.needed) {
    const trail = needed.includes('/') ? (needed.startsWith('/') ? search.follow(needed) : undefined) : search.find(needed, directories);
    if (trail !== undefined) trails.push(trail);
  }
  if (file.info.interpreter !== undefined) {
    const trail = search.follow(file.info.interpreter);
    if (trail !== undefined) trails.push(trail);
  }
  return trails;
}

/** Lists the paths packages own that stay and may be ELF, once each: canonical path → listed path. */
function listStayingCandidates(environment: Environment, removed: ReadonlyMap<string, unknown>, canonicalOf: (path: string) => string): Map<string, string> {
  const staying = new Map<string, string>();
  for (const pkg of environment.packages) {
    for (const path of pkg.paths) {
      if (!mayBeElf(path)) continue;
      const canonical = canonicalOf(path);
      if (!staying.has(canonical) && !removed.has(canonical)) staying.set(canonical, path);
    }
  }
  return staying;
}

/**
 * Creates a reader of ELF files by prefix-relative path that never leaves the prefix: a path
 * whose directory resolves outside, or that is itself a symlink, is not opened (a link's target
 * is read under its own name). Returns undefined for anything that is not ELF.
 */
function createReader(resolveDirectory: (directory: string) => RealDirectory, realPrefix: string, problems: RecordProblem[]): Reader {
  return async (path, complete) => {
    const canonical = canonicalPath(resolveDirectory, realPrefix, path);
    if (canonical === undefined) return undefined;
    const absolute = join(realPrefix, canonical);
    try {
      // Sync: an lstat is cheaper than the thread-pool round trip of an async one.
      if (!lstatSync(absolute).isFile()) return undefined;
      const info = await readElfDynamicInfo(absolute);
      if (info === null) return undefined;
      if (info.problem === undefined || !complete) return { path, canonical, info };
      // What it needs cannot be known for sure, so every library name in its bytes counts as needed.
      const names = await scanLibraryNames(absolute);
      problems.push({
        path,
        code: 'unreadable',
        message: `ELF file read in part (${info.problem}); the shared-library guard counts every library name in its bytes as needed`,
      });
      return { path, canonical, info: { ...info, needed: [...new Set([...info.needed, ...names])] } };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      // Listed but not on disk is common and harmless: nothing there needs anything.
      if (complete && code !== 'ENOENT' && code !== 'ENOTDIR') {
        problems.push({ path, code: 'unreadable', message: `cannot read for the shared-library guard: ${code}` });
      }
      return undefined;
    }
  };
}

function reach(reaches: Map<string, Reach>, path: string, needer: string, through: string | undefined): void {
  let entry = reaches.get(path);
  if (entry === undefined) {
    entry = { needers: new Set(), through: new Set(), direct: false };
    reaches.set(path, entry);
  }
  entry.needers.add(needer);
  if (through === undefined) entry.direct = true;
  else entry.through.add(through);
}

function toSkip(entry: PlanEntry, reach: Reach): PlanSkip {
  const needers = [...reach.needers].sort();
  const named = needers.slice(0, 3).join(', ');
  const more = needers.length > 3 ? ` and ${needers.length - 3} more` : '';
  const through = reach.direct ? '' : ` through ${[...reach.through].sort()[0]}`;
  return { path: entry.path, package: entry.package, profile: entry.profile, rule: entry.rule, reason: 'needed', detail: `needed by ${named}${more}${through}` };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
