/**
 * Rewrites a conda-meta record without the paths a prune removed, so conda, mamba and pixi still
 * read the environment, `conda list` stays right, and `conda-pack` finds no missing file. Every
 * other key stays as the installer wrote it, in its order, indentation and escaping.
 */
import { untranslatedNoarchPath } from '../environment/paths.ts';

interface PathEntry {
  _path?: unknown;
}

/** The removed paths, with the untranslated spelling conda may have recorded for each. */
export interface RemovedPaths {
  paths: ReadonlySet<string>;
  /** conda leaves noarch:python paths_data untranslated (site-packages/…, python-scripts/…). */
  untranslated: ReadonlySet<string>;
}

/** Indexes a run's removed paths once, for every record the run rewrites. */
export function indexRemovedPaths(paths: Iterable<string>): RemovedPaths {
  const set = new Set(paths);
  return { paths: set, untranslated: new Set([...set].map(untranslatedNoarchPath)) };
}

/** Returns the record's text without the removed paths, or undefined when it lists none of them. */
export function rewriteRecord(text: string, removedPaths: RemovedPaths): string | undefined {
  const record = JSON.parse(text) as { files?: unknown; paths_data?: { paths?: unknown } };
  const { paths: removed, untranslated } = removedPaths;
  let changed = false;
  if (Array.isArray(record.files)) {
    const kept = record.files.filter((path) => !removed.has(path as string));
    changed ||= kept.length !== record.files.length;
    record.files = kept;
  }
  const paths = record.paths_data?.paths;
  if (Array.isArray(paths) && record.paths_data !== undefined) {
    const kept = paths.filter((entry: PathEntry) => typeof entry._path !== 'string' || (!removed.has(entry._path) && !untranslated.has(entry._path)));
    changed ||= kept.length !== paths.length;
    record.paths_data.paths = kept;
  }
  if (!changed) return undefined;
  return serializeLike(text, record);
}

/** Serialises a value the way `original` was written: same indentation, escaping and ending. */
function serializeLike(original: string, value: unknown): string {
  const indent = /^\{\r?\n( +)"/.exec(original)?.[1]?.length ?? 0;
  let text = JSON.stringify(value, null, indent === 0 ? undefined : indent);
  // conda and libmamba write with Python's ensure_ascii: keep an ASCII record ASCII.
  if (Buffer.byteLength(original) === original.length && Buffer.byteLength(text) !== text.length) text = text.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (original.includes('\r\n')) text = text.replace(/\n/g, '\r\n');
  return /\r?\n$/.test(original) ? `${text}${original.endsWith('\r\n') ? '\r\n' : '\n'}` : text;
}
