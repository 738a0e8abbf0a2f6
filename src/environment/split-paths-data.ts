/**
 * Cuts the `paths_data` value out of a record's text without parsing it. paths_data holds most
 * of a record's bytes (a sha256 pair and a size per file), yet the planner needs it only for the
 * packages a rule touches; parsing it for every record would dominate the time of `plan`.
 */

/** The record's text with paths_data replaced by null, and the cut-out value when found. */
export interface PathsDataSplit {
  rest: string;
  pathsData?: string;
}

const key = '"paths_data": {';

/**
 * Splits a record's text at its top-level paths_data value, or leaves it whole when unsure.
 *
 * Every installer pretty-prints its records, and a JSON string cannot hold a raw newline, so the
 * value ends at the first line that closes a brace at the key's own indentation: one native
 * indexOf instead of a scan of megabytes. A cut in the wrong place cannot go unnoticed: the rest
 * then fails to parse or lacks a top-level `"paths_data": null`, and the caller parses it whole.
 */
export function splitPathsData(text: string): PathsDataSplit {
  const keyAt = text.indexOf(key);
  if (keyAt <= 0) return { rest: text };
  const lineStart = text.lastIndexOf('\n', keyAt) + 1;
  if (lineStart === 0 || !/^ +$/.test(text.slice(lineStart, keyAt))) return { rest: text };
  const closing = `\n${text.slice(lineStart, keyAt)}}`;
  const end = text.indexOf(closing, keyAt);
  if (end === -1) return { rest: text };
  const valueStart = keyAt + key.length - 1;
  const valueEnd = end + closing.length;
  return { rest: `${text.slice(0, valueStart)}null${text.slice(valueEnd)}`, pathsData: text.slice(valueStart, valueEnd) };
}
