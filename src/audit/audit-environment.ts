/**
 * Audits an environment: where its bytes go by package and category, what each preset would
 * save, what no profile covers yet, the largest and the duplicated files, advice for container
 * images, and the prunes already applied. Read-only: records, lstat, and the first bytes of
 * files in executable folders.
 */
import type { Environment } from '../environment/types.ts';
import { readEnvironment } from '../environment/read-environment.ts';
import { toolVersion } from '../version.ts';
import { checkGates, type GateLimits } from './check-gates.ts';
import { collectDockerHints } from './docker-hints.ts';
import { findDuplicates } from './find-duplicates.ts';
import { findUnprofiled } from './find-unprofiled.ts';
import { listPaths, measureFiles, pathClassifier, type MeasuredFile } from './measure-files.ts';
import { pricePresets, selectPresets } from './preset-savings.ts';
import { lstatTable } from '../fs/lstat-table.ts';
import { readPrunedHistory } from './pruned-history.ts';
import { auditSchemaVersion, type Audit, type AuditCategory, type AuditPackage, type CategoryTally, type LargeFile } from './types.ts';
import type { SelectionOptions } from '../profiles/resolve-profiles.ts';

/** Options of auditEnvironment. */
export interface AuditOptions extends GateLimits {
  /** Directory that relative profile references resolve against. */
  cwd: string;
  /** Presets to price; default, moderate and aggressive when absent. */
  presets?: readonly string[];
  /** The project's own selection (conda-prune.yaml and its lockfile), priced as `config`. */
  configured?: SelectionOptions;
  /** Packages with less unprofiled prunable content are not reported; 1 MiB by default. */
  minUnprofiledBytes?: number;
  /** How many of the largest files to list; 25 by default. */
  largestFiles?: number;
  /** Clock for `createdAt`; tests pass a fixed one. */
  now?: () => Date;
}

/** Reads the environment at `prefix` and audits it. */
export async function auditPrefix(prefix: string, options: AuditOptions): Promise<Audit> {
  return auditEnvironment(readEnvironment(prefix, { keepParsed: true }), options);
}

/** Audits an environment that has been read already. */
export async function auditEnvironment(environment: Environment, options: AuditOptions): Promise<Audit> {
  const now = options.now ?? (() => new Date());
  const listing = listPaths(environment);
  // The files are measured on the other core while the presets select their paths from the records.
  const measuring = lstatTable(listing.root, listing.paths, pathClassifier);
  const selections = selectPresets(environment, {
    cwd: options.cwd,
    ...(options.presets === undefined ? {} : { presets: options.presets }),
    ...(options.configured === undefined ? {} : { configured: options.configured }),
  });
  const measurement = measureFiles(environment, listing, await measuring);
  const { files } = measurement;
  const inodes = new Map<string, string>();
  for (const file of files) if (file.inode !== undefined) inodes.set(file.path, file.inode);
  const pricing = pricePresets(environment, selections, { inodes, lstatOf: measurement.lstatOf, sharedOwners: listing.sharedOwners });
  const packages = describePackages(environment, files, measurement.missing);
  const audit: Audit = {
    schemaVersion: auditSchemaVersion,
    tool: { name: 'conda-prune', version: toolVersion() },
    prefix: environment.prefix,
    createdAt: now().toISOString(),
    totals: {
      packages: environment.packages.length,
      files: files.length,
      bytes: sumBytes(files),
      uniqueBytes: measurement.uniqueBytes,
      symlinks: files.filter((file) => file.kind === 'symlink').length,
      missing: measurement.missing.reduce((sum, count) => sum + count, 0),
    },
    packages,
    categories: tallyCategories(files),
    presets: pricing.presets,
    unprofiled: findUnprofiled(environment, files, pricing.reached, options.minUnprofiledBytes === undefined ? {} : { minBytes: options.minUnprofiledBytes }),
    largestFiles: largestFiles(environment, files, options.largestFiles ?? 25),
    duplicates: findDuplicates(environment, files),
    hints: collectDockerHints({ environment, files, unownedRulesLeftOut: pricing.unownedRulesLeftOut }),
    history: readPrunedHistory(environment.prefix),
    gates: [],
    problems: environment.problems,
  };
  if (environment.python !== undefined) audit.python = { version: environment.python.version, sitePackages: environment.python.sitePackages };
  audit.gates = checkGates(audit, options);
  return audit;
}

function describePackages(environment: Environment, files: readonly MeasuredFile[], missing: readonly number[]): AuditPackage[] {
  const groups = environment.packages.map(() => [] as MeasuredFile[]);
  for (const file of files) groups[file.packageIndex]?.push(file);
  return environment.packages
    .map((pkg, index) => {
      const own = groups[index] ?? [];
      return {
        name: pkg.name,
        version: pkg.version,
        build: pkg.build,
        source: pkg.source,
        files: own.length,
        bytes: sumBytes(own),
        missing: missing[index] ?? 0,
        categories: tallyCategories(own),
      };
    })
    .sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Sums files and bytes per category, largest first, then by name for stable output. */
export function tallyCategories(files: readonly MeasuredFile[]): CategoryTally[] {
  const tallies = new Map<AuditCategory, CategoryTally>();
  for (const file of files) {
    const tally = tallies.get(file.category);
    if (tally === undefined) tallies.set(file.category, { category: file.category, files: 1, bytes: file.bytes });
    else {
      tally.files++;
      tally.bytes += file.bytes;
    }
  }
  return [...tallies.values()].sort((a, b) => b.bytes - a.bytes || (a.category < b.category ? -1 : 1));
}

/** Keeps the largest files in one pass; sorting every file would cost more than measuring them. */
function largestFiles(environment: Environment, files: readonly MeasuredFile[], count: number): LargeFile[] {
  const top: MeasuredFile[] = [];
  const before = (a: MeasuredFile, b: MeasuredFile): boolean => a.bytes > b.bytes || (a.bytes === b.bytes && a.path < b.path);
  for (const file of files) {
    const last = top[top.length - 1];
    if (top.length === count && last !== undefined && !before(file, last)) continue;
    let at = top.length;
    while (at > 0 && before(file, top[at - 1] as MeasuredFile)) at--;
    top.splice(at, 0, file);
    if (top.length > count) top.pop();
  }
  return top.map((file) => ({ path: file.path, package: environment.packages[file.packageIndex]?.name ?? '', category: file.category, bytes: file.bytes }));
}

function sumBytes(files: readonly MeasuredFile[]): number {
  return files.reduce((sum, file) => sum + file.bytes, 0);
}
