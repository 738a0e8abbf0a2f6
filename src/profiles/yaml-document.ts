/**
 * Parses a YAML input file with its source positions, so that every validation problem can be
 * reported as `file:line:col` with a dotted path, and bounds the parse against hostile input.
 */
import { isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Issue } from '../errors.ts';

/** Largest YAML input accepted; real profiles are a few KiB, a larger one is a mistake or an attack. */
export const maxYamlBytes = 1024 * 1024;

/** Aliases allowed when converting to plain values; defeats "billion laughs" alias bombs. */
const maxAliasCount = 100;

/** One path segment: a map key or a sequence index. */
export type PathSegment = string | number;

/** A parsed YAML file: its plain value, and a way to find where a path sits in the text. */
export interface YamlDocument {
  value: unknown;
  issues: Issue[];
  /** Returns the 1-based position of the value at `path`, or of its key when `key` is set. */
  locate(path: readonly PathSegment[], key?: boolean): { line?: number; column?: number };
  /** Returns the source text of the scalar at `path` (e.g. `1.10` when YAML read it as 1.1). */
  sourceText(path: readonly PathSegment[]): string | undefined;
}

/** Parses `text` as one YAML document, collecting syntax problems instead of throwing. */
export function parseYamlDocument(text: string, file: string): YamlDocument {
  const lineCounter = new LineCounter();
  const issues: Issue[] = [];
  if (Buffer.byteLength(text) > maxYamlBytes) {
    issues.push({ file, path: '', message: `the file is larger than ${maxYamlBytes} bytes; refusing to parse it` });
    return { value: undefined, issues, locate: () => ({}), sourceText: () => undefined };
  }
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  for (const error of [...document.errors, ...document.warnings]) {
    const position = lineCounter.linePos(error.pos[0]);
    const message = error.code === 'MULTIPLE_DOCS' ? 'multiple documents in one file; a profile is one YAML document, so remove the "---" separator and what follows it' : firstLine(error.message);
    issues.push({ file, line: position.line, column: position.col, path: '', message });
  }
  // An alias to an anchor that does not exist is reported where it stands, not by toJS.
  visit(document, {
    Alias(_, alias) {
      if (alias.resolve(document) !== undefined || alias.range === undefined || alias.range === null) return;
      const position = lineCounter.linePos(alias.range[0]);
      issues.push({ file, line: position.line, column: position.col, path: '', message: `alias *${alias.source} refers to no anchor &${alias.source}` });
    },
  });
  let value: unknown;
  if (issues.length === 0) {
    try {
      value = document.toJS({ maxAliasCount });
    } catch (error) {
      const message = (error as Error).message;
      issues.push({ file, path: '', message: /alias count/i.test(message) ? `${message} (more than ${maxAliasCount} aliases)` : message });
    }
  }
  return {
    value,
    issues,
    locate(path, key = false) {
      const range = rangeOf(document, path, key);
      if (range === undefined) return {};
      const position = lineCounter.linePos(range);
      return { line: position.line, column: position.col };
    },
    sourceText(path) {
      const node = document.getIn(path, true);
      return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
    },
  };
}

function rangeOf(document: Document, path: readonly PathSegment[], key: boolean): number | undefined {
  if (key && path.length > 0) {
    const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
      const keyNode = pair?.key as Node | undefined;
      if (keyNode?.range) return keyNode.range[0];
    }
  }
  // Walk up to the nearest ancestor that exists, so a missing key points at its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = (depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true)) as Node | null | undefined;
    if (node?.range) return node.range[0];
  }
  return undefined;
}

function firstLine(message: string): string {
  const newline = message.indexOf('\n');
  return newline === -1 ? message : message.slice(0, newline);
}

/** Formats a path as `rules[2].remove[0]`. */
export function dottedPath(path: readonly PathSegment[]): string {
  let result = '';
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else result += result === '' ? segment : `.${segment}`;
  }
  return result;
}
