/**
 * profiles/README.md is generated from the shipped profiles and two checked-in data files; these
 * tests fail when a profile changed without regenerating it, and when the data files name rules
 * that no longer exist.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmePath, renderProfilesReadme } from '../../../scripts/generate-profiles-readme.ts';
import { listBuiltinProfiles } from '../../../src/profiles/builtin-profiles.ts';
import { loadProfile } from '../../../src/profiles/load-profile.ts';

const profiles = listBuiltinProfiles().map((name) => loadProfile({ kind: 'builtin', name }, [name]));
const ruleKeys = profiles.flatMap((profile) => profile.rules.map((rule) => `${profile.name}/${rule.id}`));
const savings = JSON.parse(readFileSync(new URL('../../../scripts/profile-savings.json', import.meta.url), 'utf8')) as { rules: Record<string, unknown> };

describe('profiles/README.md', () => {
  it('is what the generator renders now (run `npm run profiles:readme` after changing a profile)', () => {
    expect(readFileSync(readmePath, 'utf8')).toBe(renderProfilesReadme());
  });

  it('lists every rule with its risk and reason, and every preset', () => {
    const readme = renderProfilesReadme();
    for (const profile of profiles) {
      if (profile.rules.length === 0) expect(readme).toContain(`### ${profile.name} (up to ${profile.maxRisk ?? 'safe'})`);
      for (const rule of profile.rules) expect(readme).toContain(`| \`${profile.name}/${rule.id}\` | ${rule.category} | ${rule.risk} |`);
    }
  });

  it('uses corpus savings only of rules that still exist', () => {
    expect(Object.keys(savings.rules).filter((key) => !ruleKeys.includes(key))).toEqual([]);
  });
});
