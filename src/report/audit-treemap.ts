/**
 * Draws the audit's treemap as inline SVG: one tile per package above a share of the env, each
 * split by category, laid out with the squarified algorithm (Bruls, Huizing, van Wijk 2000) so
 * tiles stay close to squares and their areas stay proportional to bytes.
 */
import type { Audit, AuditCategory } from '../audit/types.ts';
import { formatBytes } from './format.ts';

/** A package smaller than this share of the env joins the one "other packages" tile. */
export const treemapMinShare = 0.005;

/** Width and height of the SVG's coordinate system. */
const width = 1200;
const height = 640;

/** A rectangle in SVG units. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Colours per category; runtime is the quiet grey the rest stands out from. */
export const categoryColors: Record<AuditCategory, string> = {
  runtime: '#9aa5b1',
  tests: '#e4572e',
  sources: '#f3a712',
  headers: '#a8c686',
  'static-libs': '#669bbc',
  'build-files': '#8e7dbe',
  bytecode: '#f0c987',
  docs: '#29335c',
  sourcemaps: '#db2b39',
  sanitizers: '#6b2737',
  tools: '#3c6e71',
  metadata: '#d9d9d9',
};

/** Lays values out in the rectangle, largest first; returns one rectangle per value, in the order given. */
export function squarify(values: readonly number[], area: Rect): Rect[] {
  const total = values.reduce((sum, value) => sum + Math.max(0, value), 0);
  const rects: Rect[] = values.map(() => ({ x: area.x, y: area.y, width: 0, height: 0 }));
  if (total <= 0 || area.width <= 0 || area.height <= 0) return rects;
  const scale = (area.width * area.height) / total;
  const order = values.map((value, index) => ({ index, size: Math.max(0, value) * scale })).filter((item) => item.size > 0).sort((a, b) => b.size - a.size);
  let free = { ...area };
  let row: Array<{ index: number; size: number }> = [];
  for (const item of order) {
    const side = Math.min(free.width, free.height);
    if (row.length === 0 || worst([...row, item], side) <= worst(row, side)) {
      row.push(item);
      continue;
    }
    free = placeRow(row, free, rects);
    row = [item];
  }
  if (row.length > 0) placeRow(row, free, rects);
  return rects;
}

/** The worst aspect ratio of a row laid along a side of length `side`. */
function worst(row: ReadonlyArray<{ size: number }>, side: number): number {
  const sum = row.reduce((total, item) => total + item.size, 0);
  let max = 0;
  let min = Infinity;
  for (const item of row) {
    max = Math.max(max, item.size);
    min = Math.min(min, item.size);
  }
  return Math.max((side * side * max) / (sum * sum), (sum * sum) / (side * side * min));
}

/** Places a row along the shorter side of the free rectangle and returns what is left. */
function placeRow(row: ReadonlyArray<{ index: number; size: number }>, free: Rect, rects: Rect[]): Rect {
  const sum = row.reduce((total, item) => total + item.size, 0);
  if (free.width >= free.height) {
    const columnWidth = sum / free.height;
    let y = free.y;
    for (const item of row) {
      const itemHeight = item.size / columnWidth;
      rects[item.index] = { x: free.x, y, width: columnWidth, height: itemHeight };
      y += itemHeight;
    }
    return { x: free.x + columnWidth, y: free.y, width: free.width - columnWidth, height: free.height };
  }
  const rowHeight = sum / free.width;
  let x = free.x;
  for (const item of row) {
    const itemWidth = item.size / rowHeight;
    rects[item.index] = { x, y: free.y, width: itemWidth, height: rowHeight };
    x += itemWidth;
  }
  return { x: free.x, y: free.y + rowHeight, width: free.width, height: free.height - rowHeight };
}

/** Tells which packages get a tile of their own. */
export function treemapPackages(audit: Pick<Audit, 'packages' | 'totals'>): Audit['packages'] {
  return audit.packages.filter((pkg) => pkg.bytes > 0 && pkg.bytes >= audit.totals.bytes * treemapMinShare);
}

/** Renders the treemap as an SVG element. */
export function renderTreemap(audit: Pick<Audit, 'packages' | 'totals'>, escape: (text: string) => string): string {
  const tiled = treemapPackages(audit);
  const tiledNames = new Set(tiled.map((pkg) => `${pkg.name}\u0000${pkg.version}`));
  const rest = audit.packages.filter((pkg) => !tiledNames.has(`${pkg.name}\u0000${pkg.version}`));
  const restBytes = rest.reduce((sum, pkg) => sum + pkg.bytes, 0);
  const values = [...tiled.map((pkg) => pkg.bytes), restBytes];
  const rects = squarify(values, { x: 0, y: 0, width, height });
  const parts: string[] = [`<svg id="treemap" viewBox="0 0 ${width} ${height}" role="img" aria-label="Treemap of the environment by package and category">`];
  tiled.forEach((pkg, index) => {
    const rect = rects[index] as Rect;
    parts.push(`<g class="tile" data-package="${escape(pkg.name)}" data-bytes="${pkg.bytes}">`);
    parts.push(`<title>${escape(`${pkg.name} ${pkg.version}: ${formatBytes(pkg.bytes)}\n${pkg.categories.map((item) => `${item.category} ${formatBytes(item.bytes)}`).join('\n')}`)}</title>`);
    const inner = inset(rect, 1);
    const cells = squarify(
      pkg.categories.map((item) => item.bytes),
      inner,
    );
    pkg.categories.forEach((item, cellIndex) => {
      const cell = cells[cellIndex] as Rect;
      if (cell.width <= 0 || cell.height <= 0) return;
      parts.push(`<rect class="cell" data-category="${item.category}" data-bytes="${item.bytes}" x="${round(cell.x)}" y="${round(cell.y)}" width="${round(cell.width)}" height="${round(cell.height)}" fill="${categoryColors[item.category]}"/>`);
    });
    parts.push(`<rect class="frame" x="${round(rect.x)}" y="${round(rect.y)}" width="${round(rect.width)}" height="${round(rect.height)}"/>`);
    if (rect.width > 70 && rect.height > 18) parts.push(`<text x="${round(rect.x + 4)}" y="${round(rect.y + 14)}">${escape(label(pkg.name, pkg.bytes, rect.width))}</text>`);
    parts.push('</g>');
  });
  const restRect = rects[tiled.length] as Rect;
  if (restBytes > 0) {
    parts.push(`<g class="tile-rest" data-packages="${rest.length}" data-bytes="${restBytes}"><title>${escape(`${rest.length} smaller packages: ${formatBytes(restBytes)}`)}</title>`);
    parts.push(`<rect class="rest" x="${round(restRect.x)}" y="${round(restRect.y)}" width="${round(restRect.width)}" height="${round(restRect.height)}"/>`);
    if (restRect.width > 70 && restRect.height > 18) parts.push(`<text x="${round(restRect.x + 4)}" y="${round(restRect.y + 14)}">${escape(label(`${rest.length} others`, restBytes, restRect.width))}</text>`);
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}

function inset(rect: Rect, by: number): Rect {
  const dx = Math.min(by, rect.width / 4);
  const dy = Math.min(by, rect.height / 4);
  return { x: rect.x + dx, y: rect.y + dy, width: rect.width - 2 * dx, height: rect.height - 2 * dy };
}

/** A label that fits the tile: name and size when there is room, else the name cut short. */
function label(name: string, bytes: number, tileWidth: number): string {
  const full = `${name} ${formatBytes(bytes)}`;
  const room = Math.floor((tileWidth - 8) / 7);
  if (full.length <= room) return full;
  return name.length <= room ? name : `${name.slice(0, Math.max(1, room - 1))}…`;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}
