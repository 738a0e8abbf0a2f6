/**
 * `conda-prune export`: the exclude lists are consumed by the real tools. tar --exclude-from
 * must build an archive of exactly the files the plan keeps; every conda-pack pattern must match
 * its own path and no other under Python's fnmatch, which conda-pack matches --exclude with.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDirectories, put, writeSmallEnvironment } from '../helpers/small-env.ts';
import { writeCondaRecords } from '../../fixtures/lib/conda-records.ts';
import { runCli } from '../helpers/run-cli.ts';
import { snapshotTree } from '../helpers/snapshot-tree.ts';

const temp = createTempDirectories();
let prefix = '';

beforeAll(async () => {
  prefix = join(temp.make('export'), 'env');
  mkdirSync(prefix);
  await writeSmallEnvironment(prefix, 'conda');
  // Glob characters in a removed path must stay literal in every list.
  put(prefix, 'lib/lib[x]*?.a', 5);
  await writeCondaRecords(prefix, [{ name: 'globby', version: '1.0', build: 'h0_0', files: ['lib/lib[x]*?.a'] }], { writer: 'conda', markers: false });
});
afterAll(() => temp.cleanup());

function planned(): { entries: Array<{ path: string }>; directories: string[] } {
  return JSON.parse(runCli(['plan', prefix, '--format', 'json']).stdout);
}

describe('conda-prune export', () => {
  it('lists the removed paths, one per line', () => {
    const result = runCli(['export', prefix, '--format', 'paths']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('lib/lib[x]*?.a\n');
    expect(result.stdout.trim().split('\n')).toEqual(planned().entries.map((entry) => entry.path));
  });

  it('gives tar --exclude-from a list that leaves exactly the kept files in the archive', () => {
    const list = join(temp.make('tar'), 'exclude.txt');
    expect(runCli(['export', prefix, '--format', 'tar', '--output', list]).status).toBe(0);
    const archive = `${list}.tar`;
    const packed = spawnSync('tar', ['-C', prefix, '--anchored', '--no-wildcards', `--exclude-from=${list}`, '-cf', archive, '.'], { encoding: 'utf8' });
    expect(packed.status, packed.stderr).toBe(0);
    const members = spawnSync('tar', ['-tf', archive], { encoding: 'utf8' }).stdout.split('\n').filter((line) => line !== '' && !line.endsWith('/'));
    const removed = new Set(planned().entries.map((entry) => entry.path));
    const kept = [...snapshotTree(prefix, [])].filter(([path, description]) => !description.startsWith('dir') && !removed.has(path)).map(([path]) => `./${path}`);
    expect(members.sort()).toEqual(kept.sort());
  });

  it('gives conda-pack one --exclude per path that fnmatch matches to that path only', () => {
    const result = runCli(['export', prefix, '--format', 'conda-pack']);
    const patterns = result.stdout.trim().split('\n').map((line) => line.replace(/^--exclude=/, ''));
    const plan = planned();
    const everything = [...snapshotTree(prefix, [])].map(([path]) => path);
    const script = 'import fnmatch, json, sys\ndata = json.load(sys.stdin)\nprint(json.dumps([[p for p in data["paths"] if fnmatch.fnmatchcase(p, pat)] for pat in data["patterns"]]))';
    const matched = JSON.parse(spawnSync('python3', ['-c', script], { input: JSON.stringify({ patterns, paths: everything }), encoding: 'utf8' }).stdout) as string[][];
    expect(matched).toEqual([...plan.entries.map((entry) => [entry.path]), ...plan.directories.map((directory) => [directory])]);
  });
});
