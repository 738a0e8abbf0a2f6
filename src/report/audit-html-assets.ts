/**
 * The style sheet and script inlined into the audit's HTML page. The script only sorts tables
 * and highlights a package's row when its tile is clicked: every number is in the markup already,
 * so the page reads the same with scripts off.
 */

/** The page's CSS. */
export const auditCss = `
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1240px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
h1 { font-size: 22px; margin: 0 0 4px; word-break: break-all; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.summary { color: var(--muted); margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 170px; }
.card b { display: block; font-size: 20px; }
.card.exceeded { border-color: #db2b39; background: #fdecee; }
#treemap { width: 100%; height: auto; display: block; border: 1px solid var(--line); border-radius: 6px; }
#treemap .frame { fill: none; stroke: #fff; stroke-width: 2; }
#treemap .rest { fill: #e4e7eb; stroke: #fff; stroke-width: 2; }
#treemap text { font-size: 12px; fill: #fff; paint-order: stroke; stroke: rgba(0,0,0,.55); stroke-width: 3px; pointer-events: none; }
#treemap .tile { cursor: pointer; }
#treemap .tile:hover .frame, #treemap .tile.selected .frame { stroke: #111; stroke-width: 3; }
.legend { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0 0; color: var(--muted); }
.legend span::before { content: ""; display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px; background: var(--swatch); border-radius: 2px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.sortable th { cursor: pointer; user-select: none; white-space: nowrap; }
table.sortable th::after { content: " \\2195"; color: #9aa5b1; }
table.sortable th[aria-sort="ascending"]::after { content: " \\2191"; color: var(--accent); }
table.sortable th[aria-sort="descending"]::after { content: " \\2193"; color: var(--accent); }
tr.selected td { background: #fff7d6; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f5f7fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px; overflow-x: auto; }
details { margin: 4px 0 8px; }
.path { word-break: break-all; }
.hint { margin: 8px 0; }
`;

/** The page's script: sortable tables and tile-to-row highlighting. */
export const auditScript = `
(function () {
  'use strict';
  function cellValue(row, column, numeric) {
    var cell = row.cells[column];
    if (!cell) return numeric ? 0 : '';
    var raw = cell.getAttribute('data-value');
    if (raw === null) raw = cell.textContent || '';
    return numeric ? Number(raw) : raw.toLowerCase();
  }
  function sortBy(table, header) {
    var column = header.cellIndex;
    var numeric = header.getAttribute('data-type') === 'number';
    var ascending = header.getAttribute('aria-sort') !== 'ascending';
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, column, numeric);
      var y = cellValue(b, column, numeric);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute('aria-sort'); });
    header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header) {
      header.addEventListener('click', function () { sortBy(table, header); });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('#treemap .tile'), function (tile) {
    tile.addEventListener('click', function () {
      var name = tile.getAttribute('data-package');
      Array.prototype.forEach.call(document.querySelectorAll('.selected'), function (element) { element.classList.remove('selected'); });
      tile.classList.add('selected');
      var row = document.querySelector('#packages tr[data-package="' + CSS.escape(name) + '"]');
      if (row) { row.classList.add('selected'); row.scrollIntoView({ block: 'center' }); }
    });
  });
})();
`;
