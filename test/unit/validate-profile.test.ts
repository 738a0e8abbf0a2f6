import { describe, expect, it } from 'vitest';
import { formatIssue, type Issue } from '../../src/errors.ts';
import type { ProfileSource } from '../../src/profiles/types.ts';
import { parseYamlDocument } from '../../src/profiles/yaml-document.ts';
import { profileApiVersion, validateProfile, type ProfileValidation } from '../../src/profiles/validate-profile.ts';

const FILE = 'profiles/demo.yaml';
const SOURCE: ProfileSource = { kind: 'file', location: '/abs/profiles/demo.yaml', sha256: 'f'.repeat(64) };

function validate(text: string): ProfileValidation {
  return validateProfile(parseYamlDocument(text, FILE), SOURCE, FILE);
}

function issuesOf(text: string): Issue[] {
  const result = validate(text);
  expect(result.profile).toBeUndefined();
  return result.issues;
}

/** Expects exactly one issue and returns it. */
function onlyIssue(text: string): Issue {
  const issues = issuesOf(text);
  expect(issues).toHaveLength(1);
  return issues[0] as Issue;
}

function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

// Lines 1–5 of most documents below; rules start on line 6, the first rule's `id` on line 7.
const HEAD = ['apiVersion: conda-prune/v1', 'name: demo', 'version: "1.0.0"', 'appliesTo:', '  package: demo'];

type RuleField = 'id' | 'category' | 'risk' | 'reason' | 'remove';
const RULE_DEFAULTS: Record<RuleField, string> = {
  id: 'id: tests',
  category: 'category: tests',
  risk: 'risk: safe',
  reason: 'reason: Tests are not imported at runtime.',
  remove: 'remove: ["lib/demo/tests/**"]',
};

/** One rule as YAML sequence-item lines; a field set to null is left out, extra lines follow. */
function rule(fields: Partial<Record<RuleField, string | null>> = {}, extra: string[] = []): string[] {
  const lines = (Object.keys(RULE_DEFAULTS) as RuleField[])
    .map((field) => (field in fields ? fields[field] : RULE_DEFAULTS[field]))
    .filter((line): line is string => line !== null && line !== undefined)
    .concat(extra);
  return lines.map((line, index) => `${index === 0 ? '  - ' : '    '}${line}`);
}

const VALID = yaml(
  'apiVersion: conda-prune/v1',
  'name: demo',
  'version: "1.2.3"',
  'description: A demo profile',
  'appliesTo:',
  '  package: demo',
  '  versions: ">=1.0,<2"',
  'rules:',
  '  - id: tests',
  '    category: tests',
  '    risk: safe',
  '    reason: Tests are not imported at runtime.',
  '    remove:',
  '      - "{site-packages}/demo/**/tests/**"',
  '    keep:',
  '      - "{site-packages}/demo/tests/conftest.py"',
  '  - id: pyc',
  '    category: bytecode',
  '    risk: moderate',
  '    scope: unowned',
  '    reason: Regenerated on import.',
  '    remove: ["**/__pycache__/*.pyc"]',
  'verify:',
  '  imports: [demo, demo.core]',
);

describe('validateProfile: a valid profile', () => {
  it('normalises the written shape, with defaults for scope, keep, extends and description', () => {
    const result = validate(VALID);
    expect(result.issues).toEqual([]);
    expect(result.profile).toEqual({
      name: 'demo',
      version: '1.2.3',
      description: 'A demo profile',
      appliesTo: { package: 'demo', versions: '>=1.0,<2' },
      extends: [],
      rules: [
        {
          id: 'tests',
          category: 'tests',
          risk: 'safe',
          reason: 'Tests are not imported at runtime.',
          scope: 'owned',
          remove: ['{site-packages}/demo/**/tests/**'],
          keep: ['{site-packages}/demo/tests/conftest.py'],
        },
        {
          id: 'pyc',
          category: 'bytecode',
          risk: 'moderate',
          reason: 'Regenerated on import.',
          scope: 'unowned',
          remove: ['**/__pycache__/*.pyc'],
          keep: [],
        },
      ],
      verify: { imports: ['demo', 'demo.core'] },
      source: SOURCE,
    });
    expect(result.profile).not.toHaveProperty('maxRisk');
  });

  it('accepts a preset that only extends, with maxRisk and no appliesTo', () => {
    const result = validate(yaml('apiVersion: conda-prune/v1', 'name: mine', 'version: "0.1.0-rc.1+build.5"', 'maxRisk: moderate', 'extends: [builtin:scipy, ./local.yaml]'));
    expect(result.issues).toEqual([]);
    expect(result.profile).toMatchObject({ name: 'mine', version: '0.1.0-rc.1+build.5', maxRisk: 'moderate', extends: ['builtin:scipy', './local.yaml'], rules: [], description: '' });
    expect(result.profile).not.toHaveProperty('appliesTo');
  });

  it('accepts a generic profile for every package ("*") and an unquoted dotted version string', () => {
    // 1.2.0 has two dots, so YAML reads it as a string, not a number.
    const result = validate(yaml('apiVersion: conda-prune/v1', 'name: generic', 'version: 1.2.0', 'appliesTo:', '  package: "*"', 'rules:', ...rule()));
    expect(result.issues).toEqual([]);
    expect(result.profile?.version).toBe('1.2.0');
    expect(result.profile?.appliesTo).toEqual({ package: '*' });
  });
});

describe('validateProfile: every problem at once', () => {
  const BROKEN = yaml(
    'apiVersion: conda-prune/v2', //                          1
    'name: Bad Name', //                                      2
    'version: "1.2"', //                                      3
    'foo: 1', //                                              4
    'appliesTo:', //                                          5
    '  package: demo', //                                     6
    'rules:', //                                              7
    '  - id: a', //                                           8
    '    category: tests', //                                 9
    '    risk: safe', //                                      10
    '    reason: ok', //                                      11
    '    remove: ["lib/**"]', //                              12
    '  - id: a', //                                           13
    '    category: nope', //                                  14
    '    risk: extreme', //                                   15
    '    scope: everywhere', //                               16
    '    remove: []', //                                      17
    '    bogus: 1', //                                        18
    '  - id: Bad_Id', //                                      19
    '    category: tests', //                                 20
    '    risk: safe', //                                      21
    '    reason: ""', //                                      22
    '    remove: ["/etc/**", "../x/**", "{site-packages}/../../x", "{prefix}/lib/**"]', // 23
    'verify:', //                                             24
    '  imports: ssl', //                                      25
  );

  it('reports all seventeen problems in one result, each with file, line, column and dotted path', () => {
    const issues = issuesOf(BROKEN);
    const where = issues.map((issue) => `${issue.file}:${issue.line}:${issue.column} ${issue.path}`).sort();
    expect(where).toEqual(
      [
        `${FILE}:4:1 foo`,
        `${FILE}:1:13 apiVersion`,
        `${FILE}:2:7 name`,
        `${FILE}:3:10 version`,
        `${FILE}:18:5 rules[1].bogus`,
        `${FILE}:13:9 rules[1].id`,
        `${FILE}:14:15 rules[1].category`,
        `${FILE}:15:11 rules[1].risk`,
        `${FILE}:13:5 rules[1].reason`,
        `${FILE}:16:12 rules[1].scope`,
        `${FILE}:17:13 rules[1].remove`,
        `${FILE}:19:9 rules[2].id`,
        `${FILE}:22:13 rules[2].reason`,
        `${FILE}:23:14 rules[2].remove[0]`,
        `${FILE}:23:25 rules[2].remove[1]`,
        `${FILE}:23:36 rules[2].remove[2]`,
        `${FILE}:23:63 rules[2].remove[3]`,
        `${FILE}:25:12 verify.imports`,
      ].sort(),
    );
    for (const issue of issues) expect(issue.message).not.toBe('');
  });

  it('formats an issue as file:line:col: path: message', () => {
    const issue = issuesOf(BROKEN).find((item) => item.path === 'rules[2].remove[0]') as Issue;
    expect(formatIssue(issue)).toBe(`${FILE}:23:14: rules[2].remove[0]: "/etc/**" is absolute or climbs out with ".."; globs are relative to the prefix`);
  });
});

describe('validateProfile: YAML problems', () => {
  it('reports a syntax error with its position and stops there', () => {
    expect(onlyIssue(yaml('apiVersion: conda-prune/v1', '\tname: demo'))).toEqual({
      file: FILE,
      line: 2,
      column: 1,
      path: '',
      message: 'Tabs are not allowed as indentation',
    });
  });

  it('reports an unterminated flow sequence at the line where YAML gives up', () => {
    const issue = onlyIssue(yaml('apiVersion: conda-prune/v1', 'name: [demo', 'version: "1.0.0"'));
    expect(issue).toMatchObject({ file: FILE, line: 3, column: 1, path: '' });
    expect(issue.message).toMatch(/end with a \]/);
  });

  it('reports a duplicate key at the second occurrence', () => {
    expect(onlyIssue(yaml(...HEAD, 'rules:', '  - id: a', '    id: b'))).toEqual({
      file: FILE,
      line: 8,
      column: 5,
      path: '',
      message: 'Map keys must be unique',
    });
  });

  it('reports a duplicate top-level key', () => {
    expect(onlyIssue(yaml('apiVersion: conda-prune/v1', 'name: demo', 'name: other'))).toMatchObject({ line: 3, column: 1, message: 'Map keys must be unique' });
  });

  it('refuses several YAML documents in one file, pointing at the separator', () => {
    const issue = onlyIssue(yaml(...HEAD, 'extends: [x]', '---', ...HEAD, 'extends: [y]'));
    expect(issue).toMatchObject({ file: FILE, line: 7, column: 1, path: '' });
    expect(issue.message).toMatch(/multiple documents/);
  });

  it('refuses a document that is a list, not a mapping', () => {
    expect(onlyIssue(yaml('- apiVersion: conda-prune/v1', '- name: demo'))).toEqual({ file: FILE, line: 1, column: 1, path: '', message: 'must be a mapping' });
  });

  it('refuses a document that is a plain scalar', () => {
    expect(onlyIssue('conda-prune\n')).toEqual({ file: FILE, line: 1, column: 1, path: '', message: 'must be a mapping' });
  });

  it('refuses an empty file', () => {
    expect(onlyIssue('')).toMatchObject({ file: FILE, path: '', message: 'must be a mapping' });
  });

  it('refuses an unresolved tag (a warning in YAML) instead of ignoring it', () => {
    expect(onlyIssue(yaml(...HEAD, 'extends: !include x'))).toMatchObject({ line: 6, column: 10, path: '', message: 'Unresolved tag: !include' });
  });

  it('defuses a "billion laughs" alias bomb: one issue, quickly, without expanding it', () => {
    const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let level = 1; level < 10; level++) {
      const name = String.fromCharCode(97 + level);
      const previous = String.fromCharCode(96 + level);
      lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]`);
    }
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const issue = onlyIssue(yaml(...lines));
    expect(performance.now() - started).toBeLessThan(2_000);
    // Fully expanded, j alone would be 9^10 strings; the cap stops it after ~100 aliases.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    expect(issue).toMatchObject({ file: FILE, path: '' });
    expect(issue.message).toMatch(/resource exhaustion/);
  });

  it('turns absurdly deep nesting into issues, not a crash', () => {
    const depth = 100_000;
    const issues = issuesOf(`a: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.file).toBe(FILE);
  });

  it('refuses text over 1 MiB before parsing it', () => {
    const text = `# ${'x'.repeat(1024 * 1024)}\n`;
    expect(onlyIssue(text)).toEqual({ file: FILE, path: '', message: 'the file is larger than 1048576 bytes; refusing to parse it' });
  });

  // An undefined alias is not an alias bomb, and deserves the position of the alias.
  it('reports an undefined alias as such, with its position', () => {
    const issue = onlyIssue(yaml(...HEAD, 'extends: *nope'));
    expect(issue.message).not.toMatch(/more than 100 aliases/);
    expect(issue).toMatchObject({ line: 6, column: 10 });
  });
});

describe('validateProfile: top-level fields', () => {
  it('requires apiVersion conda-prune/v1', () => {
    expect(profileApiVersion).toBe('conda-prune/v1');
    expect(onlyIssue(yaml('apiVersion: conda-prune/v2', ...HEAD.slice(1), 'rules:', ...rule()))).toEqual({
      file: FILE,
      line: 1,
      column: 13,
      path: 'apiVersion',
      message: 'must be "conda-prune/v1"',
    });
  });

  it('reports a missing apiVersion at the document start', () => {
    expect(onlyIssue(yaml(...HEAD.slice(1), 'rules:', ...rule()))).toEqual({ file: FILE, line: 1, column: 1, path: 'apiVersion', message: 'must be "conda-prune/v1"' });
  });

  it('requires a name', () => {
    expect(onlyIssue(yaml('apiVersion: conda-prune/v1', 'version: "1.0.0"', 'extends: [x]'))).toEqual({ file: FILE, line: 1, column: 1, path: 'name', message: 'is required' });
  });

  it('refuses a name that is not a conda package name', () => {
    expect(onlyIssue(yaml('apiVersion: conda-prune/v1', 'name: SciPy', 'version: "1.0.0"', 'extends: [x]'))).toEqual({
      file: FILE,
      line: 2,
      column: 7,
      path: 'name',
      message: '"SciPy" is not a conda package name (lowercase letters, digits, _ . + -)',
    });
  });

  it('refuses an empty name and a numeric name', () => {
    expect(onlyIssue(yaml('apiVersion: conda-prune/v1', 'name: ""', 'version: "1.0.0"', 'extends: [x]'))).toMatchObject({ path: 'name', message: 'must be a non-empty string' });
    expect(onlyIssue(yaml('apiVersion: conda-prune/v1', 'name: 42', 'version: "1.0.0"', 'extends: [x]'))).toMatchObject({ line: 2, column: 7, path: 'name', message: 'must be a non-empty string' });
  });

  it('explains an unquoted version that YAML read as a number (1.10 → 1.1)', () => {
    const issue = onlyIssue(yaml('apiVersion: conda-prune/v1', 'name: demo', 'version: 1.10', 'extends: [x]'));
    expect(issue).toMatchObject({ file: FILE, line: 3, column: 10, path: 'version' });
    expect(issue.message).toContain('1.10');
    expect(issue.message).toContain('number 1.1;');
    expect(issue.message).toContain('quotes');
  });

  it('refuses a version that is not semver', () => {
    expect(onlyIssue(yaml('apiVersion: conda-prune/v1', 'name: demo', 'version: "1.2"', 'extends: [x]'))).toEqual({
      file: FILE,
      line: 3,
      column: 10,
      path: 'version',
      message: '"1.2" is not a semantic version such as "1.2.0"',
    });
    expect(onlyIssue(yaml('apiVersion: conda-prune/v1', 'name: demo', 'version: "v1.2.0"', 'extends: [x]'))).toMatchObject({ path: 'version' });
  });

  it('requires a version', () => {
    expect(onlyIssue(yaml('apiVersion: conda-prune/v1', 'name: demo', 'extends: [x]'))).toEqual({ file: FILE, line: 1, column: 1, path: 'version', message: 'is required' });
  });

  it('reports an unknown top-level key at the key, not its value', () => {
    expect(onlyIssue(yaml(...HEAD, 'rules:', ...rule(), 'verfiy:', '  imports: [demo]'))).toEqual({
      file: FILE,
      line: 12,
      column: 1,
      path: 'verfiy',
      message: 'unknown key "verfiy" (allowed: apiVersion, name, version, description, appliesTo, extends, maxRisk, rules, verify)',
    });
  });

  it('refuses a maxRisk outside safe, moderate, aggressive', () => {
    expect(onlyIssue(yaml('apiVersion: conda-prune/v1', 'name: demo', 'version: "1.0.0"', 'maxRisk: reckless', 'extends: [x]'))).toEqual({
      file: FILE,
      line: 4,
      column: 10,
      path: 'maxRisk',
      message: '"reckless" is not one of safe, moderate, aggressive',
    });
  });

  it('refuses extends that is not a list of strings', () => {
    // The list is unusable, so the preset also has nothing to extend: both are reported.
    expect(issuesOf(yaml('apiVersion: conda-prune/v1', 'name: demo', 'version: "1.0.0"', 'extends: builtin:scipy'))).toEqual([
      { file: FILE, line: 4, column: 10, path: 'extends', message: 'must be a list of strings' },
      { file: FILE, line: 1, column: 1, path: 'rules', message: 'a profile needs rules, or extends to build a preset' },
    ]);
    expect(onlyIssue(yaml('apiVersion: conda-prune/v1', 'name: demo', 'version: "1.0.0"', 'extends: [builtin:scipy, 3]'))).toMatchObject({
      line: 4,
      column: 26,
      path: 'extends[1]',
      message: 'must be a non-empty string',
    });
  });

  it('refuses a profile with neither rules nor extends', () => {
    expect(onlyIssue(yaml(...HEAD))).toEqual({ file: FILE, line: 1, column: 1, path: 'rules', message: 'a profile needs rules, or extends to build a preset' });
    expect(onlyIssue(yaml(...HEAD, 'rules: []', 'extends: []'))).toMatchObject({ line: 6, column: 8, path: 'rules' });
  });

  it('refuses rules without appliesTo', () => {
    expect(onlyIssue(yaml('apiVersion: conda-prune/v1', 'name: demo', 'version: "1.0.0"', 'rules:', ...rule()))).toEqual({
      file: FILE,
      line: 1,
      column: 1,
      path: 'appliesTo',
      message: 'a profile with rules needs appliesTo.package',
    });
  });

  it('refuses rules that are not a list', () => {
    expect(issuesOf(yaml(...HEAD, 'rules:', '  tests: {}', 'extends: [x]'))).toEqual([{ file: FILE, line: 7, column: 3, path: 'rules', message: 'must be a list of rules' }]);
  });

  it('refuses verify.imports that is not a list', () => {
    expect(onlyIssue(yaml(...HEAD, 'rules:', ...rule(), 'verify:', '  imports: scipy.linalg'))).toEqual({
      file: FILE,
      line: 13,
      column: 12,
      path: 'verify.imports',
      message: 'must be a list of strings',
    });
  });

  it('refuses an unknown key under verify, and verify that is not a mapping', () => {
    expect(onlyIssue(yaml(...HEAD, 'rules:', ...rule(), 'verify:', '  run: [pytest]'))).toMatchObject({ line: 13, column: 3, path: 'verify.run' });
    expect(onlyIssue(yaml(...HEAD, 'rules:', ...rule(), 'verify: [demo]'))).toMatchObject({ line: 12, column: 9, path: 'verify', message: 'must be a mapping' });
  });

  it('reports a "__proto__" key as unknown rather than letting it through', () => {
    expect(onlyIssue(yaml(...HEAD, 'rules:', ...rule(), '__proto__: {}'))).toMatchObject({ line: 12, column: 1, path: '__proto__' });
  });
});

describe('validateProfile: appliesTo', () => {
  const head = ['apiVersion: conda-prune/v1', 'name: demo', 'version: "1.0.0"', 'appliesTo:'];

  it('explains an unquoted version spec that YAML read as a number', () => {
    const issue = onlyIssue(yaml(...head, '  package: demo', '  versions: 1.10', 'rules:', ...rule()));
    expect(issue).toMatchObject({ file: FILE, line: 6, column: 13, path: 'appliesTo.versions' });
    expect(issue.message).toBe('unquoted version spec: YAML reads 1.10 as the number 1.1; write it in quotes');
  });

  it('passes on the version-spec parser message for a bad operator', () => {
    expect(onlyIssue(yaml(...head, '  package: demo', '  versions: "=>1.0"', 'rules:', ...rule()))).toEqual({
      file: FILE,
      line: 6,
      column: 13,
      path: 'appliesTo.versions',
      message: 'invalid version spec "=>1.0": "=>1.0" at column 1 has an unknown operator or a space after it',
    });
  });

  it('passes on the version-spec parser message for a dangling comma', () => {
    expect(onlyIssue(yaml(...head, '  package: demo', '  versions: ">=1,"', 'rules:', ...rule()))).toMatchObject({
      path: 'appliesTo.versions',
      message: 'invalid version spec ">=1,": expected a version constraint at column 5, found the end',
    });
  });

  it('refuses an unknown key under appliesTo at the key', () => {
    const issues = issuesOf(yaml(...head, '  package: demo', '  version: ">=1"', 'rules:', ...rule()));
    expect(issues).toEqual([{ file: FILE, line: 6, column: 3, path: 'appliesTo.version', message: 'unknown key "version" (allowed: package, versions)' }]);
  });

  it('refuses a package that is not a conda name', () => {
    const issues = issuesOf(yaml(...head, '  package: Demo', 'rules:', ...rule()));
    expect(issues[0]).toEqual({ file: FILE, line: 5, column: 12, path: 'appliesTo.package', message: '"Demo" is not a conda package name or "*"' });
  });

  it('refuses appliesTo that is not a mapping', () => {
    expect(issuesOf(yaml('apiVersion: conda-prune/v1', 'name: demo', 'version: "1.0.0"', 'appliesTo: demo', 'rules:', ...rule()))[0]).toMatchObject({
      line: 4,
      column: 12,
      path: 'appliesTo',
      message: 'must be a mapping',
    });
  });

  // Every problem at once: a bad package name must not hide a bad versions spec beside it.
  it('reports a bad package and a bad version spec together', () => {
    const issues = issuesOf(yaml(...head, '  package: Demo', '  versions: "=>1.0"', 'rules:', ...rule()));
    expect(issues.map((issue) => issue.path)).toContain('appliesTo.versions');
  });
});

describe('validateProfile: rules', () => {
  // A valid last rule keeps the profile from also being reported as having no rules at all.
  const withRules = (...rules: string[][]): string => yaml(...HEAD, 'rules:', ...rules.flat(), ...rule({ id: 'id: valid-last' }));

  it('reports an unknown rule key at the key', () => {
    expect(onlyIssue(withRules(rule({}, ['removes: ["x/**"]'])))).toEqual({
      file: FILE,
      line: 12,
      column: 5,
      path: 'rules[0].removes',
      message: 'unknown key "removes" (allowed: id, category, risk, reason, scope, lastStep, remove, keep)',
    });
  });

  it('refuses an unknown category', () => {
    expect(onlyIssue(withRules(rule({ category: 'category: test' })))).toEqual({
      file: FILE,
      line: 8,
      column: 15,
      path: 'rules[0].category',
      message: '"test" is not one of tests, sources, static-libs, shared-libs, headers, bytecode, docs, sourcemaps, sanitizers, tools, stdlib-extras, build-files, examples, data, metadata',
    });
  });

  it('refuses an unknown risk', () => {
    expect(onlyIssue(withRules(rule({ risk: 'risk: low' })))).toEqual({ file: FILE, line: 9, column: 11, path: 'rules[0].risk', message: '"low" is not one of safe, moderate, aggressive' });
  });

  it('requires a risk, listing the choices', () => {
    expect(onlyIssue(withRules(rule({ risk: null })))).toEqual({ file: FILE, line: 7, column: 5, path: 'rules[0].risk', message: 'is required (one of safe, moderate, aggressive)' });
  });

  it('refuses an unknown scope', () => {
    expect(onlyIssue(withRules(rule({}, ['scope: disk'])))).toEqual({ file: FILE, line: 12, column: 12, path: 'rules[0].scope', message: '"disk" is not one of owned, unowned' });
  });

  it('requires a reason, pointing at the rule', () => {
    expect(onlyIssue(withRules(rule({ reason: null })))).toEqual({ file: FILE, line: 7, column: 5, path: 'rules[0].reason', message: 'is required' });
  });

  it('refuses an empty reason', () => {
    expect(onlyIssue(withRules(rule({ reason: 'reason: ""' })))).toEqual({ file: FILE, line: 10, column: 13, path: 'rules[0].reason', message: 'must be a non-empty string' });
  });

  it('requires remove', () => {
    expect(onlyIssue(withRules(rule({ remove: null })))).toEqual({ file: FILE, line: 7, column: 5, path: 'rules[0].remove', message: 'is required (a list of globs)' });
  });

  it('refuses an empty remove list', () => {
    expect(onlyIssue(withRules(rule({ remove: 'remove: []' })))).toEqual({ file: FILE, line: 11, column: 13, path: 'rules[0].remove', message: 'must list at least one glob' });
  });

  it('refuses remove written as one string', () => {
    expect(onlyIssue(withRules(rule({ remove: 'remove: "lib/**"' })))).toEqual({ file: FILE, line: 11, column: 13, path: 'rules[0].remove', message: 'must be a list of strings' });
  });

  it('refuses a duplicate rule id at the second rule', () => {
    expect(onlyIssue(withRules(rule(), rule()))).toEqual({ file: FILE, line: 12, column: 9, path: 'rules[1].id', message: 'duplicate rule id "tests"' });
  });

  it('refuses an invalid rule id', () => {
    expect(onlyIssue(withRules(rule({ id: 'id: Tests_1' })))).toEqual({ file: FILE, line: 7, column: 9, path: 'rules[0].id', message: '"Tests_1" is not lowercase letters, digits and -' });
    expect(onlyIssue(withRules(rule({ id: 'id: -tests' })))).toMatchObject({ path: 'rules[0].id' });
  });

  it('refuses a rule that is not a mapping', () => {
    expect(onlyIssue(yaml(...HEAD, 'rules:', ...rule(), '  - tests'))).toEqual({ file: FILE, line: 12, column: 5, path: 'rules[1]', message: 'must be a mapping' });
  });

  it.each([
    ['/etc/**', 14],
    ['../x/**', 14],
    ['lib/../../x', 14],
    ['{site-packages}/../../x', 14],
    ['{stdlib}/..', 14],
    ['C:/Windows/**', 14],
    ['lib\\..\\..\\x', 14],
    ['./../x', 14],
  ])('refuses the glob %s as absolute or climbing out of the prefix', (glob, column) => {
    const written = JSON.stringify(glob);
    expect(onlyIssue(withRules(rule({ remove: `remove: [${written}]` })))).toEqual({
      file: FILE,
      line: 11,
      column,
      path: 'rules[0].remove[0]',
      message: `"${glob}" is absolute or climbs out with ".."; globs are relative to the prefix`,
    });
  });

  it('checks keep globs too, at their own dotted path', () => {
    expect(onlyIssue(withRules(rule({}, ['keep: ["lib/ok/**", "/etc/passwd"]'])))).toMatchObject({ line: 12, column: 25, path: 'rules[0].keep[1]' });
  });

  it('reports the glob at rules[2].remove[1] in a longer file', () => {
    const third = rule({ id: 'id: third', remove: 'remove:' }, ['  - "lib/ok/**"', '  - "../up/**"']);
    // third rule starts on line 17; remove: on 21; its second item on 23, column 9.
    expect(onlyIssue(withRules(rule({ id: 'id: one' }), rule({ id: 'id: two' }), third))).toEqual({
      file: FILE,
      line: 23,
      column: 9,
      path: 'rules[2].remove[1]',
      message: '"../up/**" is absolute or climbs out with ".."; globs are relative to the prefix',
    });
  });

  it('refuses an unknown placeholder such as {prefix}', () => {
    expect(onlyIssue(withRules(rule({ remove: 'remove: ["{prefix}/lib/**"]' })))).toEqual({
      file: FILE,
      line: 11,
      column: 14,
      path: 'rules[0].remove[0]',
      message: 'unknown placeholder {prefix} (known: {site-packages}, {stdlib})',
    });
  });

  it('leaves brace alternatives alone: {a,b} is a glob, not a placeholder', () => {
    expect(validate(withRules(rule({ remove: 'remove: ["{site-packages}/demo/{tests,testing}/**"]' }))).issues).toEqual([]);
  });

  // A brace alternative must not hide an absolute path or "..": fast-glob (scope: unowned) expands
  // the braces and would walk outside the prefix ("{/abs/dir,lib}/**" returns files under /abs/dir).
  it('refuses an absolute path hidden in a brace alternative', () => {
    expect(onlyIssue(withRules(rule({ remove: 'remove: ["{/etc,lib}/**"]' }, ['scope: unowned'])))).toMatchObject({ path: 'rules[0].remove[0]' });
  });

  // The same, with ".." inside the braces.
  it('refuses ".." hidden in a brace alternative', () => {
    expect(onlyIssue(withRules(rule({ remove: 'remove: ["{..,lib}/etc/**"]' })))).toMatchObject({ path: 'rules[0].remove[0]' });
  });
});
