/**
 * Adds up plan entries by package, profile, rule, category and risk: the numbers every report
 * shows and CI reads.
 */
import type { Plan, PlanEntry, Tally } from './types.ts';

/** Returns the tallies of entries grouped by each key, largest first. */
export function summarize(entries: readonly PlanEntry[]): Plan['summary'] {
  return {
    byPackage: tally(entries, (entry) => entry.package),
    byProfile: tally(entries, (entry) => entry.profile),
    byRule: tally(entries, (entry) => `${entry.profile}/${entry.rule}`),
    byCategory: tally(entries, (entry) => entry.category),
    byRisk: tally(entries, (entry) => entry.risk),
  };
}

/** Groups entries by a key and sums files and bytes, largest first, then by key for stability. */
export function tally(entries: readonly PlanEntry[], keyOf: (entry: PlanEntry) => string): Tally[] {
  const groups = new Map<string, Tally>();
  for (const entry of entries) {
    const key = keyOf(entry);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { key, files: 1, bytes: entry.bytes });
    else {
      group.files++;
      group.bytes += entry.bytes;
    }
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key));
}
