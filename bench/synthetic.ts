/**
 * Builds a synthetic conda environment with a chosen number of files: about one package per 200
 * files with a heavy-tailed size spread (a few packages hold most files, as in real envs), sparse
 * files, and conda-written records.
 *
 * Usage: npx tsx bench/synthetic.ts COUNT DEST [--force] [--seed N]
 *
 * COUNT is the number of paths the records list (regular files plus symlinks); conda-meta/ adds
 * one record per package and a history file. The same COUNT and seed always give the same env.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { prepareDestination, writeEntries, type EnvEntry, type WriteStats } from './env-writer.ts';
import { generateFiles, PYTHON_VERSION, type PackageKind, type PackageSpec } from './synthetic-packages.ts';
import { createRng, word, type Rng } from './synthetic-random.ts';
import { condaRecord, historyFile, type RecordFile } from './synthetic-records.ts';
import { runAsScript } from './run-as-script.ts';

/** Files per package on average, as in the corpus' whole envs (QualsKAT: 61k files, 308 records). */
export const FILES_PER_PACKAGE = 200;
/** Seed used unless one is given. */
export const DEFAULT_SEED = 20_241_028;

/** What building a synthetic env did. */
export interface SyntheticResult {
  dest: string;
  packages: number;
  listedPaths: number;
  write: WriteStats;
  buildMs: number;
}

/** Real names for the biggest packages of each kind, so per-package profiles have something to match. */
const KNOWN: Record<Exclude<PackageKind, 'python'>, [name: string, version: string, module: string][]> = {
  'compiled-python': [['scipy', '1.14.1', 'scipy'], ['numpy', '2.0.2', 'numpy'], ['pandas', '2.2.3', 'pandas'], ['scikit-learn', '1.5.2', 'sklearn'], ['matplotlib-base', '3.9.2', 'matplotlib'], ['pyarrow-core', '18.1.0', 'pyarrow'], ['statsmodels', '0.14.4', 'statsmodels']],
  'noarch-python': [['sympy', '1.13.3', 'sympy'], ['pip', '24.3.1', 'pip'], ['networkx', '3.4.2', 'networkx'], ['setuptools', '75.6.0', 'setuptools']],
  'c-library': [['libarrow', '18.1.0', 'arrow'], ['qt6-main', '6.8.0', 'qt6'], ['libboost-headers', '1.86.0', 'boost'], ['openssl', '3.4.0', 'ssl'], ['ncurses', '6.5', 'ncurses']],
  'web-assets': [['plotly', '5.24.1', 'plotly'], ['bokeh', '3.6.0', 'bokeh']],
};

/**
 * Splits `count` paths over packages: one interpreter and a lognormal spread of the rest (sigma
 * 1.9 gives a median package of ~40 files and ~45% of files in the ten largest, as in QualsKAT).
 */
export function planPackages(count: number, rng: Rng): PackageSpec[] {
  const packages = Math.max(2, Math.round(count / FILES_PER_PACKAGE));
  const pythonBudget = Math.min(Math.max(Math.round(count * 0.04), 150), 3_000, count - 3 * (packages - 1));
  const rest = count - pythonBudget;
  const kinds: PackageKind[] = [];
  const weights: number[] = [];
  for (let i = 1; i < packages; i++) {
    const roll = rng.next();
    kinds.push(roll < 0.35 ? 'compiled-python' : roll < 0.6 ? 'noarch-python' : roll < 0.92 ? 'c-library' : 'web-assets');
    weights.push(Math.exp(1.9 * rng.normal()));
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const budgets = weights.map((w) => Math.max(3, Math.floor((w / total) * rest)));
  // Floors and minimums leave the sum a little off; the largest package absorbs the difference.
  const largest = budgets.indexOf(Math.max(...budgets));
  budgets[largest] = (budgets[largest] as number) + rest - budgets.reduce((a, b) => a + b, 0);

  const specs: PackageSpec[] = [{ name: 'python', version: PYTHON_VERSION, kind: 'python', budget: pythonBudget, module: 'python' }];
  const order = budgets.map((_, i) => i).sort((a, b) => (budgets[b] as number) - (budgets[a] as number));
  const used = new Set<string>(['python']);
  const knownLeft = Object.fromEntries(Object.entries(KNOWN).map(([k, v]) => [k, [...v]])) as typeof KNOWN;
  for (const i of order) {
    const kind = kinds[i] as Exclude<PackageKind, 'python'>;
    const known = knownLeft[kind].shift();
    const [knownName, version, knownModule] = known ?? [fakeName(rng, kind), `${rng.int(0, 5)}.${rng.int(0, 30)}.${rng.int(0, 9)}`, ''];
    let name = knownName;
    let module = knownModule;
    while (used.has(name)) name = `${name}${rng.int(0, 9)}`;
    used.add(name);
    if (module === '') module = name.replace(/^(py-|lib|jupyter-)/, '').replace(/-/g, '_');
    while (used.has(`module:${module}`)) module = `${module}${rng.int(0, 9)}`;
    used.add(`module:${module}`);
    specs.push({ name, version, kind, budget: budgets[i] as number, module });
  }
  return specs;
}

function fakeName(rng: Rng, kind: PackageKind): string {
  const stem = word(rng, rng.int(2, 3));
  return kind === 'c-library' ? `lib${stem}` : kind === 'web-assets' ? `jupyter-${stem}` : `py-${stem}`;
}

/** Builds a synthetic env of `count` listed paths at `dest`. */
export function buildSynthetic(count: number, dest: string, options: { force?: boolean; seed?: number } = {}): SyntheticResult {
  const started = process.hrtime.bigint();
  prepareDestination(dest, options.force === true);
  const rng = createRng(options.seed ?? DEFAULT_SEED);
  const specs = planPackages(count, rng);
  const entries: EnvEntry[] = [];
  const records: RecordFile[] = [];
  for (const spec of specs) {
    const files = generateFiles(rng, spec);
    for (const file of files) {
      const entry: EnvEntry = { path: file.path, size: file.type === 'softlink' ? 0 : file.size };
      if (file.linkTarget !== undefined) entry.linkTarget = file.linkTarget;
      entries.push(entry);
    }
    records.push(condaRecord({ spec, files }));
  }
  const write = writeEntries(dest, entries);
  const meta = join(dest, 'conda-meta');
  mkdirSync(meta, { recursive: true });
  for (const record of records) writeFileSync(join(meta, record.fileName), record.text);
  writeFileSync(join(meta, 'history'), historyFile(records));
  return { dest, packages: specs.length, listedPaths: entries.length, write, buildMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** Formats a synthetic build as the lines the CLI prints. */
export function describeSynthetic(result: SyntheticResult): string {
  const { write } = result;
  const lines = [
    `synthetic ${result.dest}: ${result.packages} packages, ${result.listedPaths} listed paths in ${(result.buildMs / 1000).toFixed(1)} s`,
    `  ${write.files} files (${(write.apparentBytes / 2 ** 30).toFixed(2)} GiB apparent, sparse), ${write.links} symlinks, ${write.directories} directories`,
  ];
  if (write.duplicates > 0) lines.push(`  ${write.duplicates} paths listed by more than one package (last one won)`);
  if (write.failureCount > 0) lines.push(`  ${write.failureCount} entries not created:`, ...write.failures.map((f) => `    ${f}`));
  return lines.join('\n');
}

function main(argv: string[]): number {
  const seedAt = argv.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(argv[seedAt + 1]) : DEFAULT_SEED;
  const positional = argv.filter((arg, i) => !arg.startsWith('--') && (seedAt < 0 || i !== seedAt + 1));
  const count = Number(positional[0]);
  const dest = positional[1];
  if (!Number.isInteger(count) || count < 10 || dest === undefined || positional.length !== 2 || !Number.isInteger(seed)) {
    console.error('usage: npx tsx bench/synthetic.ts COUNT DEST [--force] [--seed N]   (COUNT >= 10)');
    return 2;
  }
  const result = buildSynthetic(count, resolve(dest), { force: argv.includes('--force'), seed });
  console.log(describeSynthetic(result));
  return result.write.failureCount > 0 || result.write.duplicates > 0 ? 1 : 0;
}

runAsScript(import.meta.url, main);
