/**
 * rewriteRecord keeps a record as its installer wrote it, only without the pruned paths: key
 * order, indentation, escaping and the missing trailing newline all stay, so conda, mamba and
 * pixi read it as before and `conda list` is right.
 */
import { describe, expect, it } from 'vitest';
import { indexRemovedPaths, rewriteRecord } from '../../src/apply/rewrite-record.ts';

const sp = 'lib/python3.11/site-packages';

function condaRecord(): Record<string, unknown> {
  // Keys as conda 25.9 writes them: unsorted. Conda's noarch paths_data stays untranslated.
  return {
    name: 'six',
    version: '1.16.0',
    build: 'pyhd8ed1ab_0',
    noarch: 'python',
    license: 'MIT – Ö',
    files: [`${sp}/six.py`, `${sp}/six_tests/test_six.py`, 'bin/six-tool'],
    paths_data: {
      paths_version: 1,
      paths: [
        { _path: 'site-packages/six.py', path_type: 'hardlink', sha256: 'a', size_in_bytes: 10 },
        { _path: 'site-packages/six_tests/test_six.py', path_type: 'hardlink', sha256: 'b', size_in_bytes: 20 },
        { _path: 'python-scripts/six-tool', path_type: 'hardlink', sha256: 'c', size_in_bytes: 30 },
      ],
    },
    link: { source: '/pkgs/six', type: 1 },
  };
}

/** Serialises as Python's json.dump(indent=N, ensure_ascii=True) does, without a trailing newline. */
function pythonDump(value: unknown, indent: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

describe('rewriteRecord', () => {
  it('drops the removed paths from files and from conda’s untranslated paths_data, and nothing else', () => {
    const original = pythonDump(condaRecord(), 2);
    const rewritten = rewriteRecord(original, indexRemovedPaths([`${sp}/six_tests/test_six.py`, 'bin/six-tool']));
    const expected = condaRecord();
    expected.files = [`${sp}/six.py`];
    (expected.paths_data as { paths: unknown[] }).paths.splice(1, 2);
    expect(rewritten).toBe(pythonDump(expected, 2));
  });

  it('keeps four-space indentation (libmamba), a trailing newline (rattler test files) and CRLF', () => {
    const removed = indexRemovedPaths([`${sp}/six_tests/test_six.py`]);
    expect(rewriteRecord(pythonDump(condaRecord(), 4), removed)).toMatch(/^\{\n {4}"name": "six",/);
    expect(rewriteRecord(`${pythonDump(condaRecord(), 2)}\n`, removed)).toMatch(/\}\n$/);
    const crlf = rewriteRecord(pythonDump(condaRecord(), 2).replace(/\n/g, '\r\n'), removed) ?? '';
    expect(crlf.includes('\r\n')).toBe(true);
    expect(crlf.replace(/\r\n/g, '').includes('\n')).toBe(false);
  });

  it('keeps an ASCII record ASCII, and leaves raw UTF-8 raw', () => {
    const removed = indexRemovedPaths([`${sp}/six_tests/test_six.py`]);
    const ascii = rewriteRecord(pythonDump(condaRecord(), 2), removed) ?? '';
    expect(ascii).toContain('MIT \\u2013 \\u00d6');
    const raw = rewriteRecord(JSON.stringify(condaRecord(), null, 2), removed) ?? '';
    expect(raw).toContain('MIT – Ö');
  });

  it('returns undefined when the record lists none of the removed paths', () => {
    expect(rewriteRecord(pythonDump(condaRecord(), 2), indexRemovedPaths(['lib/other.a']))).toBeUndefined();
  });
});
