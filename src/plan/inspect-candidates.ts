/**
 * Checks each candidate against the disk with one lstat: a file that is gone, changed since its
 * record was written, or shared with another package is passed over with the reason.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Environment } from '../environment/types.ts';
import { parentOf, withTrailingSeparator } from '../environment/paths.ts';
import { findOwners } from '../environment/owners.ts';
import { hashFile } from '../fs/hash-file.ts';
import type { LstatFacts } from '../fs/lstat-table.ts';
import type { PlanEntry, PlanSkip } from './types.ts';
import type { Candidate } from './select-candidates.ts';

/** The entries a plan removes, the skips, and the entries counted once per inode. */
export interface Inspection {
  entries: PlanEntry[];
  skipped: PlanSkip[];
  uniqueBytes: number;
  uniqueFiles: number;
}

/** Options of inspectCandidates. */
export interface InspectOptions {
  /** Only remove a file whose sha256 still matches its record. */
  verifyHashes?: boolean;
  /**
   * lstat results the caller took moments ago (the audit measures every file first), used
   * instead of taking them again; a path without one is lstat-ed as usual.
   */
  lstatOf?: (path: string) => LstatFacts | undefined;
  /**
   * Every owner of each path that several packages list, as the caller found them already (the
   * audit, listing every path); the records are then not scanned again for the candidates.
   */
  sharedOwners?: ReadonlyMap<string, readonly number[]>;
}

/** Turns candidates into plan entries or skips by looking at each one on disk. */
export function inspectCandidates(environment: Environment, candidates: Candidate[], options: InspectOptions = {}): Inspection {
  const inspection: Inspection = { entries: [], skipped: [], uniqueBytes: 0, uniqueFiles: 0 };
  const seenInodes = new Set<string>();
  const linkedParent = createLinkedParentCheck(environment);
  const owners: ReadonlyMap<string, readonly number[]> = options.sharedOwners ?? findOwners(environment.packages, new Set(candidates.map((candidate) => candidate.path)));
  const root = withTrailingSeparator(environment.prefix);
  // One function for every candidate, not a closure each: an audit inspects tens of thousands.
  const skip = (candidate: Candidate, reason: PlanSkip['reason'], detail: string): void => {
    const { profile } = candidate.compiled.resolved;
    inspection.skipped.push({ path: candidate.path, package: environment.packages[candidate.packageIndex]?.name ?? '(unowned)', profile: profile.name, rule: candidate.compiled.rule.id, reason, detail });
  };
  for (const candidate of candidates) {
    const pkg = environment.packages[candidate.packageIndex];
    const { profile } = candidate.compiled.resolved;
    const { rule } = candidate.compiled;
    const listedBy = owners.get(candidate.path);
    if (listedBy !== undefined && listedBy.length > 1) {
      skip(candidate, 'shared', `also listed by ${listedBy.filter((index) => index !== candidate.packageIndex).map((index) => environment.packages[index]?.name).join(', ')}`);
      continue;
    }
    const link = linkedParent(parentOf(candidate.path));
    if (link !== undefined) {
      skip(candidate, 'linked-parent', link);
      continue;
    }
    let stats: LstatFacts;
    try {
      // Concatenated, not joined: record paths are normalised, and this runs once per candidate.
      stats = options.lstatOf?.(candidate.path) ?? lstatSync(`${root}${candidate.path}`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') skip(candidate, 'missing', 'listed by its record but not on disk');
      else skip(candidate, 'unreadable', `cannot stat: ${code ?? String(error)}`);
      continue;
    }
    const change = describeChange(candidate, stats) ?? (options.verifyHashes === true ? describeHashChange(environment, candidate, stats) : undefined);
    if (change !== undefined) {
      skip(candidate, change.reason, change.detail);
      continue;
    }
    const symlink = stats.isSymbolicLink();
    const entry: PlanEntry = {
      path: candidate.path,
      package: pkg?.name ?? '(unowned)',
      version: pkg?.version ?? '',
      profile: profile.name,
      rule: rule.id,
      category: rule.category,
      risk: rule.risk,
      bytes: stats.size,
      kind: symlink ? 'symlink' : 'file',
    };
    if (rule.lastStep === true) entry.lastStep = true;
    inspection.entries.push(entry);
    // Hardlinked copies free their bytes once; a file with one link is unique by definition.
    if (stats.nlink > 1 && !symlink) {
      const inode = `${stats.dev}:${stats.ino}`;
      if (seenInodes.has(inode)) continue;
      seenInodes.add(inode);
    }
    inspection.uniqueFiles++;
    inspection.uniqueBytes += stats.size;
  }
  return inspection;
}

/** Compares a file's sha256 with its record's, for `--verify-hashes`; reads the whole file. */
function describeHashChange(environment: Environment, candidate: Candidate, stats: LstatFacts): { reason: PlanSkip['reason']; detail: string } | undefined {
  const recorded = candidate.file?.sha256;
  if (recorded === undefined || !stats.isFile()) return undefined;
  const actual = hashFile(join(environment.prefix, candidate.path));
  return actual === recorded ? undefined : { reason: 'modified', detail: `sha256 ${actual.slice(0, 12)}… differs from the record's ${recorded.slice(0, 12)}…` };
}

function describeChange(candidate: Candidate, stats: LstatFacts): { reason: PlanSkip['reason']; detail: string } | undefined {
  if (stats.isDirectory()) return { reason: 'not-a-file', detail: 'a directory where a file was expected' };
  const file = candidate.file;
  if (file === undefined) return undefined;
  const symlink = stats.isSymbolicLink();
  if (file.pathType === 'softlink' && !symlink) return { reason: 'modified', detail: 'recorded as a symlink, found a regular file' };
  if (file.pathType === 'hardlink' && symlink) return { reason: 'modified', detail: 'recorded as a file, found a symlink' };
  if (!symlink && file.size !== undefined && file.size !== stats.size) {
    return { reason: 'modified', detail: `recorded ${file.size} bytes, found ${stats.size}` };
  }
  return undefined;
}

/**
 * Returns a check that tells, once per directory, whether reaching it leaves the prefix. lstat
 * resolves every directory on the way, so without this a record path under a linked directory
 * could name a file outside the prefix. Links that stay inside are fine: conda 4.8 recorded
 * python 3.10's noarch files under `lib/python3.1/`, a link to `lib/python3.10/`. Each directory
 * costs one lstat, its parent's verdict is reused, and only a symlink is resolved.
 */
function createLinkedParentCheck(environment: Environment): (directory: string) => string | undefined {
  const verdicts = new Map<string, string | undefined>();
  const inside = `${environment.realPrefix}${sep}`;
  const judge = (directory: string): string | undefined => {
    if (directory === '') return undefined;
    if (verdicts.has(directory)) return verdicts.get(directory);
    let verdict = judge(parentOf(directory));
    if (verdict === undefined) {
      try {
        if (lstatSync(join(environment.prefix, directory)).isSymbolicLink()) {
          const real = realpathSync.native(join(environment.prefix, directory));
          if (real !== environment.realPrefix && !real.startsWith(inside)) verdict = `${directory} resolves to ${real}, outside the prefix`;
        }
      } catch {
        // A directory that cannot be reached holds nothing lstat could find either.
      }
    }
    verdicts.set(directory, verdict);
    return verdict;
  };
  return judge;
}
