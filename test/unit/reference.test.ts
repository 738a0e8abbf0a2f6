import { describe, expect, it } from 'vitest';
import { parseReference, referenceKey } from '../../src/profiles/reference.ts';
import { errorOf } from '../helpers/error-of.ts';

const BASE = '/work/project/config';

describe('parseReference', () => {
  it('reads builtin:NAME as a builtin profile', () => {
    expect(parseReference('builtin:scipy', BASE)).toEqual({ kind: 'builtin', name: 'scipy' });
    expect(parseReference('builtin:libgcc-ng', BASE)).toEqual({ kind: 'builtin', name: 'libgcc-ng' });
  });

  it('reads a bare NAME as builtin:NAME', () => {
    expect(parseReference('scipy', BASE)).toEqual({ kind: 'builtin', name: 'scipy' });
    expect(parseReference('python_abi', BASE)).toEqual({ kind: 'builtin', name: 'python_abi' });
    expect(parseReference('  scipy  ', BASE)).toEqual({ kind: 'builtin', name: 'scipy' });
  });

  it('resolves ./x.yaml against the base directory', () => {
    expect(parseReference('./x.yaml', BASE)).toEqual({ kind: 'file', path: '/work/project/config/x.yaml' });
  });

  it('resolves ../x.yml against the base directory', () => {
    expect(parseReference('../x.yml', BASE)).toEqual({ kind: 'file', path: '/work/project/x.yml' });
  });

  it('keeps an absolute path as it is', () => {
    expect(parseReference('/abs/x.yaml', BASE)).toEqual({ kind: 'file', path: '/abs/x.yaml' });
  });

  it('reads a name ending in .yaml as a file, never a builtin', () => {
    expect(parseReference('scipy.yaml', BASE)).toEqual({ kind: 'file', path: '/work/project/config/scipy.yaml' });
    expect(parseReference('profiles/mine.YML', BASE)).toEqual({ kind: 'file', path: '/work/project/config/profiles/mine.YML' });
  });

  it('reads a leading dot as a path even without a .yaml ending', () => {
    expect(parseReference('./profiles/mine', BASE)).toEqual({ kind: 'file', path: '/work/project/config/profiles/mine' });
  });

  it('refuses a registry-style reference (team/x@^1) with CP_BAD_REFERENCE', () => {
    const error = errorOf(() => parseReference('team/x@^1', BASE));
    expect(error.code).toBe('CP_BAD_REFERENCE');
    expect(error.message).toBe('cannot tell what profile reference "team/x@^1" names');
    expect(error.hint).toMatch(/builtin:NAME/);
    expect(error.exitCode).toBe(2);
  });

  it('refuses another scheme (https:…) with CP_BAD_REFERENCE', () => {
    expect(errorOf(() => parseReference('https:example', BASE)).code).toBe('CP_BAD_REFERENCE');
  });

  it('refuses builtin:Bad Name with CP_BAD_REFERENCE', () => {
    const error = errorOf(() => parseReference('builtin:Bad Name', BASE));
    expect(error.code).toBe('CP_BAD_REFERENCE');
    expect(error.message).toBe('"builtin:Bad Name" is not a valid builtin profile name');
  });

  it('refuses an uppercase bare name, an empty name and an empty reference', () => {
    expect(errorOf(() => parseReference('SciPy', BASE)).code).toBe('CP_BAD_REFERENCE');
    expect(errorOf(() => parseReference('builtin:', BASE)).code).toBe('CP_BAD_REFERENCE');
    expect(errorOf(() => parseReference('', BASE)).code).toBe('CP_BAD_REFERENCE');
  });

  it('refuses a builtin name that is a path (builtin:../x)', () => {
    expect(errorOf(() => parseReference('builtin:../etc/passwd', BASE)).code).toBe('CP_BAD_REFERENCE');
    expect(errorOf(() => parseReference('builtin:a/b', BASE)).code).toBe('CP_BAD_REFERENCE');
  });
});

describe('referenceKey', () => {
  it('gives a builtin and its bare short form the same key', () => {
    expect(referenceKey(parseReference('scipy', BASE))).toBe('builtin:scipy');
    expect(referenceKey(parseReference('builtin:scipy', BASE))).toBe('builtin:scipy');
  });

  it('gives two spellings of one file the same key, and a file named like a builtin another', () => {
    expect(referenceKey(parseReference('./x.yaml', BASE))).toBe(referenceKey(parseReference('../config/x.yaml', BASE)));
    expect(referenceKey(parseReference('./scipy.yaml', BASE))).toBe('file:/work/project/config/scipy.yaml');
  });
});
