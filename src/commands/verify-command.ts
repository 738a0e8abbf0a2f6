/**
 * `conda-prune verify`: the import smoke test of an env on its own, with the env's interpreter.
 */
import { Option, type Command } from 'commander';
import { readEnvironment } from '../environment/read-environment.ts';
import { PruneError } from '../errors.ts';
import { discoverModules } from '../verify/discover-modules.ts';
import { renderVerifyText } from '../verify/render-verify.ts';
import { verifyEnvironment } from '../verify/verify-environment.ts';
import { loadConfig } from '../config/find-config.ts';
import { addConfigFlags, collect, emit, resolvePrefix, wantsColor } from './shared-flags.ts';

const verifyFormats = ['text', 'json'] as const;

interface VerifyFlags {
  config?: string;
  cacheDir?: string;
  import: string[];
  run: string[];
  onlyUserImports?: boolean;
  timeout: string;
  format: (typeof verifyFormats)[number];
  output?: string;
  color: boolean;
}

/** Adds the verify command to the program. */
export function registerVerifyCommand(program: Command): void {
  const command = program
    .command('verify')
    .description("Import every python package of the env with the env's own interpreter, and run commands; exit 1 if any fails")
    .argument('[prefix]', 'environment prefix (default: $CONDA_PREFIX)')
    .option('--import <module>', 'also import this module (repeatable)', collect, [])
    .option('--run <command>', "also run this shell command with the env's bin/ first on PATH; success is exit 0 (repeatable)", collect, [])
    .option('--only-user-imports', 'import only the --import modules, not the ones discovered in the env')
    .option('--timeout <seconds>', 'give up on a module or command after this many seconds', '30')
    .addOption(new Option('--format <format>', 'output format').choices(verifyFormats).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--no-color', 'never colour the output (NO_COLOR and non-TTY output are honoured too)');
  addConfigFlags(command).action(async (prefixArgument: string | undefined, flags: VerifyFlags) => {
    const timeoutMs = parseTimeout(flags.timeout);
    // The config's verify.imports and verify.run join the flags'; no profile is needed to verify.
    const configured = loadConfig(process.cwd(), flags.config)?.verify ?? { imports: [], run: [] };
    flags.import = [...configured.imports, ...flags.import];
    flags.run = [...configured.run, ...flags.run];
    const environment = readEnvironment(resolvePrefix(prefixArgument));
    const discovered = flags.onlyUserImports === true ? [] : discoverModules(environment).map((found) => found.module);
    if (flags.onlyUserImports === true && flags.import.length === 0 && flags.run.length === 0) {
      throw new PruneError('CP_USAGE', 'nothing to verify: --only-user-imports without --import or --run', {
        hint: 'add --import MODULE or --run "COMMAND", or drop --only-user-imports',
      });
    }
    const result = await verifyEnvironment({ prefix: environment.prefix, environment, imports: [...discovered, ...flags.import], run: flags.run, timeoutMs });
    const text = flags.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderVerifyText(result, { color: wantsColor(flags) });
    emit(text, flags.output);
    // A failed check is an outcome, not an error: the report is already out, only the code says so.
    if (!result.ok) process.exitCode = 1;
  });
}

function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new PruneError('CP_USAGE', `--timeout ${value} is not a positive number of seconds`, { hint: 'e.g. --timeout 60' });
  }
  return Math.round(seconds * 1000);
}
