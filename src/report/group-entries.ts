/**
 * Groups plan entries by package and then by rule, the shape the text and markdown reports show.
 */
import type { Plan, PlanEntry } from '../plan/types.ts';

/** The entries of one rule within one package. */
export interface RuleGroup {
  profile: string;
  rule: string;
  category: string;
  risk: string;
  via: string[];
  entries: PlanEntry[];
  bytes: number;
}

/** The entries of one package, by rule. */
export interface PackageGroup {
  package: string;
  version: string;
  bytes: number;
  files: number;
  rules: RuleGroup[];
}

/** Groups a plan's entries by package → rule, largest first. */
export function groupByPackage(plan: Plan): PackageGroup[] {
  const viaOf = new Map(plan.profiles.map((profile) => [profile.name, profile.via]));
  const packages = new Map<string, PackageGroup>();
  for (const entry of plan.entries) {
    let pkg = packages.get(entry.package);
    if (pkg === undefined) {
      pkg = { package: entry.package, version: entry.version, bytes: 0, files: 0, rules: [] };
      packages.set(entry.package, pkg);
    }
    pkg.bytes += entry.bytes;
    pkg.files++;
    let rule = pkg.rules.find((group) => group.profile === entry.profile && group.rule === entry.rule);
    if (rule === undefined) {
      rule = { profile: entry.profile, rule: entry.rule, category: entry.category, risk: entry.risk, via: viaOf.get(entry.profile) ?? [], entries: [], bytes: 0 };
      pkg.rules.push(rule);
    }
    rule.entries.push(entry);
    rule.bytes += entry.bytes;
  }
  const groups = [...packages.values()].sort((a, b) => b.bytes - a.bytes || a.package.localeCompare(b.package));
  for (const group of groups) group.rules.sort((a, b) => b.bytes - a.bytes || a.rule.localeCompare(b.rule));
  return groups;
}

/** Counts skips by reason, e.g. `{ shared: 2, modified: 1 }`. */
export function countSkips(plan: Plan): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const skip of plan.skipped) counts.set(skip.reason, (counts.get(skip.reason) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
