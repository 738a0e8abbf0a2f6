/**
 * Takes the lstat of many paths at once into a compact table: one row per path, in typed arrays
 * instead of one fs.Stats object each. The audit measures every file an env lists (60,000 and
 * more); Stats objects for all of them cost as much in allocation and garbage collection as the
 * system calls. Large lists are measured in a worker thread, so the calls run on the second core
 * while the caller goes on with work that needs no file sizes (selecting the presets' paths).
 */
import { lstatSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** Kinds of a row: the path is missing (or unreadable), a regular file, a symlink, a directory, or something else. */
export const lstatKind = { missing: 0, file: 1, symlink: 2, directory: 3, other: 4 } as const;

/** The lstat facts of each path, by row: parallel typed arrays. */
export interface LstatTable {
  kinds: Uint8Array;
  sizes: Float64Array;
  nlinks: Float64Array;
  devs: Float64Array;
  inos: Float64Array;
  /** With a labeller: each path's label, as its index in the labeller's `labels`. */
  labels?: Uint8Array;
  /** Which thread took the calls: a worker's failure falls back to the caller's, silently but visibly here. */
  measuredBy?: 'worker' | 'caller';
}

/** The part of fs.Stats the planner's inspection reads; a table row provides it without a Stats object. */
export interface LstatFacts {
  size: number;
  nlink: number;
  dev: number;
  ino: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/**
 * Labels paths from their text alone, beside the lstat calls, so a caller that sorts every path
 * into kinds (the audit's categories) has that done on the worker's core too. `create` must be
 * self-contained, like fillLstatTable: the worker builds its labelling function from its source.
 */
export interface PathLabeller {
  create: () => (path: string) => string;
  /** Every label `create`'s function returns; at most 255. */
  labels: readonly string[];
}

/** Below this many paths a worker's start-up (~20 ms) costs more than it overlaps. */
const workerThreshold = 4096;

/**
 * Fills a table with the lstat of `root + path` for every path. Self-contained on purpose: the
 * worker runs this very function from its source text, so it may use only its arguments and
 * globals (the kind numbers are written out for that reason).
 */
function fillLstatTable(lstat: typeof lstatSync, root: string, paths: readonly string[], label?: (path: string) => string, labels?: readonly string[]): LstatTable {
  const count = paths.length;
  const table: LstatTable = { kinds: new Uint8Array(count), sizes: new Float64Array(count), nlinks: new Float64Array(count), devs: new Float64Array(count), inos: new Float64Array(count) };
  const labelled = label === undefined || labels === undefined ? undefined : new Uint8Array(count);
  if (labelled !== undefined) table.labels = labelled;
  for (let row = 0; row < count; row++) {
    const path = paths[row] as string;
    if (labelled !== undefined) labelled[row] = (labels as readonly string[]).indexOf((label as (path: string) => string)(path));
    let stats;
    try {
      stats = lstat(root + path, { throwIfNoEntry: false });
    } catch {
      // ENOTDIR, EACCES, ELOOP: the caller treats a path it cannot stat as missing.
      stats = undefined;
    }
    if (stats === undefined) continue;
    table.kinds[row] = stats.isFile() ? 1 : stats.isSymbolicLink() ? 2 : stats.isDirectory() ? 3 : 4;
    table.sizes[row] = stats.size;
    table.nlinks[row] = stats.nlink;
    table.devs[row] = stats.dev;
    table.inos[row] = stats.ino;
  }
  return table;
}

/**
 * The worker: it measures the paths in workerData (NUL-joined, so the list crosses as one string
 * copy) and hands the table's buffers back without a copy.
 */
function workerSource(labeller: PathLabeller | undefined): string {
  return `
const { parentPort, workerData } = require('node:worker_threads');
const { lstatSync } = require('node:fs');
const fillLstatTable = ${fillLstatTable.toString()};
const label = ${labeller === undefined ? 'undefined' : `(${labeller.create.toString()})()`};
const table = fillLstatTable(lstatSync, workerData.root, workerData.paths.split('\\0'), label, workerData.labels);
const buffers = [table.kinds.buffer, table.sizes.buffer, table.nlinks.buffer, table.devs.buffer, table.inos.buffer];
if (table.labels !== undefined) buffers.push(table.labels.buffer);
parentPort.postMessage(table, buffers);
`;
}

/** Lstats `root + path` for every path in this thread. */
export function lstatTableSync(root: string, paths: readonly string[], labeller?: PathLabeller): LstatTable {
  return { ...fillLstatTable(lstatSync, root, paths, labeller?.create(), labeller?.labels), measuredBy: 'caller' };
}

/**
 * Lstats `root + path` for every path, in a worker thread when the list is long enough for that
 * to pay; the caller's thread is free until it awaits the table. Should the worker fail to start
 * or die, or a path hold a NUL (which would split it in two on the way and shift every row after
 * it; the readers refuse such paths), the paths are measured in the caller's thread: slower,
 * never wrong.
 */
export function lstatTable(root: string, paths: readonly string[], labeller?: PathLabeller): Promise<LstatTable> {
  if (paths.length < workerThreshold || paths.some((path) => path.includes('\0'))) return Promise.resolve(lstatTableSync(root, paths, labeller));
  return new Promise<LstatTable>((resolve) => {
    let settled = false;
    let worker: Worker | undefined;
    const fallBack = (): void => {
      if (settled) return;
      settled = true;
      void worker?.terminate();
      resolve(lstatTableSync(root, paths, labeller));
    };
    try {
      worker = new Worker(workerSource(labeller), { eval: true, workerData: { root, paths: paths.join('\0'), labels: labeller?.labels } });
    } catch {
      fallBack();
      return;
    }
    const running = worker;
    running.once('message', (table: LstatTable) => {
      if (settled) return;
      settled = true;
      resolve({ ...table, measuredBy: 'worker' });
      void running.terminate();
    });
    // A listener also keeps a worker's error from being thrown in this thread.
    running.once('error', fallBack);
    running.once('exit', fallBack);
  });
}

/** One row of a table, read as the stats the inspection expects: methods on the prototype, not three closures per row. */
class TableRow implements LstatFacts {
  constructor(
    private readonly kind: number,
    readonly size: number,
    readonly nlink: number,
    readonly dev: number,
    readonly ino: number,
  ) {}

  isFile(): boolean {
    return this.kind === lstatKind.file;
  }

  isDirectory(): boolean {
    return this.kind === lstatKind.directory;
  }

  isSymbolicLink(): boolean {
    return this.kind === lstatKind.symlink;
  }
}

/** Reads one row of a table as the stats the inspection expects; undefined for a missing path. */
export function lstatFactsAt(table: LstatTable, row: number): LstatFacts | undefined {
  const kind = table.kinds[row];
  if (kind === undefined || kind === lstatKind.missing) return undefined;
  return new TableRow(kind, table.sizes[row] as number, table.nlinks[row] as number, table.devs[row] as number, table.inos[row] as number);
}

/** Looks paths up in a table through their rows. */
export function lookUpRows(table: LstatTable, rows: ReadonlyMap<string, number>): (path: string) => LstatFacts | undefined {
  return (path) => {
    const row = rows.get(path);
    return row === undefined ? undefined : lstatFactsAt(table, row);
  };
}
