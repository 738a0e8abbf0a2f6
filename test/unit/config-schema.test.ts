/**
 * The published JSON Schemas of the config file and the registry index must agree with the
 * validators: editors check files with the one, conda-prune with the other.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PruneError } from '../../src/errors.ts';
import { validateConfig } from '../../src/config/validate-config.ts';
import { parseYamlDocument } from '../../src/profiles/yaml-document.ts';
import { parseRegistryIndex, renderRegistryIndex } from '../../src/registry/registry-index.ts';
import { buildRegistryIndex } from '../../src/registry/build-index.ts';
import { builtinProfilesDirectory } from '../../src/profiles/builtin-profiles.ts';

const ajv = new Ajv2020({ allErrors: true });
const checkConfig = ajv.compile(JSON.parse(readFileSync(new URL('../../schema/config.schema.json', import.meta.url), 'utf8')));
const checkIndex = ajv.compile(JSON.parse(readFileSync(new URL('../../schema/registry-index.schema.json', import.meta.url), 'utf8')));

const validConfig = `registries:
  team: https://profiles.example.org/conda-prune/
  local: http://127.0.0.1:8080/
  dir: ./registry
preset: default
profiles: [team/team-scipy@^1, ./profiles/local.yaml]
disable: [numpy/tests]
keep: ["{site-packages}/pandas/_testing/**"]
maxRisk: moderate
verify: { imports: [fastapi], run: ["gunicorn --version"] }
`;

const invalidConfigs: Record<string, string> = {
  'unknown key': `${validConfig}colour: blue\n`,
  'plain http to another host': validConfig.replace('http://127.0.0.1:8080/', 'http://profiles.example.org/'),
  'ftp registry': validConfig.replace('http://127.0.0.1:8080/', 'ftp://127.0.0.1/'),
  'registry named builtin': validConfig.replace('local:', 'builtin:'),
  'uppercase registry name': validConfig.replace('local:', 'Local:'),
  'bad risk': validConfig.replace('maxRisk: moderate', 'maxRisk: yolo'),
  'absolute keep': validConfig.replace('{site-packages}/pandas/_testing/**', '/etc/**'),
  'climbing keep': validConfig.replace('{site-packages}/pandas/_testing/**', 'lib/../../etc'),
  'bad disable': validConfig.replace('numpy/tests', 'NumPy/Tests'),
  'profiles not a list': validConfig.replace('profiles: [team/team-scipy@^1, ./profiles/local.yaml]', 'profiles: team/x@^1'),
  'unknown verify key': validConfig.replace('run:', 'commands:'),
};

function configAccepted(text: string): boolean {
  return validateConfig(parseYamlDocument(text, '/p/conda-prune.yaml'), '/p/conda-prune.yaml').config !== undefined;
}

const sha = 'b'.repeat(64);
const validIndex = `apiVersion: conda-prune/v1\nprofiles:\n  scipy:\n    - { version: "1.0.0", path: scipy/1.0.0.yaml, sha256: "${sha}" }\n`;
const invalidIndexes: Record<string, string> = {
  'climbing path': validIndex.replace('scipy/1.0.0.yaml', 'scipy/../../x.yaml'),
  'absolute path': validIndex.replace('scipy/1.0.0.yaml', '/x.yaml'),
  'short sha256': validIndex.replace(sha, 'abc'),
  'unquoted version': validIndex.replace('"1.0.0"', '1.0'),
  'empty versions': `apiVersion: conda-prune/v1\nprofiles:\n  scipy: []\n`,
  'extra key': validIndex.replace('sha256:', 'size: 3, sha256:'),
};

function indexAccepted(text: string): boolean {
  try {
    parseRegistryIndex(text, 'index.yaml');
    return true;
  } catch (error) {
    if (error instanceof PruneError) return false;
    throw error;
  }
}

describe('config JSON Schema', () => {
  it('accepts a valid config, as the validator does', () => {
    expect(checkConfig(parse(validConfig)), JSON.stringify(checkConfig.errors)).toBe(true);
    expect(configAccepted(validConfig)).toBe(true);
  });

  it.each(Object.entries(invalidConfigs))('rejects a config with %s, as the validator does', (_, text) => {
    expect(checkConfig(parse(text))).toBe(false);
    expect(configAccepted(text)).toBe(false);
  });
});

describe('registry index JSON Schema', () => {
  it('accepts a valid index and the index built from the shipped profiles', () => {
    expect(checkIndex(parse(validIndex)), JSON.stringify(checkIndex.errors)).toBe(true);
    expect(indexAccepted(validIndex)).toBe(true);
    const built = renderRegistryIndex(buildRegistryIndex(builtinProfilesDirectory()));
    expect(checkIndex(parse(built)), JSON.stringify(checkIndex.errors)).toBe(true);
  });

  it.each(Object.entries(invalidIndexes))('rejects an index with %s, as the validator does', (_, text) => {
    expect(checkIndex(parse(text))).toBe(false);
    expect(indexAccepted(text)).toBe(false);
  });
});
