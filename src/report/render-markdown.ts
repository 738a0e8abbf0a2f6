/**
 * Renders a plan as Markdown for a pull-request comment: totals first, then tables by package
 * and by rule, with the full file list folded away.
 */
import type { Plan, Tally } from '../plan/types.ts';
import { countSkips } from './group-entries.ts';
import { formatBytes, formatCount } from './format.ts';

/** Largest number of paths listed in the folded section; a PR comment has a size limit. */
const maxListedPaths = 500;

/** Renders a plan as GitHub-flavoured Markdown. */
export function renderPlanMarkdown(plan: Plan): string {
  const lines: string[] = [];
  lines.push(`### conda-prune plan: \`${plan.prefix}\``);
  lines.push('');
  lines.push(`**${formatCount(plan.totals.files)} files, ${formatBytes(plan.totals.bytes)}** would be removed from ${formatCount(plan.packages)} packages (max risk: ${plan.maxRisk}).`);
  lines.push('');
  lines.push(...table('Package', plan.summary.byPackage));
  lines.push('');
  lines.push(...table('Profile/rule', plan.summary.byRule));
  if (plan.skipped.length > 0) {
    lines.push('');
    lines.push(`Kept ${formatCount(plan.skipped.length)} matched files: ${countSkips(plan).map(([reason, count]) => `${reason} ${count}`).join(', ')}.`);
  }
  if (plan.problems.length > 0) {
    lines.push('');
    lines.push(`> [!WARNING]`);
    lines.push(`> ${plan.problems.length} record(s) could not be read: ${plan.problems.map((problem) => `\`${problem.path}\``).join(', ')}`);
  }
  if (plan.entries.length > 0) {
    lines.push('');
    lines.push('<details><summary>Files</summary>');
    lines.push('');
    lines.push('```');
    for (const entry of plan.entries.slice(0, maxListedPaths)) lines.push(`${entry.path}  ${entry.bytes}`);
    if (plan.entries.length > maxListedPaths) lines.push(`… and ${formatCount(plan.entries.length - maxListedPaths)} more`);
    lines.push('```');
    lines.push('');
    lines.push('</details>');
  }
  return `${lines.join('\n')}\n`;
}

function table(heading: string, tallies: Tally[]): string[] {
  return [`| ${heading} | Files | Bytes |`, '| --- | ---: | ---: |', ...tallies.map((tally) => `| ${escapeCell(tally.key)} | ${formatCount(tally.files)} | ${formatBytes(tally.bytes)} |`)];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
