/**
 * Renders an audit as one self-contained HTML page: inline CSS and script, no network, no
 * external assets, readable offline in any browser. A treemap by package and category, sortable
 * tables, and the savings per preset. Raw byte counts sit in `data-bytes` / `data-value`
 * attributes beside the formatted ones, so tools (and tests) can read the exact numbers.
 */
import type { Audit } from '../audit/types.ts';
import { auditCategories } from '../audit/types.ts';
import { auditCss, auditScript } from './audit-html-assets.ts';
import { describeHint } from './audit-hint.ts';
import { categoryColors, renderTreemap } from './audit-treemap.ts';
import { formatBytes, formatCount } from './format.ts';

interface Column {
  label: string;
  type: 'text' | 'number';
}

interface Cell {
  text: string;
  /** Sort key and exact value when the text is formatted (bytes). */
  value?: number | string;
  /** Markup already escaped, used instead of the text. */
  html?: string;
}

interface Row {
  attributes?: Record<string, string>;
  cells: Cell[];
}

/** Renders the audit as an HTML document. */
export function renderAuditHtml(audit: Audit): string {
  const { totals } = audit;
  const title = `conda-prune audit: ${audit.prefix}`;
  const body: string[] = [];
  body.push(`<h1>${escapeHtml(title)}</h1>`);
  const python = audit.python === undefined ? '' : ` · python ${escapeHtml(audit.python.version)}`;
  body.push(`<p class="summary">${escapeHtml(audit.createdAt)} · conda-prune ${escapeHtml(audit.tool.version)}${python}</p>`);
  body.push('<div class="cards">');
  body.push(card('Size', formatBytes(totals.bytes), { id: 'total-bytes', 'data-bytes': String(totals.bytes) }));
  body.push(card('Files', formatCount(totals.files), { id: 'total-files', 'data-value': String(totals.files) }));
  body.push(card('Packages', formatCount(totals.packages), { id: 'total-packages', 'data-value': String(totals.packages) }));
  for (const preset of audit.presets) body.push(card(`${preset.preset} saves`, formatBytes(preset.bytes), { 'data-preset': preset.preset, 'data-bytes': String(preset.bytes) }));
  for (const gate of audit.gates) body.push(card(`gate ${gate.gate}`, `${gate.exceeded ? 'exceeded' : 'ok'}: ${formatBytes(gate.actual)} / ${formatBytes(gate.limit)}`, { 'data-gate': gate.gate, class: gate.exceeded ? 'card exceeded' : 'card' }));
  body.push('</div>');

  body.push('<h2>Where the bytes go</h2>');
  body.push(renderTreemap(audit, escapeHtml));
  const present = new Set(audit.categories.map((item) => item.category));
  body.push(`<div class="legend">${auditCategories.filter((category) => present.has(category)).map((category) => `<span style="--swatch:${categoryColors[category]}">${category}</span>`).join('')}</div>`);

  body.push('<h2>Savings per preset</h2>');
  body.push(table('presets', [col('Preset'), col('Max risk'), num('Files'), num('Bytes'), num('Freed (once per inode)'), num('Share')], audit.presets.map((preset) => ({
    attributes: { 'data-preset': preset.preset },
    cells: [{ text: preset.preset }, { text: preset.maxRisk }, count(preset.files), bytes(preset.bytes), bytes(preset.uniqueBytes), share(preset.bytes, totals.bytes)],
  }))));
  for (const preset of audit.presets) {
    body.push(`<details><summary>${escapeHtml(preset.preset)}: by rule and by package</summary>`);
    body.push(table(`preset-${preset.preset}-rules`, [col('Profile/rule'), num('Files'), num('Bytes')], preset.byRule.map((tally) => ({ cells: [{ text: tally.key }, count(tally.files), bytes(tally.bytes)] }))));
    body.push(table(`preset-${preset.preset}-packages`, [col('Package'), num('Files'), num('Bytes')], preset.byPackage.map((tally) => ({ cells: [{ text: tally.key }, count(tally.files), bytes(tally.bytes)] }))));
    body.push('</details>');
  }

  body.push('<h2>Categories</h2>');
  body.push(table('categories', [col('Category'), num('Files'), num('Bytes'), num('Share')], audit.categories.map((item) => ({ attributes: { 'data-category': item.category }, cells: [{ text: item.category }, count(item.files), bytes(item.bytes), share(item.bytes, totals.bytes)] }))));

  body.push('<h2>Packages</h2>');
  body.push(table('packages', [col('Package'), col('Version'), col('Source'), num('Files'), num('Bytes'), num('Share'), col('Largest categories')], audit.packages.map((pkg) => ({
    attributes: { 'data-package': pkg.name },
    cells: [{ text: pkg.name }, { text: pkg.version }, { text: pkg.source }, count(pkg.files), bytes(pkg.bytes), share(pkg.bytes, totals.bytes), { text: pkg.categories.slice(0, 3).map((item) => `${item.category} ${formatBytes(item.bytes)}`).join(', ') }],
  }))));

  if (audit.unprofiled.length > 0) {
    body.push('<h2>Prunable content no profile covers</h2>');
    body.push(table('unprofiled', [col('Package'), col('Category'), num('Files'), num('Bytes'), col('Suggested globs')], audit.unprofiled.flatMap((finding) => finding.categories.map((item) => ({
      attributes: { 'data-package': finding.package },
      cells: [{ text: finding.package }, { text: item.category }, count(item.files), bytes(item.bytes), { text: item.globs.join(' '), html: item.globs.map((glob) => `<code>${escapeHtml(glob)}</code>`).join('<br>') }],
    })))));
    for (const finding of audit.unprofiled) {
      body.push(`<details><summary>Profile to start from: ${escapeHtml(finding.package)}.yaml (${formatBytes(finding.bytes)})</summary><pre>${escapeHtml(finding.snippet)}</pre></details>`);
    }
  }

  body.push('<h2>Largest files</h2>');
  body.push(table('largest-files', [col('Path'), col('Package'), col('Category'), num('Bytes')], audit.largestFiles.map((file) => ({ cells: [{ text: file.path, html: `<span class="path">${escapeHtml(file.path)}</span>` }, { text: file.package }, { text: file.category }, bytes(file.bytes)] }))));

  if (audit.duplicates.length > 0) {
    body.push('<h2>Identical files in several packages</h2>');
    body.push(table('duplicates', [num('Wasted'), num('Size'), num('Copies'), col('Paths')], audit.duplicates.map((group) => ({
      cells: [bytes(group.wastedBytes), bytes(group.bytes), count(group.copies.length), { text: group.copies.map((copy) => copy.path).join(' '), html: group.copies.map((copy) => `<span class="path">${escapeHtml(copy.path)}</span> (${escapeHtml(copy.package)})`).join('<br>') }],
    }))));
  }

  if (audit.hints.length > 0) {
    body.push('<h2>Hints for container images</h2>');
    for (const hint of audit.hints) body.push(`<p class="hint" data-hint="${hint.id}"><b>${escapeHtml(describeHint(hint))}</b>: ${escapeHtml(hint.detail)}</p>`);
  }

  body.push('<h2>Pruned before</h2>');
  if (audit.history.length === 0) body.push('<p>Never pruned by conda-prune.</p>');
  else {
    body.push(table('history', [col('Applied'), col('Profiles'), col('Max risk'), num('Files'), num('Bytes'), col('Undone')], audit.history.map((run) => ({
      cells: [{ text: run.appliedAt }, { text: run.profiles.map((profile) => `${profile.name}@${profile.version}`).join(', ') }, { text: run.maxRisk }, count(run.files), bytes(run.bytes), { text: run.undoneAt ?? '' }],
    }))));
  }
  if (audit.problems.length > 0) {
    body.push('<h2>Records that could not be read</h2>');
    body.push(`<ul>${audit.problems.map((problem) => `<li><code>${escapeHtml(problem.path)}</code>: ${escapeHtml(problem.message)}</li>`).join('')}</ul>`);
  }

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may load from anywhere: the page is read offline and from file:// URLs.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${auditCss}</style>`,
    '</head>',
    '<body>',
    ...body,
    `<script>${auditScript}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function table(id: string, columns: Column[], rows: Row[]): string {
  const head = columns.map((column) => `<th data-type="${column.type}"${column.type === 'number' ? ' class="num"' : ''}>${escapeHtml(column.label)}</th>`).join('');
  const body = rows.map((row) => {
    const attributes = Object.entries(row.attributes ?? {}).map(([name, value]) => ` ${name}="${escapeHtml(value)}"`).join('');
    const cells = row.cells.map((cell, index) => {
      const numeric = columns[index]?.type === 'number';
      const value = cell.value === undefined ? '' : ` data-value="${escapeHtml(String(cell.value))}"`;
      return `<td${numeric ? ' class="num"' : ''}${value}>${cell.html ?? escapeHtml(cell.text)}</td>`;
    });
    return `<tr${attributes}>${cells.join('')}</tr>`;
  });
  return `<table class="sortable" id="${id}"><thead><tr>${head}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
}

function card(label: string, value: string, attributes: Record<string, string>): string {
  const { class: className = 'card', ...rest } = attributes;
  const written = Object.entries(rest).map(([name, text]) => ` ${name}="${escapeHtml(text)}"`).join('');
  return `<div class="${className}"${written}><b>${escapeHtml(value)}</b>${escapeHtml(label)}</div>`;
}

function col(label: string): Column {
  return { label, type: 'text' };
}

function num(label: string): Column {
  return { label, type: 'number' };
}

function count(value: number): Cell {
  return { text: formatCount(value), value };
}

function bytes(value: number): Cell {
  return { text: formatBytes(value), value };
}

function share(part: number, whole: number): Cell {
  const value = whole === 0 ? 0 : part / whole;
  return { text: `${(100 * value).toFixed(1)}%`, value };
}

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}
