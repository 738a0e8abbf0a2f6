/**
 * Renders a plan as the default dry-run report: per package and rule, files and bytes, the
 * profile chain that selected each rule, what was passed over, and a total line.
 */
import type { Plan } from '../plan/types.ts';
import { countSkips, groupByPackage } from './group-entries.ts';
import { createStyle, formatBytes, pad, plural, type Style } from './format.ts';

/** Options of the text renderer. */
export interface TextOptions {
  color: boolean;
  /** List every removed path and every skip. */
  verbose: boolean;
}

/** Renders a plan as aligned, human-readable text. */
export function renderPlanText(plan: Plan, options: TextOptions): string {
  const style = createStyle(options.color);
  const lines: string[] = [];
  const python = plan.python === undefined ? 'no python' : `python ${plan.python.version}`;
  lines.push(style.bold(`conda-prune plan: ${plan.prefix}`));
  lines.push(style.dim(`${plural(plan.packages, 'package')}, ${python}, max risk ${plan.maxRisk}, ${plural(plan.profiles.length, 'profile')}`));
  lines.push('');

  const groups = groupByPackage(plan);
  if (groups.length === 0) lines.push('Nothing to remove: no selected rule matches a file of this environment.');
  const label = (group: (typeof groups)[number]) => `${group.package} ${group.version}`.trim();
  // Package lines and the indented rule lines below them share one column for counts.
  const ruleWidth = Math.max(12, ...groups.map((group) => label(group).length - 2), ...groups.flatMap((group) => group.rules.map((rule) => `${rule.profile}/${rule.rule}`.length)));
  for (const group of groups) {
    lines.push(`${style.bold(pad(label(group), ruleWidth + 2))}  ${pad(plural(group.files, 'file'), 13, 'right')}  ${pad(formatBytes(group.bytes), 10, 'right')}`);
    for (const rule of group.rules) {
      const name = `${rule.profile}/${rule.rule}`;
      const via = rule.via.length > 1 ? style.dim(`  via ${rule.via.join(' → ')}`) : '';
      lines.push(`  ${pad(name, ruleWidth)}  ${pad(plural(rule.entries.length, 'file'), 13, 'right')}  ${pad(formatBytes(rule.bytes), 10, 'right')}  ${style.dim(`${rule.category}, ${rule.risk}`)}${via}`);
      if (options.verbose) for (const entry of rule.entries) lines.push(style.red(`      - ${entry.path}`) + style.dim(`  ${formatBytes(entry.bytes)}`));
    }
  }
  lines.push(...renderSkips(plan, options.verbose, style));
  lines.push(...renderProblems(plan, style));
  const lastStep = plan.entries.filter((entry) => entry.lastStep === true).length;
  if (lastStep > 0) {
    lines.push('', style.yellow(`conda-meta/ (${plural(lastStep, 'record file')}) goes last, after verification: conda, mamba, pixi, conda-pack and conda-prune will no longer recognise this environment.`));
  }
  lines.push('');
  const once = plan.totals.uniqueBytes === plan.totals.bytes ? '' : ` (${formatBytes(plan.totals.uniqueBytes)} counted once per inode)`;
  lines.push(style.bold(`Total: ${plural(plan.totals.files, 'file')}, ${formatBytes(plan.totals.bytes)}${once}, ${plural(plan.totals.directories, 'directory', 'directories')} emptied`));
  return `${lines.join('\n')}\n`;
}

function renderSkips(plan: Plan, verbose: boolean, style: Style): string[] {
  if (plan.skipped.length === 0) return [];
  const counts = countSkips(plan)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const lines = ['', style.yellow(`Kept ${plural(plan.skipped.length, 'matched file')} (${counts})${verbose ? ':' : '; --verbose lists them'}`)];
  if (verbose) for (const skip of plan.skipped) lines.push(`  ${skip.reason}: ${skip.path} ${style.dim(`(${skip.profile}/${skip.rule}: ${skip.detail})`)}`);
  return lines;
}

function renderProblems(plan: Plan, style: Style): string[] {
  if (plan.problems.length === 0) return [];
  return ['', style.yellow(`${plural(plan.problems.length, 'record problem')}:`), ...plan.problems.map((problem) => `  ${problem.path}: ${problem.message}`)];
}
