/**
 * The audit's HTML report of the real-python env, opened from a file:// URL in Debian's headless
 * chromium over the DevTools protocol: it loads without a console error, has one treemap tile per
 * package above the threshold, sorts its tables on click, shows the JSON output's numbers, and
 * renders to a screenshot.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPythonEnv } from '../../fixtures/python-env/template.ts';
import type { Audit } from '../../src/audit/types.ts';
import { treemapMinShare } from '../../src/report/audit-treemap.ts';
import { launchBrowser, type BrowserPage } from '../helpers/devtools-browser.ts';
import { runCli } from '../helpers/run-cli.ts';

let work = '';
let page: BrowserPage;
let audit: Audit;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'conda-prune-audit-html-'));
  const prefix = join(work, 'env');
  await copyPythonEnv(prefix);
  const json = runCli(['audit', prefix, '--format', 'json']);
  expect(json.status, json.stderr).toBe(0);
  audit = JSON.parse(json.stdout) as Audit;
  const html = runCli(['audit', prefix, '--format', 'html', '--output', join(work, 'audit.html')]);
  expect(html.status, html.stderr).toBe(0);
  page = await launchBrowser();
  await page.send('Runtime.enable');
  await page.send('Log.enable');
  await page.send('Page.enable');
  const loaded = page.next('Page.loadEventFired');
  await page.send('Page.navigate', { url: pathToFileURL(join(work, 'audit.html')).href });
  await loaded;
}, 240_000);

afterAll(async () => {
  await page?.close();
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

/** Clicks the middle of an element the way a user does: the mouse, not element.click(). */
async function click(selector: string): Promise<void> {
  const box = await page.evaluate<{ x: number; y: number } | null>(`(() => {
    const element = document.querySelector(${JSON.stringify(selector)});
    if (!element) return null;
    element.scrollIntoView({ block: 'center' });
    const rect = element.getBoundingClientRect();
    return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
  })()`);
  expect(box, `${selector} is on the page`).not.toBeNull();
  for (const type of ['mousePressed', 'mouseReleased']) {
    await page.send('Input.dispatchMouseEvent', { type, x: box?.x, y: box?.y, button: 'left', clickCount: 1 });
  }
}

function columnValues(table: string, column: number): Promise<string[]> {
  return page.evaluate<string[]>(
    `[...document.querySelectorAll('#${table} tbody tr')].map((row) => { const cell = row.cells[${column}]; return cell.getAttribute('data-value') ?? cell.textContent; })`,
  );
}

describe('the audit HTML report in headless chromium', () => {
  it('loads from file:// without a console error, exception or log error', async () => {
    // Let the page's script run to the end, then look at everything it said.
    expect(await page.evaluate<string>('document.readyState')).toBe('complete');
    const problems = page.messages.filter((message) => message.source === 'exception' || message.level === 'error' || message.level === 'assert');
    expect(problems).toEqual([]);
    expect(await page.evaluate<number>('document.querySelectorAll("script[src], link[href], img[src]").length')).toBe(0);
  });

  it('draws one treemap tile per package above the threshold, each with its bytes and an area', async () => {
    const tiles = await page.evaluate<Array<{ name: string; bytes: number; width: number; height: number }>>(
      `[...document.querySelectorAll('#treemap .tile')].map((tile) => { const box = tile.getBoundingClientRect(); return { name: tile.dataset.package, bytes: Number(tile.dataset.bytes), width: box.width, height: box.height }; })`,
    );
    const expected = audit.packages.filter((pkg) => pkg.bytes > 0 && pkg.bytes >= audit.totals.bytes * treemapMinShare);
    expect(expected.length).toBeGreaterThan(3);
    expect(tiles.map((tile) => [tile.name, tile.bytes])).toEqual(expected.map((pkg) => [pkg.name, pkg.bytes]));
    for (const tile of tiles) expect(tile.width * tile.height, tile.name).toBeGreaterThan(0);
    // The smaller packages share one tile that says how many they are.
    const rest = await page.evaluate<{ packages: number; bytes: number }>(`(() => { const tile = document.querySelector('#treemap .tile-rest'); return { packages: Number(tile.dataset.packages), bytes: Number(tile.dataset.bytes) }; })()`);
    expect(rest.packages).toBe(audit.packages.length - expected.length);
    expect(rest.bytes).toBe(audit.totals.bytes - expected.reduce((sum, pkg) => sum + pkg.bytes, 0));
  });

  it('shows the numbers of the JSON output', async () => {
    expect(Number(await page.evaluate<string>('document.querySelector("#total-bytes").dataset.bytes'))).toBe(audit.totals.bytes);
    expect(Number(await page.evaluate<string>('document.querySelector("#total-files").dataset.value'))).toBe(audit.totals.files);
    const rows = await page.evaluate<Array<[string, number, number]>>(`[...document.querySelectorAll('#packages tbody tr')].map((row) => [row.dataset.package, Number(row.cells[3].dataset.value), Number(row.cells[4].dataset.value)])`);
    expect(rows).toEqual(audit.packages.map((pkg) => [pkg.name, pkg.files, pkg.bytes]));
    const presets = await page.evaluate<Array<[string, number, number]>>(`[...document.querySelectorAll('#presets tbody tr')].map((row) => [row.dataset.preset, Number(row.cells[2].dataset.value), Number(row.cells[3].dataset.value)])`);
    expect(presets).toEqual(audit.presets.map((preset) => [preset.preset, preset.files, preset.bytes]));
    expect(presets.map(([name]) => name)).toEqual(['default', 'moderate', 'aggressive']);
    expect(audit.presets[0]?.bytes).toBeGreaterThan(0);
    const categories = await page.evaluate<Array<[string, number]>>(`[...document.querySelectorAll('#categories tbody tr')].map((row) => [row.dataset.category, Number(row.cells[2].dataset.value)])`);
    expect(categories).toEqual(audit.categories.map((item) => [item.category, item.bytes]));
  });

  it('sorts a table when a header is clicked, and reverses on the second click', async () => {
    await click('#packages th:nth-child(5)');
    const ascending = (await columnValues('packages', 4)).map(Number);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(ascending[0]).toBeLessThan(ascending[ascending.length - 1] as number);
    expect(await page.evaluate<string>('document.querySelector("#packages th:nth-child(5)").getAttribute("aria-sort")')).toBe('ascending');

    await click('#packages th:nth-child(5)');
    const descending = (await columnValues('packages', 4)).map(Number);
    expect(descending).toEqual([...ascending].reverse());

    await click('#packages th:nth-child(1)');
    const names = await columnValues('packages', 0);
    expect(names).toEqual([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
  });

  it('would have heard a console error or an uncaught exception (the listener works)', async () => {
    const before = page.messages.length;
    await page.evaluate(`console.error('audit-probe'); setTimeout(() => { throw new Error('audit-probe-exception'); }, 0); new Promise((done) => setTimeout(done, 50))`);
    const heard = page.messages.slice(before);
    expect(heard.some((message) => message.source === 'console' && message.level === 'error' && message.text.includes('audit-probe'))).toBe(true);
    expect(heard.some((message) => message.source === 'exception' && message.text.includes('audit-probe-exception'))).toBe(true);
  });

  it('renders to a PNG screenshot', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    const shot = await page.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    const file = join(work, 'audit.png');
    writeFileSync(file, Buffer.from(shot.data, 'base64'));
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(statSync(file).size).toBeGreaterThan(10_000);
  });
});
