/**
 * Takes the lstat of many paths at once into a compact table: one row per path, in typed arrays
 * instead of one fs.Stats object each. The audit measures every file an env lists (60,000 and
 * more); Stats objects for all of them cost as much in allocation and garbage collection as the
 * system calls. Large lists are measured in a worker thread, so the calls run on the second core
 * while the caller goes on with work that needs no file sizes (selecting the presets' paths).
 */
import { closeSync, lstatSync, openSync, readSync } from 'node:fs';
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
  /** Every label `create`'s function (and `byContent`'s) returns; at most 255. */
  labels: readonly string[];
  /**
   * Labels a regular file again from its first four bytes when its path alone got the label
   * `ask` (a file in bin/: an ELF tool or a script?), so those reads leave the caller's thread
   * too. `create` is self-contained, like the labeller's own.
   */
  byContent?: { ask: string; create: () => (head: Uint8Array) => string };
}

/** What fillLstatTable calls of node:fs. */
type FileSystem = Pick<typeof import('node:fs'), 'lstatSync' | 'openSync' | 'readSync' | 'closeSync'>;

const fileSystem: FileSystem = { lstatSync, openSync, readSync, closeSync };

/** A labeller's functions, built where the table is filled. */
interface BuiltLabeller {
  label: (path: string) => string;
  labels: readonly string[];
  ask?: string;
  byContent?: (head: Uint8Array) => string;
}

/** Below this many paths a worker's start-up (~20 ms) costs more than it overlaps. */
const workerThreshold = 4096;

/**
 * Fills a table with the lstat of `root + path` for every path. Self-contained on purpose: the
 * worker runs this very function from its source text, so it may use only its arguments and
 * globals (the kind numbers are written out for that reason).
 */
function fillLstatTable(fs: FileSystem, root: string, paths: readonly string[], labeller?: BuiltLabeller): LstatTable {
  const count = paths.length;
  const table: LstatTable = { kinds: new Uint8Array(count), sizes: new Float64Array(count), nlinks: new Float64Array(count), devs: new Float64Array(count), inos: new Float64Array(count) };
  const labelled = labeller === undefined ? undefined : new Uint8Array(count);
  if (labelled !== undefined) table.labels = labelled;
  const ask = labeller?.ask === undefined ? -1 : labeller.labels.indexOf(labeller.ask);
  const head = new Uint8Array(4);
  for (let row = 0; row < count; row++) {
    const path = paths[row] as string;
    if (labeller !== undefined && labelled !== undefined) labelled[row] = labeller.labels.indexOf(labeller.label(path));
    let stats;
    try {
      stats = fs.lstatSync(root + path, { throwIfNoEntry: false });
    } catch {
      // ENOTDIR, EACCES, ELOOP: the caller treats a path it cannot stat as missing.
      stats = undefined;
    }
    if (stats === undefined) continue;
    table.kinds[row] = stats.isFile() ? 1 : stats.isSymbolicLink() ? 2 : stats.isDirectory() ? 3 : 4;
    if (labelled !== undefined && labelled[row] === ask && table.kinds[row] === 1 && labeller?.byContent !== undefined) {
      let read = 0;
      let fd;
      try {
        fd = fs.openSync(root + path, 'r');
        read = fs.readSync(fd, head, 0, 4, 0);
      } catch {
        // Unreadable: judged on no bytes at all.
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
      labelled[row] = labeller.labels.indexOf(labeller.byContent(head.subarray(0, read)));
    }
    table.sizes[row] = stats.size;
    table.nlinks[row] = stats.nlink;
    table.devs[row] = stats.dev;
    table.inos[row] = stats.ino;
  }
  return table;
}

/** Builds a labeller's functions: called in the thread that fills the table, from source text in a worker. */
function buildLabeller(labeller: PathLabeller): BuiltLabeller {
  return { label: labeller.create(), labels: labeller.labels, ...(labeller.byContent === undefined ? {} : { ask: labeller.byContent.ask, byContent: labeller.byContent.create() }) };
}

/**
 * The worker: it measures the paths in workerData (NUL-joined, so the list crosses as one string
 * copy) and hands the table's buffers back without a copy.
 */
function workerSource(labeller: PathLabeller | undefined): string {
  const built =
    labeller === undefined
      ? 'undefined'
      : `{ label: (${labeller.create.toString()})(), labels: workerData.labels${labeller.byContent === undefined ? '' : `, ask: ${JSON.stringify(labeller.byContent.ask)}, byContent: (${labeller.byContent.create.toString()})()`} }`;
  return `
const { parentPort, workerData } = require('node:worker_threads');
const fillLstatTable = ${fillLstatTable.toString()};
const table = fillLstatTable(require('node:fs'), workerData.root, workerData.paths.split('\\0'), ${built});
const buffers = [table.kinds.buffer, table.sizes.buffer, table.nlinks.buffer, table.devs.buffer, table.inos.buffer];
if (table.labels !== undefined) buffers.push(table.labels.buffer);
parentPort.postMessage(table, buffers);
`;
}

/** Lstats `root + path` for every path in this thread. */
export function lstatTableSync(root: string, paths: readonly string[], labeller?: PathLabeller): LstatTable {
  return { ...fillLstatTable(fileSystem, root, paths, labeller === undefined ? undefined : buildLabeller(labeller)), measuredBy: 'caller' };
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
