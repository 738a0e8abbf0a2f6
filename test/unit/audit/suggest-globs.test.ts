/*
 * The globs suggested for unprofiled content: placeholders in place of the env's python folders,
 * glob syntax in names escaped, and every suggestion checked against the package's other files.
 */
import { describe, expect, it } from 'vitest';
import type { PythonInfo } from '../../../src/environment/types.ts';
import { compileGlobs } from '../../../src/plan/path-matcher.ts';
import { expandPlaceholders } from '../../../src/profiles/placeholders.ts';
import { suggestGlobs, type ClassifiedPath } from '../../../src/audit/suggest-globs.ts';

const python: PythonInfo = { version: '3.11', sitePackages: 'lib/python3.11/site-packages', stdlib: 'lib/python3.11', executable: 'bin/python3.11' };
const sp = python.sitePackages;

function matches(globs: readonly string[], path: string): boolean {
  return compileGlobs(globs.map((glob) => expandPlaceholders(glob, python) ?? glob))?.test(path) === true;
}

describe('suggestGlobs', () => {
  it('writes site-packages as a placeholder and leaves plain names as they are', () => {
    const targets: ClassifiedPath[] = [
      { path: `${sp}/alpha/tests/test_a.py`, category: 'tests', bytes: 10 },
      { path: `${sp}/alpha/core/tests/test_b.py`, category: 'tests', bytes: 20 },
    ];
    const others: ClassifiedPath[] = [{ path: `${sp}/alpha/__init__.py`, category: 'runtime', bytes: 5 }];
    const suggestion = suggestGlobs(targets, [...targets, ...others], python);
    expect(suggestion.globs).toEqual(['{site-packages}/alpha/**/tests/**']);
    expect(suggestion.coveredBytes).toBe(30);
  });

  it('escapes glob syntax in names, so each glob matches the very files it names', () => {
    // A folder named like an extglob would mean something else unescaped.
    const target: ClassifiedPath = { path: `${sp}/odd+name/tests/test_a.py`, category: 'tests', bytes: 10 };
    const others: ClassifiedPath[] = [
      { path: `${sp}/odd+name/__init__.py`, category: 'runtime', bytes: 5 },
      { path: `${sp}/oddname/tests/test_a.py`, category: 'runtime', bytes: 5 },
    ];
    const suggestion = suggestGlobs([target], [target, ...others], python);
    expect(suggestion.globs).toEqual(['{site-packages}/odd\\+name/**/tests/**']);
    expect(matches(suggestion.globs, target.path)).toBe(true);
    expect(matches(suggestion.globs, `${sp}/oddname/tests/test_a.py`)).toBe(false);
    expect(suggestion.coveredBytes).toBe(10);
  });

  it('falls back to the folder when a package-wide glob would take other files, escaping its name', () => {
    const target: ClassifiedPath = { path: 'share/x(1)/guide.txt', category: 'docs', bytes: 40 };
    const others: ClassifiedPath[] = [{ path: 'share/y/notes.txt', category: 'runtime', bytes: 5 }];
    const suggestion = suggestGlobs([target], [target, ...others], python);
    expect(suggestion.globs).toEqual(['share/x\\(1\\)/*.txt']);
    expect(matches(suggestion.globs, target.path)).toBe(true);
    expect(matches(suggestion.globs, 'share/y/notes.txt')).toBe(false);
    expect(suggestion.coveredBytes).toBe(40);
  });
});
