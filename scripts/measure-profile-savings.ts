/**
 * Measures what each shipped rule would remove from the real environments of the corpus, from
 * the records alone (sum of size_in_bytes of the matched paths_data entries), and writes the
 * result to scripts/profile-savings.json, which generate-profiles-readme.ts turns into the
 * "typical savings" column. Needs the corpus; the README is then reproducible without it.
 *
 *   npx tsx scripts/measure-profile-savings.ts /tmp/corpus/conda-meta
 */
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnvironment } from '../src/environment/read-environment.ts';
import { compileRules } from '../src/plan/compile-rules.ts';
import { selectOwned } from '../src/plan/select-candidates.ts';
import { resolveProfiles } from '../src/profiles/resolve-profiles.ts';

/** What one rule removes across the corpus. */
export interface RuleSavings {
  /** Environments in which the rule matched at least one sized file. */
  envs: number;
  /** Median over those environments of the bytes the rule removes from each. */
  medianBytes: number;
  maxBytes: number;
}

/** The checked-in data file. */
export interface SavingsFile {
  description: string;
  envs: number;
  rules: Record<string, RuleSavings>;
}

/** Where the data file lives, beside this script. */
export const savingsPath = fileURLToPath(new URL('./profile-savings.json', import.meta.url));

function findRecordFolders(root: string): string[] {
  const folders: string[] = [];
  const walk = (directory: string): void => {
    const names = readdirSync(directory).sort();
    // Truncated records are evidence, not environments.
    if (basename(directory) === '_truncated') return;
    if (names.some((name) => name.endsWith('.json') && statSync(join(directory, name)).isFile())) folders.push(directory);
    for (const name of names) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) walk(path);
    }
  };
  walk(root);
  return folders;
}

/** Bytes each rule (`profile/rule`) would remove from one folder of records, every rule enabled. */
function measureFolder(folder: string, scratch: string): Map<string, number> {
  const prefix = mkdtempSync(join(scratch, 'env-'));
  symlinkSync(folder, join(prefix, 'conda-meta'));
  const environment = readEnvironment(prefix);
  // The aggressive preset reaches every shipped profile and lets every rule run, so each file is
  // attributed to the rule that would really take it (package profiles before generic ones).
  const selection = resolveProfiles({ preset: 'aggressive', cwd: prefix });
  const rules = compileRules(selection, environment.python);
  const { candidates } = selectOwned(environment, rules);
  const bytes = new Map<string, number>();
  for (const candidate of candidates) {
    const size = candidate.file?.size;
    if (size === undefined || size === 0) continue;
    const key = `${candidate.compiled.resolved.profile.name}/${candidate.compiled.rule.id}`;
    bytes.set(key, (bytes.get(key) ?? 0) + size);
  }
  return bytes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : Math.round(((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2);
}

/** Measures every rule over every environment folder below root. */
export function measureSavings(root: string): SavingsFile {
  const scratch = mkdtempSync(join(tmpdir(), 'conda-prune-savings-'));
  try {
    const folders = findRecordFolders(root);
    const perRule = new Map<string, number[]>();
    for (const folder of folders) {
      for (const [key, bytes] of measureFolder(folder, scratch)) perRule.set(key, [...(perRule.get(key) ?? []), bytes]);
    }
    const rules: Record<string, RuleSavings> = {};
    for (const key of [...perRule.keys()].sort()) {
      const values = perRule.get(key) as number[];
      rules[key] = { envs: values.length, medianBytes: median(values), maxBytes: Math.max(...values) };
    }
    return {
      description: `Bytes each rule would remove per environment, from the size_in_bytes of matched paths_data entries in ${folders.length} environments of the conda-meta corpus (records only: no disk, so no shared-library guard and no unowned files).`,
      envs: folders.length,
      rules,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = process.argv[2] ?? '/tmp/corpus/conda-meta';
  const savings = measureSavings(root);
  writeFileSync(savingsPath, `${JSON.stringify(savings, null, 2)}\n`);
  process.stdout.write(`${Object.keys(savings.rules).length} rules measured over ${savings.envs} environments → ${relative(process.cwd(), savingsPath)}\n`);
}
