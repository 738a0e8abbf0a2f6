/**
 * Runs the benchmarks and writes BENCHMARKS.md at the repo root: builds (or reuses) the envs in
 * bench/envs/, times a `find -type f` walk on each, runs every enabled scenario and renders it all.
 *
 * Usage: npx tsx bench/run.ts [--runs N] [--envs id,id] [--scenarios id,id] [--output FILE]
 * Environment: BENCH_CLI (script to benchmark, default dist/conda-prune.mjs; a .ts file runs through tsx),
 * BENCH_CORPUS (corpus.tar.xz), BENCH_CORPUS_META (a conda-meta folder to replicate instead).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureEnvs, purgeTrash, standardEnvs, type ReadyEnv } from './envs.ts';
import { preparePythonEnv } from './python-env.ts';
import { describeMachine } from './machine.ts';
import { canMeasureRss, measureAlternating } from './measure.ts';
import { renderReport, type BenchReport, type ScenarioRun } from './report.ts';
import { probeCli, scenarios } from './scenarios.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Node reads NODE_EXTRA_CA_CERTS at every start, before any script runs; where a machine sets it
 * (this one does, to the system bundle) it adds ~100 ms to each node process. A container build
 * does not set it, and no command here makes a network request, so every variant runs without it.
 */
export const unsetForRuns = ['NODE_EXTRA_CA_CERTS'];
for (const name of unsetForRuns) delete process.env[name];

/** Options of one benchmark run. */
export interface RunOptions {
  runs: number;
  /** Env ids to use; all standard envs when undefined. */
  envs?: string[];
  /** Scenario ids to run; all when undefined. */
  scenarios?: string[];
  output: string;
  cli: string;
  log: (line: string) => void;
}

/** Runs the benchmarks and returns the report it wrote to `options.output`. */
export async function runBenchmarks(options: RunOptions): Promise<BenchReport> {
  const started = Date.now();
  const envRoot = join(REPO, 'bench', 'envs');
  const machine = describeMachine(REPO);
  const definitions = standardEnvs().filter((d) => options.envs === undefined || options.envs.includes(d.id));
  const envs = ensureEnvs(envRoot, definitions, options.log);
  if (options.envs === undefined || options.envs.includes('python-fixture')) envs.push(await preparePythonEnv(envRoot, options.log));

  const walks = envs.map((env) => {
    options.log(`walking ${env.definition.id} with find -type f …`);
    const [find] = measureAlternating([{ label: 'find -type f', argv: ['find', env.prefix, '-type', 'f'] }], { runs: options.runs, warmups: 1 });
    return { env, find: find as NonNullable<typeof find> };
  });

  const cli = probeCli(options.cli);
  const scenarioRuns: ScenarioRun[] = [];
  for (const scenario of scenarios().filter((s) => options.scenarios === undefined || options.scenarios.includes(s.id))) {
    for (const env of envs.filter((e) => scenario.envs.includes(e.definition.id))) {
      scenarioRuns.push(runScenario(scenario, env, cli, options));
    }
  }
  purgeTrash(envRoot);

  const report: BenchReport = {
    machine,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    runs: options.runs,
    rssMeasured: canMeasureRss(),
    cli: cli.runner.slice(1).map((part) => part.replace(`${REPO}/`, '')).join(' '),
    envs,
    walks,
    scenarioRuns,
  };
  writeFileSync(options.output, renderReport(report));
  return report;
}

function runScenario(scenario: ReturnType<typeof scenarios>[number], env: ReadyEnv, cli: ReturnType<typeof probeCli>, options: RunOptions): ScenarioRun {
  const disabled = scenario.disabledBecause(cli, env);
  if (disabled !== undefined) {
    options.log(`skipping ${scenario.id} on ${env.definition.id}: ${disabled}`);
    return { scenario, env, disabled };
  }
  options.log(`running ${scenario.id} on ${env.definition.id} …`);
  const scratch = mkdtempSync(join(tmpdir(), `bench-${scenario.id}-`));
  try {
    const results = measureAlternating(scenario.variants({ env, cli, scratch }), { runs: options.runs, warmups: 1 });
    return { scenario, env, results };
  } catch (error) {
    // One failing scenario is reported in its table; the others still run.
    options.log(`  failed: ${(error as Error).message}`);
    return { scenario, env, error: (error as Error).message };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function parseArgs(argv: string[]): RunOptions {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const list = (flag: string): string[] | undefined => value(flag)?.split(',').filter(Boolean);
  const runs = Number(value('--runs') ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
  const options: RunOptions = {
    runs,
    output: resolve(value('--output') ?? join(REPO, 'BENCHMARKS.md')),
    cli: resolve(process.env.BENCH_CLI ?? join(REPO, 'dist', 'conda-prune.mjs')),
    log: (line) => console.error(`[bench] ${line}`),
  };
  const envs = list('--envs');
  const only = list('--scenarios');
  if (envs !== undefined) options.envs = envs;
  if (only !== undefined) options.scenarios = only;
  return options;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const options = parseArgs(process.argv.slice(2));
  const report = await runBenchmarks(options);
  options.log(`wrote ${options.output} in ${(report.durationMs / 1000).toFixed(0)} s`);
}
