/**
 * Reads typed fields out of a parsed YAML document (the config file, a registry index, a
 * lockfile), reporting each mismatch with its position and dotted path instead of stopping.
 */
import type { Issue } from '../errors.ts';
import { isUnsafeRelativePath } from '../environment/paths.ts';
import { unknownPlaceholders } from '../profiles/placeholders.ts';
import { dottedPath, type PathSegment, type YamlDocument } from '../profiles/yaml-document.ts';

/** An alternative or segment that starts at the root or climbs: `/x`, `{/x,y}`, `a/..`, `{..,y}`. */
const escapingGlob = /(?:^|[{,])\s*[/\\~]|(?:^|[/\\{,])\.\.(?:[/\\,}]|$)|^[A-Za-z]:/;

/** Collects issues for one document and reads its fields by path. */
export class FieldReader {
  readonly issues: Issue[];

  constructor(
    private readonly document: YamlDocument,
    private readonly file: string,
  ) {
    this.issues = [...document.issues];
  }

  /** Records a problem at `path` (at its key when `key` is set). */
  report(path: PathSegment[], message: string, key = false): void {
    this.issues.push({ file: this.file, ...this.document.locate(path, key), path: dottedPath(path), message });
  }

  /** Returns the value at `path`, or undefined. */
  valueAt(path: PathSegment[]): unknown {
    let value: unknown = this.document.value;
    for (const segment of path) value = (value as Record<string | number, unknown> | undefined)?.[segment];
    return value;
  }

  /** Reads a mapping, reporting keys outside `allowed` (every key is allowed when it is undefined). */
  object(path: PathSegment[], allowed?: string[]): Record<string, unknown> | undefined {
    const value = this.valueAt(path);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.report(path, value === undefined && path.length > 0 ? 'is required (a mapping)' : 'must be a mapping');
      return undefined;
    }
    if (allowed !== undefined) {
      for (const key of Object.keys(value)) {
        if (!allowed.includes(key)) this.report([...path, key], `unknown key "${key}" (allowed: ${allowed.join(', ')})`, true);
      }
    }
    return value as Record<string, unknown>;
  }

  /** Reads a non-empty string that matches `pattern`, when given. */
  string(path: PathSegment[], pattern?: RegExp, expected?: string): string | undefined {
    const value = this.valueAt(path);
    if (typeof value === 'number') {
      this.report(path, `YAML reads ${this.document.sourceText(path) ?? value} as the number ${value}; write it in quotes`);
      return undefined;
    }
    if (typeof value !== 'string' || value === '') {
      this.report(path, value === undefined ? 'is required' : 'must be a non-empty string');
      return undefined;
    }
    if (pattern !== undefined && !pattern.test(value)) {
      this.report(path, `"${value}" is not ${expected ?? `of the form ${pattern.source}`}`);
      return undefined;
    }
    return value;
  }

  /** Reads one of a fixed set of strings. */
  oneOf<T extends string>(path: PathSegment[], allowed: readonly T[]): T | undefined {
    const value = this.valueAt(path);
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.report(path, value === undefined ? `is required (one of ${allowed.join(', ')})` : `"${String(value)}" is not one of ${allowed.join(', ')}`);
    return undefined;
  }

  /** Reads a list of non-empty strings; an absent list is empty. */
  stringList(path: PathSegment[]): string[] {
    const value = this.valueAt(path);
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.report(path, 'must be a list of strings');
      return [];
    }
    const strings: string[] = [];
    value.forEach((_, index) => {
      const text = this.string([...path, index]);
      if (text !== undefined) strings.push(text);
    });
    return strings;
  }

  /** Reads a list of prefix-relative globs, refusing ones that reach the root or climb out. */
  globs(path: PathSegment[]): string[] {
    const globs = this.stringList(path);
    const value = this.valueAt(path);
    globs.forEach((glob) => {
      const globPath = [...path, Array.isArray(value) ? value.indexOf(glob) : 0];
      const bare = glob.replace(/\{(?:site-packages|stdlib)\}/g, 'x');
      if (isUnsafeRelativePath(bare) || escapingGlob.test(bare)) this.report(globPath, `"${glob}" is absolute or climbs out with ".."; globs are relative to the prefix`);
      for (const name of unknownPlaceholders(glob)) this.report(globPath, `unknown placeholder {${name}} (known: {site-packages}, {stdlib})`);
    });
    return globs;
  }
}
