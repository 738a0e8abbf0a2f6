/**
 * Plans whole real environments of the corpus and checks the result: a replica of each env
 * (every listed file at its recorded size, sparse) is planned with the default preset in all
 * four formats, every entry's bytes must equal the size its record gives, and the conda env
 * must show its scipy, numpy and pandas tests, its sanitizer runtimes and its static libraries.
 *
 *   npm run check:corpus-plan -- /tmp/corpus/conda-meta
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReplica } from '../bench/replica.ts';
import { planPrefix } from '../src/plan/plan-prefix.ts';
import { renderPlan } from '../src/report/render-plan.ts';
import type { Plan } from '../src/plan/types.ts';

interface CorpusEnv {
  folder: string;
  /** Packages whose entries the default plan must hold, by rule category. */
  expect: Array<{ package: string; category: string }>;
}

const envs: CorpusEnv[] = [
  {
    // conda 4.8: scipy 1.5.3 and numpy 1.19 with tests, pandas 1.1.5, sanitizers still in libgcc-ng 9.
    folder: 'asp2201__rces-final-project',
    expect: [
      { package: 'scipy', category: 'tests' },
      { package: 'numpy', category: 'tests' },
      { package: 'pandas', category: 'tests' },
      { package: 'libgcc-ng', category: 'sanitizers' },
      { package: 'python', category: 'static-libs' },
    ],
  },
  // pixi 0.39, python 3.12, conda-forge scipy without tests, pandas 2.2 with them.
  { folder: 'uscuni__people_places', expect: [{ package: 'pandas', category: 'tests' }, { package: 'numpy', category: 'tests' }] },
  // mamba 2 (libmamba), python 3.13 with python_site_packages_path.
  { folder: 'Caiofiga__Metagenomics-Course', expect: [{ package: 'numpy', category: 'tests' }] },
];

/** Reads each record's own size for every path it lists, translating conda's noarch paths_data. */
function recordedSizes(metaDir: string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const name of readdirSync(metaDir).filter((file) => file.endsWith('.json'))) {
    const record = JSON.parse(readFileSync(join(metaDir, name), 'utf8')) as { files?: string[]; paths_data?: { paths?: Array<{ _path: string; size_in_bytes?: number }> } };
    const byPath = new Map((record.paths_data?.paths ?? []).map((entry) => [entry._path, entry.size_in_bytes]));
    for (const path of record.files ?? []) {
      const untranslated = path.replace(/^lib\/python[^/]+\/site-packages\//, 'site-packages/').replace(/^bin\//, 'python-scripts/');
      const size = byPath.get(path) ?? byPath.get(untranslated);
      if (size !== undefined) sizes.set(path, size);
    }
  }
  return sizes;
}

function check(env: CorpusEnv, plan: Plan, sizes: Map<string, number>): string[] {
  const failures: string[] = [];
  for (const entry of plan.entries) {
    const recorded = sizes.get(entry.path);
    if (entry.kind === 'file' && recorded !== undefined && recorded !== entry.bytes) failures.push(`${entry.path}: plan says ${entry.bytes} bytes, its record ${recorded}`);
  }
  for (const wanted of env.expect) {
    const found = plan.entries.filter((entry) => entry.package === wanted.package && entry.category === wanted.category);
    if (found.length === 0) failures.push(`no ${wanted.category} entries for ${wanted.package}`);
  }
  const text = renderPlan(plan, 'text', { color: false, verbose: false });
  if (!text.includes(`Total: ${plan.totals.files.toLocaleString('en-US')} files`)) failures.push('text report lacks its total line');
  const diff = renderPlan(plan, 'diff', { color: false, verbose: false });
  if ((diff.match(/^\+\+\+ \/dev\/null$/gm) ?? []).length !== plan.entries.length) failures.push('diff report does not list every entry');
  const markdown = renderPlan(plan, 'markdown', { color: false, verbose: false });
  for (const wanted of env.expect) if (!markdown.includes(`| ${wanted.package} |`)) failures.push(`markdown report lacks ${wanted.package}`);
  const json = JSON.parse(renderPlan(plan, 'json', { color: false, verbose: false })) as Plan;
  if (json.totals.bytes !== plan.totals.bytes) failures.push('json report totals differ');
  return failures;
}

async function main(corpusMeta: string | undefined): Promise<number> {
  if (corpusMeta === undefined) {
    process.stderr.write('usage: check-corpus-plan DIR (the conda-meta folder of an unpacked corpus)\n');
    return 2;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'conda-prune-corpus-plan-'));
  let failed = 0;
  try {
    for (const env of envs) {
      const metaDir = join(corpusMeta, env.folder);
      const prefix = join(scratch, env.folder);
      buildReplica(metaDir, prefix);
      const plan = await planPrefix({ prefix, cwd: scratch });
      const failures = check(env, plan, recordedSizes(metaDir));
      const byCategory = plan.summary.byCategory.map((tally) => `${tally.key} ${tally.files}`).join(', ');
      process.stdout.write(`${env.folder}: ${plan.packages} packages, ${plan.totals.files} files, ${plan.totals.bytes} bytes (${byCategory}), ${failures.length} failures\n`);
      for (const failure of failures) process.stdout.write(`  ${failure}\n`);
      failed += failures.length;
      rmSync(prefix, { recursive: true, force: true });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv[2]);
