/**
 * The benchmark scenarios: what runs against what, on which envs, with which goal, and a
 * predicate that enables each one only once the built CLI supports what it calls.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandSpec } from './measure.ts';
import { createApplyWorkspace } from './apply-workspace.ts';
import type { ReadyEnv } from './envs.ts';
import { discoverModules } from '../src/verify/discover-modules.ts';
import { readEnvironment } from '../src/environment/read-environment.ts';

/** What the CLI under test offers, learnt from its --help output. */
export interface CliProbe {
  /** The script benchmarked (dist/conda-prune.mjs, the bin, unless BENCH_CLI says otherwise). */
  path: string;
  /** argv prefix that runs it. */
  runner: string[];
  /** Subcommand → its long options; empty when the CLI is missing. */
  commands: Map<string, Set<string>>;
  /** Why the CLI cannot be used at all, when it cannot. */
  missing?: string;
}

/** A scenario's target: the subject's median over a baseline's median must stay under `maxRatio`. */
export interface Goal {
  baseline: string;
  maxRatio: number;
  /** `<` rather than `≤`. */
  strict: boolean;
  /** Env ids the goal is judged on; elsewhere the ratio is reported only. */
  envs?: readonly string[];
}

/** Everything a scenario needs to build its commands. */
export interface ScenarioContext {
  env: ReadyEnv;
  cli: CliProbe;
  /** A private folder for copies and lists; removed after the scenario. */
  scratch: string;
}

/** One row family of BENCHMARKS.md. */
export interface Scenario {
  id: string;
  title: string;
  /** Ids of the envs it runs on. */
  envs: readonly string[];
  /** Returns why the scenario cannot run on `env`, or undefined when it can. */
  disabledBecause(cli: CliProbe, env: ReadyEnv): string | undefined;
  /** Label of the measured command; every other variant is a baseline. */
  subject: string;
  variants(context: ScenarioContext): CommandSpec[];
  /** Goals per baseline; a baseline without a goal is reported only. */
  goals: Goal[];
}

const ALL_ENVS = ['replica-qualskat', 'replica-custom', 'synthetic-10k', 'synthetic-60k', 'synthetic-300k'];
/** The goals are stated for a ~60,000-file env; 10k and 300k form a scaling series, reported only. */
const GOAL_ENVS = ['replica-qualskat', 'replica-custom', 'synthetic-60k'];
/** The apply scenario's selection: moderate adds bytecode, a prune of the size real images see. */
const APPLY_PRESET = 'moderate';
/** plan's goals hold at 300k files too. */
const PLAN_GOAL_ENVS = [...GOAL_ENVS, 'synthetic-300k'];

/** Returns the usual published conda-image recipe as one shell script: one `find` walk per pattern, printing instead of deleting. */
export function recipeScript(prefix: string): string {
  const p = `'${prefix.replace(/'/g, `'\\''`)}'`;
  return [
    `find ${p} -type f -name '*.a' -print`,
    `find ${p} -type f -name '*.pyc' -print`,
    `find ${p} -type d -name '__pycache__' -print`,
    `find ${p} -type f -name '*.js.map' -print`,
    `find ${p} -type f -name '*.pyx' -print`,
    `find ${p} -path '*/tests/*' -print`,
    `find ${p} -path '*/test/*' -print`,
  ].join('; ');
}

/** Returns the scenario table; slots whose CLI support is missing report why instead of running. */
export function scenarios(): Scenario[] {
  return [
    {
      id: 'plan',
      title: 'plan (default preset, JSON to /dev/null) vs one find walk and vs the recipe’s find walks',
      envs: ALL_ENVS,
      disabledBecause: (cli) => needs(cli, 'plan', ['--format', '--output', '--preset']),
      subject: 'plan',
      variants: ({ env, cli }) => [
        { label: 'plan', argv: [...cli.runner, 'plan', env.prefix, '--preset', 'default', '--format', 'json', '--output', '/dev/null'] },
        { label: 'find -type f', argv: ['find', env.prefix, '-type', 'f'] },
        { label: 'recipe (7 finds)', argv: ['sh', '-c', recipeScript(env.prefix)] },
        // Reported only: the floor any node program pays before its first line runs, and the
        // bundle's own (loading and compiling it): the fixed part of every run, whatever the env.
        { label: 'node start-up', argv: [process.execPath, '-e', '0'] },
        { label: 'CLI start-up', argv: [...cli.runner, '--version'] },
      ],
      goals: [
        { baseline: 'find -type f', maxRatio: 2, strict: false, envs: PLAN_GOAL_ENVS },
        { baseline: 'recipe (7 finds)', maxRatio: 1, strict: true, envs: PLAN_GOAL_ENVS },
      ],
    },
    {
      id: 'audit',
      title: 'audit (JSON to /dev/null) vs plan',
      envs: ['replica-qualskat', 'synthetic-60k'],
      disabledBecause: (cli) => needs(cli, 'audit', ['--format', '--output']) ?? needs(cli, 'plan', ['--format', '--output']),
      subject: 'audit',
      variants: ({ env, cli }) => [
        { label: 'audit', argv: [...cli.runner, 'audit', env.prefix, '--format', 'json', '--output', '/dev/null'] },
        { label: 'plan', argv: [...cli.runner, 'plan', env.prefix, '--preset', 'default', '--format', 'json', '--output', '/dev/null'] },
      ],
      goals: [{ baseline: 'plan', maxRatio: 1.5, strict: false, envs: ['replica-qualskat', 'synthetic-60k'] }],
    },
    {
      // Both sides delete, so every run starts from a reset working copy (untimed, see
      // apply-workspace.ts); the moderate preset gives a prune of realistic size (13,000 files of
      // the 60k replica: tests, bytecode, static libraries, sources).
      id: 'apply',
      title: `apply --plan --no-verify vs xargs rm -f of the same list (${APPLY_PRESET} preset), on a reset copy each run`,
      envs: ['synthetic-10k', 'replica-qualskat', 'synthetic-60k'],
      disabledBecause: (cli) => needs(cli, 'apply', ['--no-verify', '--plan']) ?? needs(cli, 'plan', ['--format', '--output']),
      subject: 'apply',
      variants: applyVariants,
      goals: [{ baseline: 'xargs rm -f', maxRatio: 1.3, strict: false, envs: GOAL_ENVS }],
    },
    {
      id: 'verify',
      title: 'verify (import smoke test) vs the same imports by the env’s python',
      envs: ['python-fixture'],
      disabledBecause: (cli, env) => needs(cli, 'verify', []) ?? needsInterpreter(env),
      subject: 'verify',
      variants: ({ env, cli }) => {
        // The same modules on both sides: the ones verify discovers in the env.
        const modules = discoverModules(readEnvironment(env.prefix)).map((found) => found.module);
        return [
          { label: 'verify', argv: [...cli.runner, 'verify', env.prefix] },
          { label: 'python -I -B -c import', argv: [join(env.prefix, 'bin', 'python'), '-I', '-B', '-c', `import ${modules.join(', ')}`] },
        ];
      },
      goals: [{ baseline: 'python -I -B -c import', maxRatio: 1.5, strict: false, envs: ['python-fixture'] }],
    },
  ];
}

/** Finds out which commands and options the CLI at `path` supports. */
export function probeCli(path: string): CliProbe {
  const runner = path.endsWith('.ts') ? [process.execPath, '--import', 'tsx', path] : [process.execPath, path];
  const probe: CliProbe = { path, runner, commands: new Map() };
  const help = spawnSync(runner[0] as string, [...runner.slice(1), '--help'], { encoding: 'utf8', timeout: 30_000 });
  if (help.status !== 0) {
    probe.missing = `${path} is not runnable (${help.error?.message ?? `exit ${help.status}`}); run npm run build`;
    return probe;
  }
  const section = help.stdout.split(/^Commands:$/m)[1] ?? '';
  for (const match of section.matchAll(/^ {2}([a-z][\w-]*)/gm)) {
    const name = match[1] as string;
    if (name === 'help') continue;
    const sub = spawnSync(runner[0] as string, [...runner.slice(1), name, '--help'], { encoding: 'utf8', timeout: 30_000 });
    probe.commands.set(name, new Set(sub.stdout.match(/--[\w-]+/g) ?? []));
  }
  return probe;
}

function needs(cli: CliProbe, command: string, options: readonly string[]): string | undefined {
  if (cli.missing !== undefined) return cli.missing;
  const known = cli.commands.get(command);
  if (known === undefined) return `the CLI has no \`${command}\` command yet`;
  const absent = options.filter((option) => !known.has(option));
  return absent.length === 0 ? undefined : `\`${command}\` lacks ${absent.join(', ')}`;
}

function needsInterpreter(env: ReadyEnv): string | undefined {
  try {
    // Bench envs hold sparse, non-executable files; only a real env can be smoke-tested.
    accessSync(join(env.prefix, 'bin', 'python'), constants.X_OK);
    return undefined;
  } catch {
    return 'the env has no runnable bin/python (bench envs are sparse files)';
  }
}

function applyVariants({ env, cli, scratch }: ScenarioContext): CommandSpec[] {
  const workspace = createApplyWorkspace(env.prefix, join(scratch, 'prefix'));
  const { work } = workspace;
  const planFile = join(scratch, 'plan.json');
  const listFile = join(scratch, 'remove.list');
  // One plan, made once: each reset restores the records with their times, so its fingerprint
  // holds for every run, and both sides work through exactly the same list.
  const plan = spawnSync(cli.runner[0] as string, [...cli.runner.slice(1), 'plan', work, '--preset', APPLY_PRESET, '--format', 'json', '--output', planFile], { stdio: 'ignore' });
  if (plan.status !== 0) throw new Error(`plan for the apply baseline failed on ${work}`);
  const paths = (JSON.parse(readFileSync(planFile, 'utf8')) as { entries: { path: string }[] }).entries.map((entry) => entry.path);
  writeFileSync(listFile, paths.map((path) => `${join(work, path)}\0`).join(''));
  const reset = (): void => workspace.reset(paths);
  return [
    { label: 'apply', argv: [...cli.runner, 'apply', work, '--plan', planFile, '--no-verify', '--quiet'], prepare: reset },
    { label: 'xargs rm -f', argv: ['sh', '-c', `xargs -0 rm -f < '${listFile}'`], prepare: reset },
  ];
}
