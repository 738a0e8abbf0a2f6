/**
 * Builds a replica environment from a real conda-meta folder: every listed file at its recorded
 * size as a sparse file, softlinks as real symlinks, and the records copied verbatim.
 *
 * Usage: npx tsx bench/replica.ts CONDA_META_DIR DEST [--force]
 *
 * Sizes: `size_in_bytes` of the matching `paths_data` entry (also matched through conda's
 * untranslated noarch `_path`, `site-packages/…` and `python-scripts/…`). Entries without a size
 * get: a pyc_file the size of its source `.py` (0 when the source is not listed), an entry point
 * 256 bytes, anything else 0 bytes (libmamba omits the size of empty files).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { prepareDestination, writeEntries, type EnvEntry, type WriteStats } from './env-writer.ts';
import { recordEntries, scanCondaMeta, type EntryStats } from './replica-records.ts';
import { runAsScript } from './run-as-script.ts';

/** What building a replica did. */
export interface ReplicaResult {
  dest: string;
  records: number;
  markers: string[];
  skipped: { name: string; reason: string }[];
  /** Number of paths listed by all records together (before de-duplication). */
  listedPaths: number;
  write: WriteStats;
  entries: EntryStats;
  buildMs: number;
}

/** Builds a replica of the environment described by `metaDir` at `dest`. */
export function buildReplica(metaDir: string, dest: string, options: { force?: boolean } = {}): ReplicaResult {
  const started = process.hrtime.bigint();
  const scan = scanCondaMeta(metaDir);
  prepareDestination(dest, options.force === true);

  const stats: EntryStats = { missingSize: 0, pycFromSource: 0, linksSameDir: 0, linksOtherDir: 0, linksToRecord: 0 };
  const entries: EnvEntry[] = [];
  for (const scanned of scan.records) entries.push(...recordEntries(scanned, stats));
  const write = writeEntries(dest, entries);

  const meta = join(dest, 'conda-meta');
  mkdirSync(meta, { recursive: true });
  for (const { fileName } of scan.records) copyFileSync(join(metaDir, fileName), join(meta, fileName));
  for (const marker of scan.markers) copyFileSync(join(metaDir, marker), join(meta, marker));

  return {
    dest,
    records: scan.records.length,
    markers: scan.markers,
    skipped: scan.skipped,
    listedPaths: entries.length,
    write,
    entries: stats,
    buildMs: Number(process.hrtime.bigint() - started) / 1e6,
  };
}

/** Formats a replica result as the few lines the CLI prints. */
export function describeReplica(result: ReplicaResult): string {
  const { write, entries } = result;
  const lines = [
    `replica ${result.dest}: ${result.records} records, ${result.listedPaths} listed paths in ${(result.buildMs / 1000).toFixed(1)} s`,
    `  ${write.files} files (${(write.apparentBytes / 2 ** 30).toFixed(2)} GiB apparent, sparse), ${write.links} symlinks, ${write.directories} directories`,
    `  symlink targets: ${entries.linksSameDir} same directory, ${entries.linksOtherDir} elsewhere in the package, ${entries.linksToRecord} at the package record`,
    `  ${entries.missingSize} entries without size_in_bytes (${entries.pycFromSource} pyc sized from their .py)`,
    `  conda-meta markers copied: ${result.markers.join(', ') || 'none'}`,
  ];
  if (write.duplicates > 0) lines.push(`  ${write.duplicates} paths listed by more than one record (last one won)`);
  if (write.failureCount > 0) lines.push(`  ${write.failureCount} entries not created:`, ...write.failures.map((f) => `    ${f}`));
  if (result.skipped.length > 0) {
    lines.push(`  skipped ${result.skipped.length}:`, ...result.skipped.map((s) => `    ${s.name} (${s.reason})`));
  }
  return lines.join('\n');
}

function main(argv: string[]): number {
  const positional = argv.filter((arg) => !arg.startsWith('--'));
  const [metaDir, dest] = positional;
  if (metaDir === undefined || dest === undefined || positional.length !== 2) {
    console.error('usage: npx tsx bench/replica.ts CONDA_META_DIR DEST [--force]');
    return 2;
  }
  const result = buildReplica(resolve(metaDir), resolve(dest), { force: argv.includes('--force') });
  console.log(describeReplica(result));
  return result.write.failureCount > 0 ? 1 : 0;
}

runAsScript(import.meta.url, main);
