/**
 * Computes the plan of a prune: environment × profiles → every file to remove, with owner,
 * profile, rule and bytes, and every matched file that stays, with the reason. Reads the disk
 * through lstat and readdir, and reads the dynamic sections of ELF files when the plan would
 * remove a shared library; changes nothing.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment, Package } from '../environment/types.ts';
import type { ProfileSelection } from '../profiles/types.ts';
import { toolVersion } from '../version.ts';
import { appliesTo, compileRules, compileSelectionKeep } from './compile-rules.ts';
import { selectOwned, selectUnowned } from './select-candidates.ts';
import { inspectCandidates, type Inspection } from './inspect-candidates.ts';
import { guardSharedLibraries } from './library-guard.ts';
import { findEmptiedDirectories } from './find-emptied-directories.ts';
import { summarize } from './summarize.ts';
import { planSchemaVersion, type Plan, type PlanEntry, type PlanProfile } from './types.ts';

/** Options of createPlan. */
export interface PlanOptions {
  /** Clock for `createdAt`; tests pass a fixed one. */
  now?: () => Date;
  /** Skip files whose sha256 differs from their record's (reads every candidate in full). */
  verifyHashes?: boolean;
}

/** Computes what the selected profiles would remove from the environment. */
export async function createPlan(environment: Environment, selection: ProfileSelection, options: PlanOptions = {}): Promise<Plan> {
  const rules = compileRules(selection, environment.python);
  const selectionKeep = compileSelectionKeep(selection, environment.python);
  const owned = selectOwned(environment, rules, selectionKeep);
  const unowned = await selectUnowned(environment, rules, selectionKeep);
  const inspection = inspectCandidates(environment, [...owned.candidates, ...unowned.candidates], { verifyHashes: options.verifyHashes === true });
  const guard = await guardSharedLibraries(environment, inspection.entries);
  const entries = guard.entries.sort((a, b) => compareText(a.path, b.path));
  const skipped = [...owned.skipped, ...unowned.skipped, ...inspection.skipped, ...guard.skipped].sort((a, b) => compareText(a.path, b.path));
  // The inspection counted inodes over every entry; the ones the guard kept no longer count.
  const unique = guard.skipped.length === 0 ? inspection : countUnique(environment.prefix, entries);
  const directories = findEmptiedDirectories(
    environment.prefix,
    entries.map((entry) => entry.path),
  );
  const plan: Plan = {
    schemaVersion: planSchemaVersion,
    tool: { name: 'conda-prune', version: toolVersion() },
    prefix: environment.prefix,
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    maxRisk: selection.maxRisk,
    packages: environment.packages.length,
    profiles: describeProfiles(selection, environment.packages),
    entries,
    directories,
    skipped,
    totals: {
      files: entries.length,
      bytes: entries.reduce((sum, entry) => sum + entry.bytes, 0),
      uniqueFiles: unique.uniqueFiles,
      uniqueBytes: unique.uniqueBytes,
      directories: directories.length,
    },
    summary: summarize(entries),
    problems: [...environment.problems, ...guard.problems],
  };
  if (environment.python !== undefined) plan.python = { version: environment.python.version, sitePackages: environment.python.sitePackages };
  return plan;
}

function describeProfiles(selection: ProfileSelection, packages: Package[]): PlanProfile[] {
  return selection.profiles.map(({ profile, via }) => ({
    name: profile.name,
    version: profile.version,
    source: profile.source.kind === 'builtin' ? `builtin:${profile.name}` : profile.source.location,
    sha256: profile.source.sha256,
    via,
    appliedTo:
      profile.appliesTo === undefined ? [] : profile.appliesTo.package === '*' ? ['*'] : packages.filter((pkg) => appliesTo({ profile, via }, pkg)).map((pkg) => pkg.name),
    ...(profile.verify.imports.length === 0 ? {} : { verifyImports: profile.verify.imports }),
  }));
}

/** Counts entries and their bytes once per inode, as inspectCandidates does. */
function countUnique(prefix: string, entries: readonly PlanEntry[]): Pick<Inspection, 'uniqueFiles' | 'uniqueBytes'> {
  const seenInodes = new Set<string>();
  let uniqueFiles = 0;
  let uniqueBytes = 0;
  for (const entry of entries) {
    if (entry.kind === 'file') {
      const stats = lstatSync(join(prefix, entry.path), { throwIfNoEntry: false });
      const inode = stats === undefined || stats.nlink < 2 ? undefined : `${stats.dev}:${stats.ino}`;
      if (inode !== undefined && seenInodes.has(inode)) continue;
      if (inode !== undefined) seenInodes.add(inode);
    }
    uniqueFiles++;
    uniqueBytes += entry.bytes;
  }
  return { uniqueFiles, uniqueBytes };
}

/** Orders paths by code unit, so plans are byte-identical across locales. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
