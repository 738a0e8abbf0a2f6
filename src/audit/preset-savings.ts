/**
 * Prices each preset with the planner's own stages (rule compilation, owned-path selection, the
 * lstat inspection), sharing their work between presets: the presets extend each
 * other, so the widest one is selected and inspected once and a narrower one re-selects only the
 * paths where its lower risk cap can change the outcome. Two planner stages are left out, because
 * an audit reads records and lstat only: unowned-scope rules (they walk the prefix) and the
 * shared-library guard (it reads ELF files). A preset that removes a shared library a remaining
 * file needs therefore saves up to the amount shown; `plan` gives the exact figure.
 */
import type { Environment } from '../environment/types.ts';
import { compileRules, type CompiledRule } from '../plan/compile-rules.ts';
import { inspectCandidates } from '../plan/inspect-candidates.ts';
import { selectOwned, type Candidate, type Selection } from '../plan/select-candidates.ts';
import type { PlanEntry, PlanSkip, Tally } from '../plan/types.ts';
import { resolveProfiles, type SelectionOptions } from '../profiles/resolve-profiles.ts';
import { risks, type ProfileSelection } from '../profiles/types.ts';
import { restrictEnvironment } from './restrict-environment.ts';
import type { PresetSavings } from './types.ts';
import type { LstatFacts } from '../fs/lstat-table.ts';
import { addToTally, orderTallies } from '../plan/summarize.ts';

/** The presets every audit prices, smallest first. */
export const auditedPresets: readonly string[] = ['default', 'moderate', 'aggressive'];

/** The name the project's configured selection is priced under. */
export const configuredSelection = 'config';

/** The savings per preset, and every path a rule of any of them matched (removed or kept). */
export interface PresetPricing {
  presets: PresetSavings[];
  reached: Set<string>;
  /** `profile/rule` names of the unowned-scope rules left out, sorted. */
  unownedRulesLeftOut: string[];
}

/** Options of selectPresets. */
export interface PresetSelectionOptions {
  presets?: readonly string[];
  /** The project's own selection (conda-prune.yaml, the lockfile), priced beside the presets as `config`. */
  configured?: SelectionOptions;
  /** Directory that relative profile references resolve against. */
  cwd: string;
}

/** One priced selection with the paths its rules chose. */
export interface SelectedPreset {
  preset: string;
  selection: ProfileSelection;
  chosen: Selection;
  /**
   * For a preset derived from the widest one: the candidates selected anew rather than taken
   * over. Every path it reaches is one the widest reached, and only these can lack an inspection.
   */
  fresh?: Candidate[];
}

/** Each priced selection with the paths its rules chose, before anything is looked at on disk. */
export interface PresetSelections {
  selected: SelectedPreset[];
  /** `profile/rule` names of the unowned-scope rules left out, sorted. */
  unownedRulesLeftOut: string[];
}

/** Options of pricePresets. */
export interface PricingOptions {
  /** `dev:ino` of hardlinked files, to count their bytes once. */
  inodes?: ReadonlyMap<string, string>;
  /** The lstat of every file the audit measured, reused by the inspection. */
  lstatOf?: (path: string) => LstatFacts | undefined;
  /** Every owner of each path several packages list, as the audit's listing found them. */
  sharedOwners?: ReadonlyMap<string, readonly number[]>;
}

/** What one path came to after selection and inspection: removed, or passed over with a reason. */
type Outcome = PlanEntry | PlanSkip;

/**
 * Selects each preset's paths over the already-read environment: records only, so it can run
 * while the files are still being measured.
 */
export function selectPresets(environment: Environment, options: PresetSelectionOptions): PresetSelections {
  const leftOut = new Set<string>();
  const selections: Array<{ preset: string; options: SelectionOptions }> = (options.presets ?? auditedPresets).map((preset) => ({ preset, options: { preset, cwd: options.cwd } }));
  if (options.configured !== undefined) selections.push({ preset: configuredSelection, options: options.configured });
  const presets = selections.map(({ preset, options: selectionOptions }) => {
    const selection = withoutUnownedRules(resolveProfiles(selectionOptions), leftOut);
    return { preset, selection, rules: compileRules(selection, environment.python) };
  });
  const widest = presets.reduce<(typeof presets)[number] | undefined>((best, item) => (best === undefined || item.rules.length > best.rules.length ? item : best), undefined);
  if (widest === undefined) return { selected: [], unownedRulesLeftOut: [] };
  const widestChosen = selectOwned(environment, widest.rules);
  const select = ({ preset, selection, rules }: (typeof presets)[number]): SelectedPreset => {
    if (rules === widest.rules) return { preset, selection, chosen: widestChosen };
    if (!isOrderedSubset(rules, widest.rules)) return { preset, selection, chosen: selectOwned(environment, rules) };
    return { preset, selection, ...narrowSelection(environment, widestChosen, widest.rules, rules) };
  };
  return { selected: presets.map(select), unownedRulesLeftOut: [...leftOut].sort() };
}

/** Inspects the selected paths on disk and prices each selection. */
export function pricePresets(environment: Environment, selections: PresetSelections, options: PricingOptions = {}): PresetPricing {
  const outcomes = new Map<string, Outcome>();
  const reached = new Set<string>();
  // Those selected in full first, so that the derived ones find all but their fresh candidates
  // inspected; every path a derived one reaches is among the paths these reached.
  const inFull = selections.selected.filter((item) => item.fresh === undefined);
  for (const { chosen } of inFull) {
    inspectInto(
      environment,
      chosen.candidates.filter((candidate) => !outcomes.has(candidate.path)),
      outcomes,
      options,
    );
    for (const candidate of chosen.candidates) reached.add(candidate.path);
    for (const skip of chosen.skipped) reached.add(skip.path);
  }
  for (const { fresh } of selections.selected) {
    if (fresh !== undefined) inspectInto(environment, fresh.filter((candidate) => !outcomes.has(candidate.path)), outcomes, options);
  }
  const presets = selections.selected.map(({ preset, selection, chosen }) => tallyPreset(preset, selection, chosen, outcomes, options.inodes));
  return { presets, reached, unownedRulesLeftOut: selections.unownedRulesLeftOut };
}

/**
 * Derives a narrower preset's selection from the widest one's. A path whose first matching rule
 * is within the cap is selected (or passed over) exactly as before; only paths first matched by a
 * rule above the cap, and paths a keep passed over, can come out differently, so the planner's
 * selection runs again over just those.
 */
function narrowSelection(environment: Environment, widest: Selection, widestRules: readonly CompiledRule[], rules: CompiledRule[]): { chosen: Selection; fresh: Candidate[] } {
  // The narrower rules are the widest ones minus those above its cap (or disabled), in the same
  // order: where the widest first match is one of them, it is the narrower first match too.
  const keys = new Set(rules.map(ruleKey));
  const shared = new Set(widestRules.filter((compiled) => keys.has(ruleKey(compiled))));
  const byName = new Set(rules.map((compiled) => `${compiled.resolved.profile.name}/${compiled.rule.id}`));
  const again = new Set<string>();
  const selection: Selection = { candidates: [], skipped: [] };
  for (const candidate of widest.candidates) {
    // The narrower preset has the same rule of the same profile bytes, so the widest's candidate
    // stands for its own as it is: a tally names a rule by its profile and id.
    if (shared.has(candidate.compiled)) selection.candidates.push(candidate);
    else again.add(candidate.path);
  }
  for (const skip of widest.skipped) {
    // A keep of a rule the narrower preset lacks may be all that kept the path.
    if (skip.reason !== 'kept' && byName.has(`${skip.profile}/${skip.rule}`)) selection.skipped.push(skip);
    else again.add(skip.path);
  }
  if (again.size === 0) return { chosen: selection, fresh: [] };
  const rerun = selectOwned(restrictEnvironment(environment, again), rules);
  selection.candidates.push(...rerun.candidates);
  selection.skipped.push(...rerun.skipped);
  return { chosen: selection, fresh: rerun.candidates };
}

/** Inspects candidates on disk with the planner's inspection and records each path's outcome. */
function inspectInto(environment: Environment, candidates: Candidate[], outcomes: Map<string, Outcome>, options: PricingOptions): void {
  if (candidates.length === 0) return;
  const { lstatOf, sharedOwners } = options;
  const inspection = inspectCandidates(environment, candidates, { ...(lstatOf === undefined ? {} : { lstatOf }), ...(sharedOwners === undefined ? {} : { sharedOwners }) });
  for (const entry of inspection.entries) outcomes.set(entry.path, entry);
  for (const skip of inspection.skipped) outcomes.set(skip.path, skip);
}

/** Turns a preset's candidates into its savings, counting each file under the preset's own rule. */
function tallyPreset(preset: string, selection: ProfileSelection, chosen: Selection, outcomes: ReadonlyMap<string, Outcome>, inodes: ReadonlyMap<string, string> | undefined): PresetSavings {
  // Summed per compiled rule and per package name first, and into the rule and category tallies
  // once at the end: a preset has tens of thousands of candidates, and only tens of rules.
  const byPackage = new Map<string, Tally>();
  const perRule = new Map<CompiledRule, Sums>();
  const seen = new Set<string>();
  let files = 0;
  let bytes = 0;
  let uniqueBytes = 0;
  let skipped = chosen.skipped.length;
  for (const candidate of chosen.candidates) {
    const entry = outcomes.get(candidate.path);
    if (entry === undefined || 'reason' in entry) {
      skipped++;
      continue;
    }
    files++;
    bytes += entry.bytes;
    addToTally(byPackage, entry.package, entry.bytes);
    const ruleTally = perRule.get(candidate.compiled);
    if (ruleTally === undefined) perRule.set(candidate.compiled, { files: 1, bytes: entry.bytes });
    else {
      ruleTally.files++;
      ruleTally.bytes += entry.bytes;
    }
    // Hardlinked copies free their bytes once, as the planner counts them.
    const inode = entry.kind === 'file' ? inodes?.get(entry.path) : undefined;
    if (inode !== undefined && seen.has(inode)) continue;
    if (inode !== undefined) seen.add(inode);
    uniqueBytes += entry.bytes;
  }
  const byRule = new Map<string, Tally>();
  const byCategory = new Map<string, Tally>();
  for (const [{ rule, resolved }, sum] of perRule) {
    addSums(byRule, `${resolved.profile.name}/${rule.id}`, sum);
    addSums(byCategory, rule.category, sum);
  }
  return { preset, maxRisk: selection.maxRisk, files, bytes, uniqueBytes, skipped, byPackage: orderTallies(byPackage), byRule: orderTallies(byRule), byCategory: orderTallies(byCategory) };
}

/** Files and bytes summed under a key that is not a name yet. */
interface Sums {
  files: number;
  bytes: number;
}

/** Adds one group's files and bytes to the tally of `key`. */
function addSums(groups: Map<string, Tally>, key: string, sum: Sums): void {
  const group = groups.get(key);
  if (group === undefined) groups.set(key, { key, files: sum.files, bytes: sum.bytes });
  else {
    group.files += sum.files;
    group.bytes += sum.bytes;
  }
}

/** Names every unowned-scope rule as disabled, and notes those within the risk cap in `leftOut`. */
function withoutUnownedRules(selection: ProfileSelection, leftOut: Set<string>): ProfileSelection {
  const disabled = new Set(selection.disabled ?? []);
  const cap = risks.indexOf(selection.maxRisk);
  for (const { profile } of selection.profiles) {
    for (const rule of profile.rules) {
      if (rule.scope !== 'unowned') continue;
      disabled.add(`${profile.name}/${rule.id}`);
      if (risks.indexOf(rule.risk) <= cap) leftOut.add(`${profile.name}/${rule.id}`);
    }
  }
  return { ...selection, disabled };
}

/** Tells whether `rules` are the widest rules with some left out, in the same order: then the first match within the cap agrees. */
function isOrderedSubset(rules: readonly CompiledRule[], widest: readonly CompiledRule[]): boolean {
  let at = 0;
  for (const compiled of rules) {
    const key = ruleKey(compiled);
    while (at < widest.length && ruleKey(widest[at] as CompiledRule) !== key) at++;
    if (at === widest.length) return false;
    at++;
  }
  return true;
}

function ruleKey(compiled: CompiledRule): string {
  return `${compiled.resolved.profile.source.sha256}:${compiled.resolved.profile.name}/${compiled.rule.id}`;
}
