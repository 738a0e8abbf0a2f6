/**
 * Writes profiles/README.md from the shipped profiles, the corpus savings measured by
 * measure-profile-savings.ts (profile-savings.json) and the end-to-end figures of
 * test/e2e/profile-library.test.ts (profile-measurements.json). With --check it writes nothing
 * and exits 1 when the checked-in README differs, so CI catches a profile changed without it.
 *
 *   npm run profiles:readme            # regenerate
 *   npm run profiles:readme -- --check # fail when stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinProfilesDirectory, listBuiltinProfiles } from '../src/profiles/builtin-profiles.ts';
import { loadProfile } from '../src/profiles/load-profile.ts';
import { parseReference } from '../src/profiles/reference.ts';
import { risks, type Profile, type Risk } from '../src/profiles/types.ts';
import { formatBytes } from '../src/report/format.ts';

interface RuleSavings {
  envs: number;
  medianBytes: number;
  maxBytes: number;
}

interface SavingsFile {
  envs: number;
  rules: Record<string, RuleSavings>;
}

interface MeasurementsFile {
  description: string;
  envBytes: number;
  presets: Record<string, { bytes: number; share: number }>;
  recipe: { bytes: number; share: number };
}

/** Where the generated README lives. */
export const readmePath = join(builtinProfilesDirectory(), 'README.md');

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./${name}`, import.meta.url)), 'utf8')) as T;
}

/** Escapes what would break a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function loadAll(): Profile[] {
  return listBuiltinProfiles().map((name) => loadProfile({ kind: 'builtin', name }, [name]));
}

function presetChain(preset: Profile, byName: Map<string, Profile>): Profile[] {
  const reached: Profile[] = [];
  const visit = (profile: Profile): void => {
    for (const reference of profile.extends) {
      const parsed = parseReference(reference, builtinProfilesDirectory());
      const target = parsed.kind === 'builtin' ? byName.get(parsed.name) : undefined;
      if (target === undefined || reached.includes(target)) continue;
      if (target.rules.length > 0) reached.push(target);
      visit(target);
    }
  };
  visit(preset);
  return reached;
}

function renderPresets(presets: Profile[], byName: Map<string, Profile>): string[] {
  const lines = ['## Presets', '', 'A preset extends profiles and caps the risk of the rules that run. What a preset keeps is every rule above its cap:', ''];
  for (const preset of presets) {
    const cap = preset.maxRisk ?? 'safe';
    const above = presetChain(preset, byName).flatMap((profile) => profile.rules.filter((rule) => risks.indexOf(rule.risk) > risks.indexOf(cap)).map((rule) => `\`${profile.name}/${rule.id}\``));
    lines.push(`### ${preset.name} (up to ${cap})`, '', preset.description, '');
    lines.push(above.length === 0 ? 'Keeps: nothing beyond what every rule keeps (its keep globs, licences, metadata, `.pth` files, entry points, `bin/python*`, libraries still needed).' : `Keeps, besides what every rule keeps: ${above.join(', ')}.`, '');
  }
  return lines;
}

function renderProfiles(packageProfiles: Profile[]): string[] {
  const lines = ['## Profiles', '', '| profile | applies to | versions | rules | what it removes |', '| --- | --- | --- | --- | --- |'];
  for (const profile of packageProfiles) {
    const target = profile.appliesTo?.package === '*' ? 'every package' : `\`${profile.appliesTo?.package ?? ''}\``;
    lines.push(`| [${profile.name}](${profile.name}.yaml) | ${target} | ${cell(profile.appliesTo?.versions ?? 'all')} | ${profile.rules.length} | ${cell(profile.description)} |`);
  }
  return [...lines, ''];
}

function renderRules(packageProfiles: Profile[], savings: SavingsFile): string[] {
  const lines = [
    '## Rules',
    '',
    `Typical savings: the median, over the corpus environments where the rule matches, of the bytes it removes from one environment (from the records' \`size_in_bytes\`; ${savings.envs} environments, every rule enabled, each file counted once under the rule that takes it). The shared-library guard and unowned files need a disk and are not counted.`,
    '',
    '| rule | category | risk | versions | why it is safe | typical savings |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const profile of packageProfiles) {
    for (const rule of profile.rules) {
      const key = `${profile.name}/${rule.id}`;
      const measured = savings.rules[key];
      const saving = rule.scope === 'unowned' ? 'not in records' : measured === undefined ? 'none in corpus' : `${formatBytes(measured.medianBytes)} (${measured.envs} envs, max ${formatBytes(measured.maxBytes)})`;
      lines.push(`| \`${key}\` | ${rule.category} | ${rule.risk} | ${cell(profile.appliesTo?.versions ?? 'all')} | ${cell(rule.reason)} | ${saving} |`);
    }
  }
  return [...lines, ''];
}

function renderMeasurements(measurements: MeasurementsFile): string[] {
  const rows = Object.entries(measurements.presets).map(([preset, figure]) => `| \`${preset}\` preset | ${formatBytes(figure.bytes)} | ${percent(figure.share)} |`);
  return [
    '## Measured on a real environment',
    '',
    measurements.description,
    '',
    `The env holds ${formatBytes(measurements.envBytes)}. Every preset was planned, applied and verified through the CLI, and every public import its profiles list still works.`,
    '',
    '| run | removed | of the env |',
    '| --- | --- | --- |',
    ...rows,
    `| hand-written recipe (issue 3), same env | ${formatBytes(measurements.recipe.bytes)} | ${percent(measurements.recipe.share)} |`,
    '',
    'The `default` preset stays below the 35% the issue aims at on this env: it was built from Debian packages, so it has no static libraries, no sanitizer runtimes and no terminfo; its `include/` holds only the python headers, which are moderate like the shared libpython, and its safe content is the test suites and sources of numpy, scipy, pandas and scikit-learn, IDLE and the python build files. Bytecode is the next 15% and costs start-up time, so it is moderate; `moderate` passes 35%. `aggressive` removes more than the recipe while keeping every import; both delete `conda-meta/`, which aggressive does as its last step, after verification.',
    '',
  ];
}

/** Renders the whole README from the shipped profiles and the checked-in measurements. */
export function renderProfilesReadme(): string {
  const profiles = loadAll();
  const byName = new Map(profiles.map((profile) => [profile.name, profile]));
  const order: Risk[] = ['safe', 'moderate', 'aggressive'];
  const presets = profiles.filter((profile) => profile.rules.length === 0).sort((a, b) => order.indexOf(a.maxRisk ?? 'safe') - order.indexOf(b.maxRisk ?? 'safe'));
  const specific = profiles.filter((profile) => profile.rules.length > 0 && profile.appliesTo?.package !== '*');
  const generic = profiles.filter((profile) => profile.rules.length > 0 && profile.appliesTo?.package === '*');
  const packageProfiles = [...specific, ...generic];
  return [
    '<!-- Generated by scripts/generate-profiles-readme.ts from profiles/*.yaml, scripts/profile-savings.json and scripts/profile-measurements.json; do not edit. Run `npm run profiles:readme`. -->',
    '',
    '# Shipped profiles',
    '',
    'One YAML file per conda package (file name = package name), generic profiles for content every package may ship, and three presets. Every rule names why it is safe; no rule may remove a licence, `*.dist-info`/`*.egg-info` metadata, a `.pth` file, an entry-point script, `bin/python*` or a shared library that a remaining ELF file needs: the planner refuses those whatever a profile says. See the main README for the profile format.',
    '',
    ...renderPresets(presets, byName),
    ...renderProfiles(packageProfiles),
    ...renderRules(packageProfiles, readJson<SavingsFile>('profile-savings.json')),
    ...renderMeasurements(readJson<MeasurementsFile>('profile-measurements.json')),
  ].join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rendered = renderProfilesReadme();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(readmePath, 'utf8');
    } catch {
      // A missing README is as stale as a wrong one.
    }
    if (current !== rendered) {
      process.stderr.write('profiles/README.md is out of date with the profiles: run `npm run profiles:readme` and commit the result.\n');
      process.exit(1);
    }
    process.stdout.write('profiles/README.md is current.\n');
  } else {
    writeFileSync(readmePath, rendered);
    process.stdout.write(`wrote ${readmePath}\n`);
  }
}
