/**
 * Cuts the `paths_data` value out of a record's bytes without decoding or parsing it. paths_data
 * holds most of a record's bytes (a sha256 pair and a size per file), yet the planner needs it
 * only for the candidates a rule selected; decoding and parsing it for every record would
 * dominate the time of `plan`.
 */

/** The record's text with paths_data replaced by null, and the cut-out value's bytes when found. */
export interface PathsDataSplit {
  rest: string;
  pathsData?: Buffer;
}

const key = Buffer.from('"paths_data": {');
const newline = 10;
const space = 32;

/**
 * Splits a record at its top-level paths_data value, or leaves it whole when unsure.
 *
 * Every installer pretty-prints its records, and a JSON string cannot hold a raw newline, so the
 * value ends at the first line that closes a brace at the key's own indentation: native
 * searches instead of a scan of megabytes. A cut in the wrong place cannot go unnoticed: the rest
 * then fails to parse or lacks a top-level `"paths_data": null`, and the caller parses it whole.
 */
export function splitPathsData(bytes: Buffer): PathsDataSplit {
  const keyAt = bytes.indexOf(key);
  if (keyAt <= 0) return { rest: bytes.toString('utf8') };
  let lineStart = keyAt;
  while (lineStart > 0 && bytes[lineStart - 1] === space) lineStart--;
  if (lineStart === keyAt || bytes[lineStart - 1] !== newline) return { rest: bytes.toString('utf8') };
  const closing = Buffer.concat([Buffer.from('\n'), bytes.subarray(lineStart, keyAt), Buffer.from('}')]);
  const end = bytes.indexOf(closing, keyAt);
  if (end === -1) return { rest: bytes.toString('utf8') };
  const valueStart = keyAt + key.length - 1;
  const valueEnd = end + closing.length;
  return {
    rest: `${bytes.toString('utf8', 0, valueStart)}null${bytes.toString('utf8', valueEnd)}`,
    pathsData: bytes.subarray(valueStart, valueEnd),
  };
}

/**
 * Finds the one paths_data entry of a path by its exact text and parses only that object.
 * Returns undefined when the entry cannot be found this way (another spacing, escaped
 * characters), and the caller parses the whole value instead.
 */
export function findPathEntry(pathsData: Buffer, path: string): unknown {
  const quoted = JSON.stringify(path);
  let at = pathsData.indexOf(`"_path": ${quoted}`);
  if (at === -1) at = pathsData.indexOf(`"_path":${quoted}`);
  if (at === -1) return undefined;
  // Entries are flat objects; their other values (hashes, sizes, types, a placeholder path)
  // hold no braces, so the nearest braces around the key bound the entry.
  const open = pathsData.lastIndexOf('{', at);
  const close = pathsData.indexOf('}', at);
  if (open === -1 || close === -1) return undefined;
  try {
    const entry = JSON.parse(pathsData.toString('utf8', open, close + 1)) as { _path?: unknown };
    return entry._path === path ? entry : undefined;
  } catch {
    return undefined;
  }
}
