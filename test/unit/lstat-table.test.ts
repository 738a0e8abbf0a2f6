/**
 * The lstat table on a real temp directory: in this thread for a short list, in a worker thread
 * for a long one, with the same rows as fs.lstatSync gives path by path.
 */
import { linkSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lstatFactsAt, lstatKind, lstatTable, lstatTableSync, type LstatTable } from '../../src/fs/lstat-table.ts';
import { createTempDirectories } from '../helpers/small-env.ts';

const temp = createTempDirectories();
afterAll(() => temp.cleanup());

/** A tree of every kind of entry, and the paths to look up in it (some missing, one through a file). */
function makeTree(files: number): { root: string; paths: string[] } {
  const prefix = temp.make('lstat-table');
  const paths: string[] = [];
  mkdirSync(join(prefix, 'pkg', 'sub'), { recursive: true });
  for (let index = 0; index < files; index++) {
    const path = `pkg/sub/file-${index}.py`;
    writeFileSync(join(prefix, path), 'x'.repeat(index % 97));
    paths.push(path);
  }
  symlinkSync('file-1.py', join(prefix, 'pkg/sub/link.py'));
  linkSync(join(prefix, 'pkg/sub/file-2.py'), join(prefix, 'pkg/hardlink.py'));
  // A dangling link is a link, not a missing path: lstat never follows it.
  symlinkSync('/nonexistent/target', join(prefix, 'pkg/dangling'));
  paths.push('pkg/sub/link.py', 'pkg/hardlink.py', 'pkg/dangling', 'pkg/sub', 'pkg/gone.py', 'pkg/sub/file-3.py/under-a-file');
  return { root: `${prefix}/`, paths };
}

function expectRowsMatchLstat(table: LstatTable, root: string, paths: readonly string[]): void {
  expect(table.kinds).toHaveLength(paths.length);
  paths.forEach((path, row) => {
    let stats;
    try {
      stats = lstatSync(root + path, { throwIfNoEntry: false });
    } catch {
      stats = undefined;
    }
    const facts = lstatFactsAt(table, row);
    if (stats === undefined) {
      expect(facts, path).toBeUndefined();
      return;
    }
    expect(facts, path).toBeDefined();
    expect({ size: facts?.size, nlink: facts?.nlink, dev: facts?.dev, ino: facts?.ino }, path).toEqual({ size: stats.size, nlink: stats.nlink, dev: stats.dev, ino: stats.ino });
    expect([facts?.isFile(), facts?.isSymbolicLink(), facts?.isDirectory()], path).toEqual([stats.isFile(), stats.isSymbolicLink(), stats.isDirectory()]);
  });
}

describe('lstatTable', () => {
  it('gives every kind of entry its row in this thread, missing and unreachable paths included', () => {
    const { root, paths } = makeTree(10);
    const table = lstatTableSync(root, paths);
    expect(table.measuredBy).toBe('caller');
    expectRowsMatchLstat(table, root, paths);
    const kindOf = (path: string): number | undefined => table.kinds[paths.indexOf(path)];
    expect(kindOf('pkg/sub/link.py')).toBe(lstatKind.symlink);
    expect(kindOf('pkg/dangling')).toBe(lstatKind.symlink);
    expect(kindOf('pkg/sub')).toBe(lstatKind.directory);
    expect(kindOf('pkg/gone.py')).toBe(lstatKind.missing);
    expect(kindOf('pkg/sub/file-3.py/under-a-file')).toBe(lstatKind.missing);
    expect(table.nlinks[paths.indexOf('pkg/hardlink.py')]).toBe(2);
  });

  it('measures a long list in a worker thread with the same rows', async () => {
    const { root, paths } = makeTree(6000);
    const table = await lstatTable(root, paths);
    expect(table.measuredBy).toBe('worker');
    expectRowsMatchLstat(table, root, paths);
    expect(table.sizes[paths.indexOf('pkg/sub/file-96.py')]).toBe(96);
  });

  it('labels every path beside its lstat, in the worker as in this thread', async () => {
    const { root, paths } = makeTree(5000);
    // Self-contained, as a labeller must be: the worker builds it from its source.
    const labeller = { create: () => (path: string) => (path.includes('link') ? 'link' : path.endsWith('.py') ? 'module' : 'other'), labels: ['other', 'module', 'link'] };
    const expected = paths.map((path) => labeller.labels.indexOf(labeller.create()(path)));
    const inWorker = await lstatTable(root, paths, labeller);
    expect(inWorker.measuredBy).toBe('worker');
    expect([...(inWorker.labels ?? [])]).toEqual(expected);
    expect([...(lstatTableSync(root, paths, labeller).labels ?? [])]).toEqual(expected);
    expect(new Set(expected)).toEqual(new Set([0, 1, 2]));
  });

  it('labels the files it is asked about again from their first bytes, in the worker as in this thread', async () => {
    const { root, paths } = makeTree(5000);
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin/tool'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]));
    writeFileSync(join(root, 'bin/script'), '#!/bin/sh\n');
    writeFileSync(join(root, 'bin/empty'), '');
    symlinkSync('tool', join(root, 'bin/link-to-tool'));
    const asked = ['bin/tool', 'bin/script', 'bin/empty', 'bin/link-to-tool', 'bin/gone'];
    const all = [...paths, ...asked];
    // Only regular files are read: a link keeps its path's label, as does a missing path.
    const labeller = {
      create: () => (path: string) => (path.startsWith('bin/') ? 'ask' : 'plain'),
      labels: ['plain', 'ask', 'elf', 'text'],
      byContent: { ask: 'ask', create: () => (head: Uint8Array) => (head.length === 4 && head[0] === 0x7f && head[1] === 0x45 ? 'elf' : 'text') },
    };
    const expected = ['elf', 'text', 'text', 'ask', 'ask'];
    const inWorker = await lstatTable(root, all, labeller);
    expect(inWorker.measuredBy).toBe('worker');
    const labelsOf = (table: LstatTable): string[] => asked.map((path) => labeller.labels[table.labels?.[all.indexOf(path)] ?? -1] as string);
    expect(labelsOf(inWorker)).toEqual(expected);
    expect(labelsOf(lstatTableSync(root, all, labeller))).toEqual(expected);
    expect(inWorker.labels?.[0]).toBe(0);
  });

  it('measures a list holding a NUL in the caller, rows in place, rather than let the path split in two', async () => {
    const { root, paths } = makeTree(5000);
    const hostile = [...paths.slice(0, 10), 'pkg/sub/file-1.py\0pkg/sub/file-2.py', ...paths.slice(10)];
    const table = await lstatTable(root, hostile);
    expect(table.measuredBy).toBe('caller');
    expect(table.kinds[10]).toBe(lstatKind.missing);
    expectRowsMatchLstat(table, root, hostile);
  });
});
