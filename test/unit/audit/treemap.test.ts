/**
 * The squarified treemap layout: areas proportional to values, inside the frame, no overlaps,
 * tiles close to squares; and the tiles the SVG draws.
 */
import { describe, expect, it } from 'vitest';
import { renderTreemap, squarify, treemapMinShare, type Rect } from '../../../src/report/audit-treemap.ts';
import type { AuditPackage } from '../../../src/audit/types.ts';

const frame: Rect = { x: 0, y: 0, width: 600, height: 400 };

function overlaps(a: Rect, b: Rect): boolean {
  const epsilon = 1e-6;
  return a.x + epsilon < b.x + b.width && b.x + epsilon < a.x + a.width && a.y + epsilon < b.y + b.height && b.y + epsilon < a.y + a.height;
}

describe('squarify', () => {
  const values = [6, 6, 4, 3, 2, 2, 1];
  const rects = squarify(values, frame);

  it('gives each value an area proportional to it, filling the frame', () => {
    const total = values.reduce((sum, value) => sum + value, 0);
    rects.forEach((rect, index) => expect(rect.width * rect.height).toBeCloseTo(((values[index] as number) / total) * 600 * 400, 6));
  });

  it('keeps every tile inside the frame and apart from the others', () => {
    for (const rect of rects) {
      expect(rect.x).toBeGreaterThanOrEqual(0);
      expect(rect.y).toBeGreaterThanOrEqual(0);
      expect(rect.x + rect.width).toBeLessThanOrEqual(600 + 1e-6);
      expect(rect.y + rect.height).toBeLessThanOrEqual(400 + 1e-6);
    }
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i] as Rect, rects[j] as Rect), `${i} and ${j}`).toBe(false);
  });

  it('keeps tiles close to squares (the example of Bruls et al. stays under 3:1)', () => {
    for (const rect of rects) expect(Math.max(rect.width / rect.height, rect.height / rect.width)).toBeLessThan(3);
  });

  it('returns empty tiles for zero values and an empty total', () => {
    expect(squarify([5, 0], frame)[1]).toMatchObject({ width: 0, height: 0 });
    expect(squarify([0, 0], frame).every((rect) => rect.width === 0)).toBe(true);
  });
});

describe('renderTreemap', () => {
  const pkg = (name: string, bytes: number): AuditPackage => ({ name, version: '1.0', build: 'h0', source: 'conda', files: 1, bytes, missing: 0, categories: [{ category: 'runtime', files: 1, bytes }] });
  const packages = [pkg('big', 9_000), pkg('mid', 950), pkg('tiny', 40), pkg('tinier', 10)];
  const svg = renderTreemap({ packages, totals: { packages: 4, files: 4, bytes: 10_000, uniqueBytes: 10_000, symlinks: 0, missing: 0 } }, (text) => text);

  it('draws a tile per package at or above the threshold and one tile for the rest', () => {
    expect(treemapMinShare).toBe(0.005);
    expect([...svg.matchAll(/<g class="tile" data-package="([^"]+)"/g)].map((match) => match[1])).toEqual(['big', 'mid']);
    expect(svg).toContain('<g class="tile-rest" data-packages="2" data-bytes="50">');
  });
});
