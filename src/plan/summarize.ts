/**
 * Adds up plan entries by package, profile, rule, category and risk: the numbers every report
 * shows and CI reads.
 */
import type { Plan, PlanEntry, Tally } from './types.ts';

/** Returns the tallies of entries grouped by each key, largest first. */
export function summarize(entries: readonly PlanEntry[]): Plan['summary'] {
  // One pass for all five groupings; the rule key is built once per rule, not per entry.
  const groups = { byPackage: new Map<string, Tally>(), byProfile: new Map<string, Tally>(), byRule: new Map<string, Tally>(), byCategory: new Map<string, Tally>(), byRisk: new Map<string, Tally>() };
  const ruleKeys = new Map<string, Map<string, string>>();
  for (const entry of entries) {
    let ofProfile = ruleKeys.get(entry.profile);
    if (ofProfile === undefined) ruleKeys.set(entry.profile, (ofProfile = new Map()));
    let ruleKey = ofProfile.get(entry.rule);
    if (ruleKey === undefined) ofProfile.set(entry.rule, (ruleKey = `${entry.profile}/${entry.rule}`));
    addToTally(groups.byPackage, entry.package, entry.bytes);
    addToTally(groups.byProfile, entry.profile, entry.bytes);
    addToTally(groups.byRule, ruleKey, entry.bytes);
    addToTally(groups.byCategory, entry.category, entry.bytes);
    addToTally(groups.byRisk, entry.risk, entry.bytes);
  }
  return {
    byPackage: orderTallies(groups.byPackage),
    byProfile: orderTallies(groups.byProfile),
    byRule: orderTallies(groups.byRule),
    byCategory: orderTallies(groups.byCategory),
    byRisk: orderTallies(groups.byRisk),
  };
}

/** Counts one file of `bytes` under `key`. */
export function addToTally(groups: Map<string, Tally>, key: string, bytes: number): void {
  const group = groups.get(key);
  if (group === undefined) groups.set(key, { key, files: 1, bytes });
  else {
    group.files++;
    group.bytes += bytes;
  }
}

/** Largest first, then by key for stable output: the order every report shows tallies in. */
export function orderTallies(groups: Map<string, Tally>): Tally[] {
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key));
}

/** Groups entries by a key and sums files and bytes, largest first, then by key for stability. */
export function tally(entries: readonly PlanEntry[], keyOf: (entry: PlanEntry) => string): Tally[] {
  const groups = new Map<string, Tally>();
  for (const entry of entries) addToTally(groups, keyOf(entry), entry.bytes);
  return orderTallies(groups);
}
