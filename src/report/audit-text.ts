/**
 * Renders an audit as aligned text tables for a terminal: categories, packages, preset savings,
 * unprofiled content with its suggested profile, largest and duplicated files, hints, history.
 */
import type { Audit } from '../audit/types.ts';
import { describeHint } from './audit-hint.ts';
import { createStyle, formatBytes, pad, plural, type Style } from './format.ts';

/** Options of renderAuditText. */
export interface AuditTextOptions {
  color: boolean;
  /** Rows of the package table; 20 by default. */
  packages?: number;
}

/** Renders the audit as text. */
export function renderAuditText(audit: Audit, options: AuditTextOptions): string {
  const style = createStyle(options.color);
  const { totals } = audit;
  const out: string[] = [];
  out.push(style.bold(`conda-prune audit: ${audit.prefix}`));
  const python = audit.python === undefined ? '' : `python ${audit.python.version} · `;
  out.push(`${python}${plural(totals.packages, 'package')} · ${plural(totals.files, 'file')} · ${formatBytes(totals.bytes)} (${plural(totals.symlinks, 'symlink')}; ${plural(totals.missing, 'listed file')} missing)`);

  section(out, style, 'By category');
  out.push(...columns(audit.categories.map((item) => [item.category, plural(item.files, 'file'), formatBytes(item.bytes), percent(item.bytes, totals.bytes)])));

  const shown = audit.packages.slice(0, options.packages ?? 20);
  section(out, style, `Largest packages (${shown.length} of ${audit.packages.length})`);
  out.push(...columns(shown.map((pkg) => [`${pkg.name} ${pkg.version}`, plural(pkg.files, 'file'), formatBytes(pkg.bytes), pkg.categories.slice(0, 3).map((item) => `${item.category} ${percent(item.bytes, pkg.bytes)}`).join(', ')])));

  section(out, style, 'What each preset would save');
  out.push(...columns(audit.presets.map((preset) => [preset.preset, `max risk ${preset.maxRisk}`, plural(preset.files, 'file'), formatBytes(preset.bytes), percent(preset.bytes, totals.bytes), topKeys(preset.byRule)])));

  if (audit.unprofiled.length > 0) {
    section(out, style, 'Prunable content no profile covers');
    for (const finding of audit.unprofiled) {
      out.push(`${style.bold(`${finding.package} ${finding.version}`)}: ${formatBytes(finding.bytes)} in ${plural(finding.files, 'file')} (${finding.categories.map((item) => `${item.category} ${formatBytes(item.bytes)}`).join(', ')})`);
    }
    out.push(style.dim('A profile to start from, for each (save as NAME.yaml, review, then --profile ./NAME.yaml):'));
    for (const finding of audit.unprofiled) out.push('', ...finding.snippet.trimEnd().split('\n').map((line) => `    ${line}`));
  }

  if (audit.largestFiles.length > 0) {
    section(out, style, 'Largest files');
    out.push(...columns(audit.largestFiles.slice(0, 10).map((file) => [formatBytes(file.bytes), file.category, file.package, file.path]), ['right', 'left', 'left']));
  }

  if (audit.duplicates.length > 0) {
    section(out, style, 'Identical files in several packages');
    for (const group of audit.duplicates.slice(0, 10)) {
      out.push(`${formatBytes(group.wastedBytes)} wasted: ${formatBytes(group.bytes)} × ${group.copies.length} — ${group.copies.map((copy) => `${copy.path} (${copy.package})`).join(', ')}`);
    }
  }

  if (audit.hints.length > 0) {
    section(out, style, 'Hints for container images');
    for (const hint of audit.hints) out.push(`${style.yellow('•')} ${style.bold(describeHint(hint))}: ${hint.detail}`);
  }

  section(out, style, 'Pruned before');
  if (audit.history.length === 0) out.push('never pruned by conda-prune');
  for (const run of audit.history) {
    const undone = run.undoneAt === undefined ? '' : `, undone ${run.undoneAt}`;
    out.push(`${run.appliedAt}: ${plural(run.files, 'file')}, ${formatBytes(run.bytes)}, max risk ${run.maxRisk}${run.verified ? ', verified' : ''}${undone}; profiles ${run.profiles.map((profile) => `${profile.name}@${profile.version}`).join(', ')}`);
  }

  for (const gate of audit.gates) {
    const verdict = gate.exceeded ? style.red('EXCEEDED') : style.green('ok');
    out.push('', `Gate ${gate.gate}${gate.preset === undefined ? '' : ` (${gate.preset})`}: ${formatBytes(gate.actual)} against ${formatBytes(gate.limit)}: ${verdict}`);
  }
  if (audit.problems.length > 0) {
    out.push('', style.yellow(`${plural(audit.problems.length, 'record')} could not be read:`));
    for (const problem of audit.problems) out.push(`  ${problem.path}: ${problem.message}`);
  }
  return `${out.join('\n')}\n`;
}

function section(out: string[], style: Style, title: string): void {
  out.push('', style.bold(title));
}

/** Aligns rows: by default the first column left, the numeric middle ones right, the last left as it is. */
function columns(rows: string[][], align: ReadonlyArray<'left' | 'right'> = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, index) => (index === row.length - 1 ? cell : pad(cell, widths[index] ?? 0, align[index] ?? (index === 0 ? 'left' : 'right'))))
      .join('  ')
      .trimEnd(),
  );
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`;
}

function topKeys(tallies: ReadonlyArray<{ key: string; bytes: number }>): string {
  return tallies
    .slice(0, 3)
    .map((tally) => `${tally.key} ${formatBytes(tally.bytes)}`)
    .join(', ');
}
