/**
 * Renders an audit as GitHub-flavoured Markdown for a pull-request comment: the headline numbers,
 * then tables, with suggested profiles and long lists folded away.
 */
import type { Audit } from '../audit/types.ts';
import { describeHint } from './audit-hint.ts';
import { formatBytes, formatCount } from './format.ts';

/** Renders the audit as Markdown. */
export function renderAuditMarkdown(audit: Audit): string {
  const { totals } = audit;
  const lines: string[] = [];
  lines.push(`### conda-prune audit: \`${audit.prefix}\``, '');
  const python = audit.python === undefined ? '' : `, python ${audit.python.version}`;
  lines.push(`**${formatBytes(totals.bytes)}** in ${formatCount(totals.files)} files of ${formatCount(totals.packages)} packages${python}.`, '');
  for (const gate of audit.gates) {
    lines.push(`${gate.exceeded ? '> [!CAUTION]\n> ' : ''}Gate \`${gate.gate}\`${gate.preset === undefined ? '' : ` (${gate.preset})`}: ${formatBytes(gate.actual)} against ${formatBytes(gate.limit)}: **${gate.exceeded ? 'exceeded' : 'ok'}**`, '');
  }
  lines.push('| Preset | Max risk | Files | Saves | Share |', '| --- | --- | ---: | ---: | ---: |');
  for (const preset of audit.presets) lines.push(`| ${preset.preset} | ${preset.maxRisk} | ${formatCount(preset.files)} | ${formatBytes(preset.bytes)} | ${percent(preset.bytes, totals.bytes)} |`);
  lines.push('', '| Category | Files | Bytes | Share |', '| --- | ---: | ---: | ---: |');
  for (const item of audit.categories) lines.push(`| ${item.category} | ${formatCount(item.files)} | ${formatBytes(item.bytes)} | ${percent(item.bytes, totals.bytes)} |`);
  lines.push('', '| Package | Version | Files | Bytes | Largest categories |', '| --- | --- | ---: | ---: | --- |');
  for (const pkg of audit.packages.slice(0, 25)) {
    lines.push(`| ${cell(pkg.name)} | ${cell(pkg.version)} | ${formatCount(pkg.files)} | ${formatBytes(pkg.bytes)} | ${pkg.categories.slice(0, 3).map((item) => `${item.category} ${formatBytes(item.bytes)}`).join(', ')} |`);
  }
  if (audit.packages.length > 25) lines.push('', `… and ${formatCount(audit.packages.length - 25)} smaller packages.`);
  if (audit.unprofiled.length > 0) {
    lines.push('', '#### Prunable content no profile covers', '');
    for (const finding of audit.unprofiled) {
      lines.push(`<details><summary><b>${escapeHtml(finding.package)} ${escapeHtml(finding.version)}</b>: ${formatBytes(finding.bytes)} (${finding.categories.map((item) => `${item.category} ${formatBytes(item.bytes)}`).join(', ')})</summary>`, '');
      lines.push('```yaml', finding.snippet.trimEnd(), '```', '', '</details>');
    }
  }
  if (audit.hints.length > 0) {
    lines.push('', '#### Hints for container images', '');
    for (const hint of audit.hints) lines.push(`- **${describeHint(hint)}**: ${hint.detail}`);
  }
  if (audit.duplicates.length > 0) {
    lines.push('', '<details><summary>Identical files in several packages</summary>', '', '| Wasted | Copies |', '| ---: | --- |');
    for (const group of audit.duplicates.slice(0, 20)) lines.push(`| ${formatBytes(group.wastedBytes)} | ${group.copies.map((copy) => `\`${cell(copy.path)}\` (${cell(copy.package)})`).join('<br>')} |`);
    lines.push('', '</details>');
  }
  if (audit.history.length > 0) {
    lines.push('', '#### Pruned before', '');
    for (const run of audit.history) lines.push(`- ${run.appliedAt}: ${formatCount(run.files)} files, ${formatBytes(run.bytes)} (${run.profiles.map((profile) => `${profile.name}@${profile.version}`).join(', ')})${run.undoneAt === undefined ? '' : `, undone ${run.undoneAt}`}`);
  }
  if (audit.problems.length > 0) {
    lines.push('', '> [!WARNING]', `> ${audit.problems.length} record(s) could not be read: ${audit.problems.map((problem) => `\`${problem.path}\``).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** Escapes a table cell: pipes end the cell, and GitHub renders inline HTML. */
function cell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char);
}
