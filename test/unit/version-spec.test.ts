/*
 * Tables come from conda's own documented and tested examples, re-stated as data:
 * - the ordering chain in the VersionOrder docstring (conda/models/version.py) and the
 *   "Version ordering" section of docs/source/user-guide/concepts/pkg-specs.rst;
 * - conda's tests/models/test_version.py: test_version_order, test_openssl_convention,
 *   test_pep440, test_hexrd, test_ver_eval, test_match, test_not_eq_star,
 *   test_compound_versions, test_compatible_release_versions, test_invalid_version_specs and
 *   the treeify doctests;
 * - the "Package match specifications" section of pkg-specs.rst;
 * - specs seen in conda-forge records, checked against conda's rules by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  matchesVersionSpec,
  parseVersion,
  parseVersionSpec,
} from '../../src/version-spec.ts';
import { errorOf } from '../helpers/error-of.ts';

function pairs<T>(list: readonly T[]): [T, T][] {
  return list.slice(1).map((item, i) => [list[i] as T, item]);
}

describe('compareVersions', () => {
  // Docstring chain; each inner list is one equal group. The docstring writes "0.4 < 0.4.0" but
  // conda's code (and test_version_order) makes them equal, since missing components count as 0.
  const chain = [
    ['0.4', '0.4.0'], ['0.4.1.rc', '0.4.1.RC'], ['0.4.1'], ['0.5a1'], ['0.5b3'], ['0.5C1'], ['0.5'],
    ['0.9.6'], ['0.960923'], ['1.0'], ['1.1dev1'], ['1.1_'], ['1.1a1'], ['1.1.0dev1', '1.1.dev1'],
    ['1.1.a1'], ['1.1.0rc1'], ['1.1.0', '1.1'], ['1.1.0post1', '1.1.post1'], ['1.1post1'],
    ['1996.07.12'], ['1!0.4.1'], ['1!3.1.1.6'], ['2!0.4.1'],
  ];
  it.each(pairs(chain))('orders %j before %j', (lower, higher) => {
    for (const a of lower) for (const b of higher) {
      expect(compareVersions(a, b)).toBe(-1);
      expect(compareVersions(b, a)).toBe(1);
    }
  });
  it.each(chain.filter((group) => group.length > 1))('treats %s and %s as equal', (a, b) => {
    expect(compareVersions(a as string, b as string)).toBe(0);
  });

  it.each([
    ['  0.4.rc  ', '0.4.RC'], ['0.4', '0.4.0'], ['0.4.a1', '0.4.0a1'], ['0.5_5', '0.5-5'],
    ['1.0-1', '1.0.1'], ['1.1', '1.1.0.0.0'], ['01.002', '1.2'], ['1.1.dev1', '1.1.0DEV1'],
  ])('treats %j and %j as equal', (a, b) => {
    expect(compareVersions(a, b)).toBe(0);
  });

  // test_version_order's list is sorted (ties keep their order), so each neighbour is <=.
  const testOrder = [
    '0.4', '0.4.0', '0.4.1a.vc11', '0.4.1.rc', '0.4.1.vc11', '0.4.1', '0.5*', '0.5a1', '0.5b3',
    '0.5C1', '0.5z', '0.5za', '0.5', '0.5_5', '0.5-5', '0.9.6', '0.960923', '1.0', '1.0.4a3',
    '1.0.4b1', '1.0.4', '1.1dev1', '1.1_', '1.1a1', '1.1.dev1', '1.1.a1', '1.1', '1.1.post1',
    '1.1.1dev1', '1.1.1rc1', '1.1.1', '1.1.1post1', '1.1post1', '2g6', '2.0b1pr0', '2.2be.ta29',
    '2.2be5ta29', '2.2beta29', '2.2.0.1', '3.1.1.6', '3.2.p.r0', '3.2.pr0', '3.2.pr.1', '5.5.kw',
    '11g', '14.3.1', '14.3.1.post26.g9d75ca2', '1996.07.12', '1!0.4.1', '1!3.1.1.6', '2!0.4.1',
  ];
  // openssl (letters count up after the release; 1.0.1_ sorts first), PEP 440 and hexrd lists.
  const openssl = [
    '1.0.1dev', '1.0.1_', '1.0.1a', '1.0.1b', '1.0.1c', '1.0.1d', '1.0.1r', '1.0.1rc', '1.0.1rc1',
    '1.0.1rc2', '1.0.1s', '1.0.1', '1.0.1post.a', '1.0.1post.b', '1.0.1post.z', '1.0.1post.za', '1.0.2',
  ];
  const pep440 = [
    '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2', '1.0b2.post345.dev456',
    '1.0b2.post345', '1.0c1.dev456', '1.0c1', '1.0c3', '1.0rc2', '1.0.dev456', '1.0', '1.0.post456.dev34',
    '1.0.post456', '1.1.dev1', '1.2.r32+123456', '1.2.rev33+123456', '1.2+abc', '1.2+abc123def',
    '1.2+abc123', '1.2+123abc', '1.2+123abc456', '1.2+1234.abc', '1.2+123456',
  ];
  const pep440All = [...pep440, ...pep440.map((v) => `1!${v}`)];
  it.each([
    ['test_version_order', testOrder, false],
    ['test_openssl_convention', openssl, true],
    ['test_pep440', pep440All, true],
    ['test_hexrd', ['0.3.0.dev', '0.3.3'], true],
    ['tzdata', ['2023c', '2024a', '2024b', '2025a'], true],
    ['openssl 1.1.1', ['1.1.1k', '1.1.1q', '1.1.1w', '1.1.1', '3.0.0'], true],
    ['numbers past 2^53', ['1.9007199254740992', '1.9007199254740993', '1.20230101000000000001'], true],
  ] as const)('keeps the %s list sorted', (_name, list, strict) => {
    for (const [a, b] of pairs(list)) expect(compareVersions(a, b), `${a} vs ${b}`).toBeLessThanOrEqual(strict ? -1 : 0);
    if (strict) expect([...list].reverse().sort(compareVersions)).toEqual(list);
  });

  it.each([
    ['0.4.1a.vc11', [[0], [0], [4], [1, 'a'], [0, 'vc', 11]], []],
    ['1.2g.beta15.rc', [[0], [1], [2, 'g'], [0, 'beta', 15], [0, 'rc']], []],
    // The docstring shows [1, '_alpha'] for the last part, but the code splits at "_" as well.
    ['1!2.15.1_ALPHA', [[1], [2], [15], [1], [0, 'alpha']], []],
    ['1.1dev1', [[0], [1], [1, 'DEV', 1]], []],
    ['1.1_', [[0], [1], [1, '_']], []],
    ['1.1.post1', [[0], [1], [1], [0, Infinity, 1]], []],
    ['0.5*', [[0], [0], [5, '*']], []],
    ['0.5-5', [[0], [0], [5], [5]], []],
    ['1.2+abc_1.2', [[0], [1], [2]], [[0, 'abc'], [1], [2]]],
  ])('parses %s into conda components', (text, release, local) => {
    expect(parseVersion(text)).toMatchObject({ release, local });
  });

  it('normalises case, whitespace and dashes', () => {
    expect(parseVersion('  1.0-RC1 ').normalized).toBe('1.0_rc1');
  });

  it.each(['', '  ', '3.5&1', '5.5++', '5.5..mw', '!', 'a!1.0', 'a!b!1.0', '1!2!3', '1.2+', '+1.2',
    '1!', '1.2+a+b', '1.0-1_2', '.1', '1.', 'v 1.2'])('rejects the version %j with CP_VERSION_SPEC', (text) => {
    const error = errorOf(() => parseVersion(text));
    expect(error.code).toBe('CP_VERSION_SPEC');
    expect(error.hint).toMatch(/conda version/);
  });
});

describe('parseVersionSpec', () => {
  // test_ver_eval, plus docs examples, as [version, spec, matches].
  const verEval: [string, string, boolean][] = [
    ['1.7.0', '==1.7', true], ['1.7.0', '<=1.7', true], ['1.7.0', '<1.7', false],
    ['1.7.0', '>=1.7', true], ['1.7.0', '>1.7', false], ['1.6.7', '>=1.7', false],
    ['2013a', '>2013b', false], ['2013k', '>2013b', true], ['3.0.0', '>2013b', false],
    ['1.0.0', '>1.0.0a', true], ['1.0.0', '>1.0.0*', true], ['1.0', '1.0*', true],
    ['1.0.0', '1.0*', true], ['1.0', '1.0.0*', true], ['1.0.1', '1.0.0*', false],
    ['2013a', '2013a*', true], ['2013a', '2013b*', false], ['2013ab', '2013a*', true],
    ['1.3.4', '1.2.4*', false], ['1.2.3+4.5.6', '1.2.3*', true], ['1.2.3+4.5.6', '1.2.3+4*', true],
    ['1.2.3+4.5.6', '1.2.3+5*', false], ['1.2.3+4.5.6', '1.2.4+5*', false],
  ];
  it.each(verEval)('matches %s against %j: %s', (version, spec, expected) => {
    expect(parseVersionSpec(spec).matches(version)).toBe(expected);
  });

  // test_match: every spec against 1.7.1 (its regex cases are in the rejection table below).
  it.each([
    ['1.7.*', true], ['1.7.1', true], ['1.7.0', false], ['1.7', false], ['1.5.*', false],
    ['>=1.5', true], ['!=1.5', true], ['!=1.7.1', false], ['==1.7.1', true], ['==1.7', false],
    ['==1.7.2', false], ['==1.7.1.0', true], ['1.7.*|1.8.*', true], ['>1.7,<1.8', true],
    ['>1.7.1,<1.8', false], ['*', true], ['1.*.1', true], ['1.5.*|>1.7,<1.8', true],
    ['1.5.*|>1.7,<1.7.1', false], ['1.7.1*', true], ['1.7.1.*', true], ['1.7.1*,1.7.*', true],
    ['>=1.7.*', true], ['==1.7.1.*', true], ['=1.7', true], ['=1.7.*', true], ['1.*', true],
  ])('matches 1.7.1 against %j: %s', (spec, expected) => {
    const parsed = parseVersionSpec(spec);
    expect(parsed.source).toBe(spec);
    expect(parsed.matches('1.7.1')).toBe(expected);
  });

  const table: [string, string[], string[]][] = [
    // test_not_eq_star and test_compound_versions
    ['=3.3', ['3.3.1', '3.3'], ['3.4', '3.30']],
    ['3.3.*', ['3.3.1', '3.3'], ['3.4']],
    ['=3.3.*', ['3.3.1', '3.3'], ['3.4']],
    ['!=3.3.*', ['3.4', '3.4.1'], ['3.3.1', '3.3.0.0']],
    ['!=3.3', ['3.3.1'], ['3.3.0.0']],
    ['>=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*', ['2.7.2', '3.4', '3.4a'], ['2.6.8', '3.3', '3.3.4']],
    // test_compatible_release_versions
    ['~=1.10', ['1.11.0'], ['1.9', '2.0']],
    ['~=1.10.0', ['1.10.5'], ['1.11.0']],
    ['~=3.3.2', ['3.3.2.0', '3.3.3'], ['3.4.0', '3.3.1']],
    ['~=3.3.2|==2.2', ['2.2.0', '3.3.3'], ['2.2.1']],
    // local identifiers match themselves (test_local_identifier)
    ['1.7.0.post123.gabcdef9', ['1.7.0.post123.gabcdef9'], ['1.7.0']],
    ['1.7.0.post123+gabcdef9', ['1.7.0.post123+gabcdef9'], ['1.7.0.post123']],
    // startswith cases from test_version_order, written as "=" specs
    ['=0', ['0.4.1'], ['1.0']], ['=0.4', ['0.4.1', '0.4.1p1'], ['0.5']], ['=0.4.1p', ['0.4.1p1'], ['0.4.1q1']],
    ['=0.4.1', ['0.4.1+1.3'], ['0.4']], ['=0.4.1+1', ['0.4.1+1.3'], ['0.4.1+2']],
    ['=0.4.1+1.3', [], ['0.4.1', '0.4.1+1']],
    // pkg-specs.rst "Package match specifications"; the page says >=1,<2|>3 matches 3.0, but
    // conda's code does not (3.0 == 3), so the code wins here.
    ['1.0|1.2', ['1.0', '1.2'], ['1.1']],
    ['1.0|1.4*', ['1.0', '1.4', '1.4.1b2'], ['1.2']],
    ['<=1.0', ['0.9', '0.9.1', '1.0'], ['1.0.1']],
    ['>1.0b4', ['1.0b5', '1.0rc1'], ['1.0b4', '1.0a5']],
    ['>=2,<3', ['2.0', '2.1', '2.9'], ['3.0', '1.0']],
    ['>=1,<2|>3', ['1', '1.3', '3.1'], ['2.2', '3.0']],
    ['1.11.1|1.11.3', ['1.11.1', '1.11.3'], ['1.11.2']],
    ['==1.11', ['1.11', '1.11.0', '1.11.0.0'], ['1.11.1']],
    ['=1.11', ['1.11', '1.11.0', '1.11.1', '1.11.18'], ['1.1', '1.12', '1.110']],
    ...['1.8*', '1.8.1', '>=1.8', '==1.8.1', '1.8|1.8*', '>=1.8,<2', '>=1.8,<2|1.9'].map(
      (spec): [string, string[], string[]] => [spec, ['1.8.1'], ['1.7']],
    ),
    // specs seen in conda-forge records
    // A pre-release of 3 sorts below 3, hence the <3.0a0 upper bounds conda-forge writes.
    ['>=1.21,<3', ['1.21', '1.26.4', '3.0.0rc1'], ['1.20.3', '3.0']],
    ['>=1.21,<3.0a0', ['1.26.4'], ['3.0.0rc1', '3.0.0a1', '3.0']],
    ['>=3.12,<3.13.0a0', ['3.12', '3.12.0', '3.12.7'], ['3.11.9', '3.13.0a0', '3.13.0rc1', '3.13.0']],
    ['3.11.*', ['3.11', '3.11.0', '3.11.10'], ['3.12.0', '3.1.11', '3.110']],
    ['>=1.0,<1.10.1', ['1.0', '1.9.3', '1.10.0'], ['0.19', '1.10.1']],
    ['1.2|1.4', ['1.2', '1.2.0', '1.4'], ['1.3', '1.2.1']],
    // openssl letters sort below the bare release, tzdata letters count up
    ['>=1.1.1q,<1.1.2', ['1.1.1q', '1.1.1w', '1.1.1'], ['1.1.1k', '3.0.0']],
    ['<1.1.1', ['1.1.1w', '1.1.0'], ['1.1.1']],
    ['>=2024a', ['2024a', '2024b', '2025a'], ['2023c']],
    // epochs and local versions
    ['>=1!1.0', ['1!1.2', '2!0.1'], ['2.0', '1!0.9', '9999']],
    ['=1.2', ['1.2.5'], ['1!1.2.5']],
    ['>=1.2.3', ['1.2.3+1', '1.2.4'], ['1.2.3+cuda']],
    ['==1.2.3', ['1.2.3', '1.2.3+0'], ['1.2.3+cuda', '1.2.3+1']],
    // treeify doctests: "," binds tighter than "|"; parentheses and spaces regroup
    ['1.2.3,4.5.6|<=7.8.9', ['7.0'], ['8.0']],
    ['(1.2.3|4.5.6),<=7.8.9', ['4.5.6', '1.2.3'], ['7.0']],
    ['( (1.5|((1.6|1.7), 1.8), 1.9 |2.0))|2.1', ['1.5', '2.0', '2.1'], ['1.6', '1.8', '1.9']],
    ['1.5|(1.6|1.7),1.8,1.9|2.0|2.1', ['1.5', '2.0', '2.1'], ['1.6', '1.8', '1.9']],
    // globs match the recorded text; a bare version is exact
    ['1.*.1', ['1.7.1', '1.0.1'], ['1.1', '2.7.1']],
    ['1.2', ['1.2', '1.2.0'], ['1.2.1', '1.20']],
  ];
  it.each(table)('%j matches %j and not %j', (spec, yes, no) => {
    for (const version of yes) expect(parseVersionSpec(spec).matches(version), version).toBe(true);
    for (const version of no) expect(parseVersionSpec(spec).matches(version), version).toBe(false);
    for (const version of yes) expect(matchesVersionSpec(spec, version), version).toBe(true);
  });

  // test_ver_eval_errors, test_version_spec_2, test_invalid_version_specs, test_compatible_release_versions,
  // test_pep_440_arbitrary_equality_operator, the regex cases of test_match, and our own.
  it.each([
    '><2.4.5', '!!2.4.5', '!', '(1.5', '1.5)', '1.5||1.6', '^1.5', '~', '^', '1.2+', '+1.2', '+1.2+',
    '++', 'c +, 0/|0 *', 'a[version=)|(', 'a=)(=b', '==', '=', '>=', '<=', '~=3.3.2.*', '===3.3.2',
    '^1.7.1$', '^1\\.7\\.[0-9]+$', '1.7.*|^0.*$', '^.*$', '',
    '   ', '>= 1.2', '1.2,', ',1.2', '()', '1.2(1.3)', '1.2 1.3', '~=1', '1.*[', '<>1.2', '=>1.2',
    '1.2.3@abc', '.*',
  ])('rejects the spec %j with CP_VERSION_SPEC', (spec) => {
    const error = errorOf(() => parseVersionSpec(spec));
    expect(error.code).toBe('CP_VERSION_SPEC');
    expect(error.message).toContain(`"${spec}"`);
    expect(error.hint).toMatch(/conda version spec/);
  });

  it.each([
    ['>=1.2,,<2', /column 7/],
    ['>=1.2,(<2', /"\(" at column 7 is never closed/],
    ['1.2)', /unexpected "\)" at column 4/],
    ['>=1.2,<2.x&', /"<2.x&" at column 7: "&" is not allowed/],
    ['>= 1.2', /unknown operator or a space after it/],
  ])('says where %j goes wrong', (spec, message) => {
    expect(errorOf(() => parseVersionSpec(spec)).message).toMatch(message);
  });

  it('throws CP_VERSION_SPEC when an installed version cannot be parsed', () => {
    expect(errorOf(() => matchesVersionSpec('>=1.0', '1.0&2')).code).toBe('CP_VERSION_SPEC');
    expect(matchesVersionSpec('*', '1.0&2')).toBe(true);
  });
});
