#!/usr/bin/env node
/**
 * The conda-prune command line: parses arguments, calls one core function per command, renders
 * the result and maps it to an exit code. The only module that touches process and the terminal.
 */
import { realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { formatIssue, PruneError } from './errors.ts';
import { planPrefix } from './plan/plan-prefix.ts';
import { planFormats, renderPlan, type PlanFormat } from './report/render-plan.ts';
import { risks, type Risk } from './profiles/types.ts';
import { toolVersion } from './version.ts';

interface SelectionFlags {
  preset?: string;
  profile: string[];
  maxRisk?: Risk;
}

interface PlanFlags extends SelectionFlags {
  format: PlanFormat;
  output?: string;
  verbose?: boolean;
  color: boolean;
}

/** Builds the commander program; exported for tests that drive it in-process. */
export function buildProgram(): Command {
  const program = new Command('conda-prune')
    .description('Prune conda environments for container images: versioned profiles, a dry-run diff, verified and reversible.')
    .version(toolVersion())
    .showHelpAfterError()
    .exitOverride();

  addSelectionFlags(
    program
      .command('plan')
      .description('Show what the selected profiles would remove: per package and rule, files and bytes (changes nothing)')
      .argument('[prefix]', 'environment prefix (default: $CONDA_PREFIX)'),
  )
    .addOption(new Option('--format <format>', 'output format').choices(planFormats).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-v, --verbose', 'list every path that would be removed and every file kept')
    .option('--no-color', 'never colour the output (NO_COLOR and non-TTY output are honoured too)')
    .action(async (prefix: string | undefined, flags: PlanFlags) => {
      const plan = await planPrefix({ prefix: resolvePrefix(prefix), ...selection(flags), cwd: process.cwd() });
      const color = flags.color && flags.output === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR;
      emit(renderPlan(plan, flags.format, { color, verbose: flags.verbose === true }), flags.output);
    });
  return program;
}

function addSelectionFlags(command: Command): Command {
  return command
    .option('--preset <name>', 'preset: default (safe rules), moderate or aggressive; default when no --profile is given')
    .option('--profile <ref>', 'add a profile: builtin:NAME, NAME or a path to a YAML file (repeatable)', collect, [])
    .addOption(new Option('--max-risk <risk>', 'highest rule risk to apply (overrides the preset)').choices(risks));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function selection(flags: SelectionFlags): { preset?: string; profiles: string[]; maxRisk?: Risk } {
  return {
    profiles: flags.profile,
    ...(flags.preset === undefined ? {} : { preset: flags.preset }),
    ...(flags.maxRisk === undefined ? {} : { maxRisk: flags.maxRisk }),
  };
}

function resolvePrefix(argument: string | undefined): string {
  const prefix = argument ?? process.env.CONDA_PREFIX;
  if (prefix === undefined || prefix === '') {
    throw new PruneError('CP_NO_PREFIX', 'no environment given', {
      hint: 'pass the prefix as an argument (conda-prune plan /opt/env) or activate the environment so CONDA_PREFIX is set',
    });
  }
  return prefix;
}

function emit(text: string, output: string | undefined): void {
  if (output === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(output, text);
  } catch (error) {
    throw new PruneError('CP_OUTPUT', `cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: 'check that the directory exists and is writable',
    });
  }
}

function reportError(error: unknown, json: boolean): number {
  if (error instanceof PruneError) {
    if (json) {
      process.stdout.write(`${JSON.stringify(error.toJSON(), null, 2)}\n`);
      return error.exitCode;
    }
    const lines = [`error ${error.code}: ${error.message}`];
    for (const issue of error.issues) lines.push(`  ${formatIssue(issue)}`);
    if (error.hint !== undefined) lines.push(`hint: ${error.hint}`);
    if (error.via.length > 0) lines.push(`via: ${error.via.join(' → ')}`);
    process.stderr.write(`${lines.join('\n')}\n`);
    return error.exitCode;
  }
  const internal = { code: 'CP_INTERNAL', message: String((error as Error)?.message ?? error), hint: 'this is a bug in conda-prune; please report it with the output above' };
  if (json) process.stdout.write(`${JSON.stringify(internal, null, 2)}\n`);
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n${internal.hint}\n`);
  return 70;
}

/** Runs the CLI with the given arguments and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const json = wantsJson(argv);
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other parse failure is a usage error.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
    }
    return reportError(error, json);
  }
}

function wantsJson(argv: string[]): boolean {
  const index = argv.indexOf('--format');
  return argv.includes('--format=json') || (index !== -1 && argv[index + 1] === 'json');
}

/** Tells whether this module is the program node was started with (also through npm's bin link). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // A reader that stops early (`| head`) is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
