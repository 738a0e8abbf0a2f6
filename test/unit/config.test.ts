import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/validate-config.ts';
import { parseLockfile, renderLockfile, type Lockfile } from '../../src/lockfile/lockfile.ts';
import { parseReference } from '../../src/profiles/reference.ts';
import { parseYamlDocument } from '../../src/profiles/yaml-document.ts';
import { parseRegistryIndex, renderRegistryIndex } from '../../src/registry/registry-index.ts';
import { checkRegistryUrl, isLoopback } from '../../src/registry/fetch-resource.ts';
import { errorOf } from '../helpers/error-of.ts';

const FILE = '/project/conda-prune.yaml';
const SHA = 'a'.repeat(64);

function validate(text: string): ReturnType<typeof validateConfig> {
  return validateConfig(parseYamlDocument(text, FILE), FILE);
}

describe('validateConfig', () => {
  it('reads the full shape of the issue', () => {
    const { config, issues } = validate(`registries:
  team: https://profiles.example.org/conda-prune
  local: ./registry
preset: default
profiles:
  - team/team-scipy@^1
  - ./profiles/local.yaml
disable: [numpy/tests, pandas]
keep: ["{site-packages}/pandas/_testing/**"]
maxRisk: moderate
verify:
  imports: [fastapi, lightgbm]
  run: ["gunicorn --version"]
`);
    expect(issues).toEqual([]);
    expect(config).toEqual({
      file: FILE,
      directory: '/project',
      registries: { team: 'https://profiles.example.org/conda-prune/', local: 'file:///project/registry/' },
      preset: 'default',
      profiles: ['team/team-scipy@^1', './profiles/local.yaml'],
      disable: ['numpy/tests', 'pandas'],
      keep: ['{site-packages}/pandas/_testing/**'],
      maxRisk: 'moderate',
      verify: { imports: ['fastapi', 'lightgbm'], run: ['gunicorn --version'] },
    });
  });

  it('accepts an empty file as a config that changes nothing', () => {
    expect(validate('').config).toMatchObject({ registries: {}, profiles: [], disable: [], keep: [] });
  });

  it('reports every problem at once, each with line, column and dotted path', () => {
    const { config, issues } = validate(`registries:
  team: http://profiles.example.org/
  Bad: https://x.example/
preset: 3
profiles: [ok.yaml, ""]
disable: ["Numpy/Tests"]
keep: ["/etc/**", "{site-packages}/../x", "{sitepackages}/x"]
maxRisk: reckless
verify: { imports: fastapi, commands: [] }
colour: blue
`);
    expect(config).toBeUndefined();
    expect(issues.map((issue) => `${issue.line}:${issue.column} ${issue.path}: ${issue.message}`)).toEqual([
      '10:1 colour: unknown key "colour" (allowed: apiVersion, registries, preset, profiles, disable, keep, maxRisk, verify)',
      '2:9 registries.team: refusing to download from http://profiles.example.org/: plain http is only allowed for loopback addresses',
      '3:3 registries.Bad: "Bad" is not a registry name (lowercase letters, digits, _ . -; not "builtin")',
      '4:9 preset: YAML reads 3 as the number 3; write it in quotes',
      '5:21 profiles[1]: must be a non-empty string',
      '6:11 disable[0]: "Numpy/Tests" is not PROFILE or PROFILE/RULE',
      '7:8 keep[0]: "/etc/**" is absolute or climbs out with ".."; globs are relative to the prefix',
      '7:19 keep[1]: "{site-packages}/../x" is absolute or climbs out with ".."; globs are relative to the prefix',
      '7:43 keep[2]: unknown placeholder {sitepackages} (known: {site-packages}, {stdlib})',
      '8:10 maxRisk: "reckless" is not one of safe, moderate, aggressive',
      '9:29 verify.commands: unknown key "commands" (allowed: imports, run)',
      '9:20 verify.imports: must be a list of strings',
    ]);
    expect(issues.every((issue) => issue.file === FILE)).toBe(true);
  });

  it('refuses YAML syntax errors and alias bombs like a profile', () => {
    expect(validate('profiles: [a, b\n').issues[0]?.line).toBeDefined();
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, level) => `${String.fromCharCode(98 + level)}: &${String.fromCharCode(98 + level)} [${Array(9).fill(`*${String.fromCharCode(97 + level)}`).join(', ')}]`)].join('\n');
    expect(validate(bomb).issues[0]?.message).toMatch(/resource exhaustion|alias/);
  });
});

describe('registry references', () => {
  const teams = new Set(['team']);

  it('reads REGISTRY/NAME@RANGE when the registry is configured', () => {
    expect(parseReference('team/team-scipy@^1', '/p', teams)).toEqual({ kind: 'registry', registry: 'team', name: 'team-scipy', range: '^1' });
    expect(parseReference('team/x@>=1.2.0 <2', '/p', teams)).toEqual({ kind: 'registry', registry: 'team', name: 'x', range: '>=1.2.0 <2' });
  });

  it('refuses an unconfigured registry, naming it', () => {
    const error = errorOf(() => parseReference('other/x@^1', '/p', teams));
    expect(error.code).toBe('CP_BAD_REFERENCE');
    expect(error.hint).toContain('no registry "other" is configured');
  });

  it('refuses a reference without a range, or with one semver cannot read', () => {
    expect(errorOf(() => parseReference('team/x', '/p', teams)).code).toBe('CP_BAD_REFERENCE');
    const error = errorOf(() => parseReference('team/x@latest', '/p', teams));
    expect(error.message).toBe('"team/x@latest": "latest" is not a semver range');
    expect(errorOf(() => parseReference('team/Bad@^1', '/p', teams)).message).toContain('is not a valid profile name');
  });

  it('still reads a path with a slash as a file, never a registry', () => {
    expect(parseReference('./team/x@1.yaml', '/p', teams)).toEqual({ kind: 'file', path: '/p/team/x@1.yaml' });
  });
});

describe('registry index', () => {
  const index = `apiVersion: conda-prune/v1
profiles:
  scipy:
    - { version: "1.0.0", path: scipy/1.0.0.yaml, sha256: ${SHA} }
    - { version: "1.10.0", path: scipy/1.10.0.yaml, sha256: ${SHA} }
`;

  it('reads versions highest first, and renders the same content deterministically', () => {
    const parsed = parseRegistryIndex(index, 'index.yaml');
    expect(parsed.profiles.get('scipy')?.map((entry) => entry.version)).toEqual(['1.10.0', '1.0.0']);
    const rendered = renderRegistryIndex(parsed);
    expect(renderRegistryIndex(parseRegistryIndex(rendered, 'index.yaml'))).toBe(rendered);
  });

  it('reports paths that leave the registry, bad hashes and duplicates, all at once', () => {
    const bad = `apiVersion: conda-prune/v1
profiles:
  scipy:
    - { version: "1.0.0", path: ../../etc/x.yaml, sha256: ${SHA} }
    - { version: "1.0.0", path: /abs.yaml, sha256: XYZ }
    - { version: 1.1, path: scipy.yaml, sha256: ${SHA} }
`;
    const error = errorOf(() => parseRegistryIndex(bad, 'index.yaml'));
    expect(error.code).toBe('CP_REGISTRY_INVALID');
    expect(error.issues.map((issue) => `${issue.line} ${issue.path}: ${issue.message}`)).toEqual([
      '4 profiles.scipy[0].path: "../../etc/x.yaml" is not a relative path to a .yaml file',
      '5 profiles.scipy[1].version: version 1.0.0 is listed twice',
      '5 profiles.scipy[1].path: "/abs.yaml" is not a relative path to a .yaml file',
      '5 profiles.scipy[1].sha256: "XYZ" is not a sha256 in lowercase hex',
      '6 profiles.scipy[2].version: YAML reads 1.1 as the number 1.1; write it in quotes',
    ]);
  });
});

describe('lockfile', () => {
  const lockfile: Lockfile = {
    registries: { team: 'https://r.example/' },
    profiles: [
      { reference: 'team/x@^1', name: 'x', version: '1.2.0', sha256: SHA, url: 'https://r.example/x/1.2.0.yaml' },
      { reference: 'builtin:numpy', name: 'numpy', version: '1.0.0', sha256: SHA },
    ],
  };

  it('renders sorted by reference, and reads back what it wrote', () => {
    const text = renderLockfile(lockfile);
    expect(text.indexOf('builtin:numpy')).toBeLessThan(text.indexOf('team/x@^1'));
    expect(renderLockfile({ ...lockfile, profiles: [...lockfile.profiles].reverse() })).toBe(text);
    expect(parseLockfile(text, 'conda-prune.lock')).toEqual({ registries: lockfile.registries, profiles: [lockfile.profiles[1], lockfile.profiles[0]] });
  });

  it('refuses an edited lockfile with CP_LOCKFILE_INVALID and the line of each problem', () => {
    const error = errorOf(() => parseLockfile(renderLockfile(lockfile).replace(`sha256: "${SHA}"`, 'sha256: nope'), 'conda-prune.lock'));
    expect(error.code).toBe('CP_LOCKFILE_INVALID');
    expect(error.issues).toEqual([{ file: 'conda-prune.lock', line: 9, column: 13, path: 'profiles[0].sha256', message: '"nope" is not a sha256 in lowercase hex' }]);
  });
});

describe('registry URLs', () => {
  it('allows https, file and loopback http only', () => {
    expect(checkRegistryUrl('https://r.example/').href).toBe('https://r.example/');
    expect(checkRegistryUrl('file:///srv/registry/').protocol).toBe('file:');
    expect(checkRegistryUrl('http://127.0.0.1:8080/').port).toBe('8080');
    expect(checkRegistryUrl('http://[::1]/').hostname).toBe('[::1]');
    for (const url of ['http://r.example/', 'http://10.0.0.1/', 'ftp://r.example/', 'not a url']) expect(errorOf(() => checkRegistryUrl(url)).code).toBe('CP_REGISTRY_REFUSED');
    expect(isLoopback('127.8.9.10')).toBe(true);
    expect(isLoopback('127.0.0.1.example.org')).toBe(false);
  });
});
