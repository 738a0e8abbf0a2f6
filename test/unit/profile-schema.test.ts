/**
 * The published JSON Schema and the validator must agree: editors check profiles with the one,
 * conda-prune with the other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { categories } from '../../src/profiles/types.ts';
import { parseYamlDocument } from '../../src/profiles/yaml-document.ts';
import { validateProfile } from '../../src/profiles/validate-profile.ts';
import { builtinProfilesDirectory, isProfileFileName } from '../../src/profiles/builtin-profiles.ts';

const schema = JSON.parse(readFileSync(new URL('../../schema/profile.schema.json', import.meta.url), 'utf8'));
const checkSchema = new Ajv2020({ allErrors: true }).compile(schema);
const source = { kind: 'file' as const, location: 'x.yaml', sha256: '' };

function validatorAccepts(text: string): boolean {
  return validateProfile(parseYamlDocument(text, 'x.yaml'), source, 'x.yaml').profile !== undefined;
}

const valid = `apiVersion: conda-prune/v1
name: demo
version: "1.0.0"
appliesTo: { package: demo, versions: ">=1,<2" }
rules:
  - { id: tests, category: tests, risk: safe, reason: r, remove: ["{site-packages}/demo/tests/**"] }
`;

const invalid: Record<string, string> = {
  'unknown key': valid.replace('name: demo', 'name: demo\nowner: me'),
  'unquoted version': valid.replace('"1.0.0"', '1.10'),
  'bad category': valid.replace('category: tests', 'category: testing'),
  'bad risk': valid.replace('risk: safe', 'risk: yolo'),
  'missing reason': valid.replace('reason: r, ', ''),
  'absolute glob': valid.replace('{site-packages}/demo/tests/**', '/etc/**'),
  'climbing glob': valid.replace('{site-packages}/demo/tests/**', 'lib/../../etc/**'),
  'empty remove': valid.replace('remove: ["{site-packages}/demo/tests/**"]', 'remove: []'),
  'bad rule id': valid.replace('id: tests', 'id: Tests_1'),
  'wrong apiVersion': valid.replace('conda-prune/v1', 'conda-prune/v2'),
};

describe('profile JSON Schema', () => {
  it('lists exactly the categories the validator accepts', () => {
    expect(schema.$defs.rule.properties.category.enum).toEqual([...categories]);
  });

  it('accepts a valid profile, as the validator does', () => {
    expect(checkSchema(parse(valid)), JSON.stringify(checkSchema.errors)).toBe(true);
    expect(validatorAccepts(valid)).toBe(true);
  });

  it.each(Object.entries(invalid))('rejects a profile with %s, as the validator does', (_, text) => {
    expect(checkSchema(parse(text))).toBe(false);
    expect(validatorAccepts(text)).toBe(false);
  });

  it('accepts every shipped profile', () => {
    const directory = builtinProfilesDirectory();
    const files = readdirSync(directory).filter(isProfileFileName);
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) {
      const text = readFileSync(join(directory, name), 'utf8');
      expect(checkSchema(parse(text)), `${name}: ${JSON.stringify(checkSchema.errors)}`).toBe(true);
    }
  });
});
