#!/usr/bin/env node
/**
 * The conda-prune command line: parses arguments, calls one core function per command, renders
 * the result and maps it to an exit code. The only module that touches process and the terminal.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { formatIssue, PruneError } from './errors.ts';
import { registerPlanCommand } from './commands/plan-command.ts';
import { registerApplyCommand } from './commands/apply-command.ts';
import { registerVerifyCommand } from './commands/verify-command.ts';
import { registerRecoverCommand } from './commands/recover-command.ts';
import { registerUndoCommand } from './commands/undo-command.ts';
import { registerExportCommand } from './commands/export-command.ts';
import { registerAuditCommand } from './commands/audit-command.ts';
import { registerProfilesCommand } from './commands/profiles-command.ts';
import { registerRegistryCommand } from './commands/registry-command.ts';
import { toolVersion } from './version.ts';

/** Builds the commander program; exported for tests that drive it in-process. */
export function buildProgram(): Command {
  const program = new Command('conda-prune')
    .description('Prune conda environments for container images: versioned profiles, a dry-run diff, verified and reversible.')
    .version(toolVersion())
    .showHelpAfterError()
    .exitOverride();
  registerPlanCommand(program);
  registerApplyCommand(program);
  registerVerifyCommand(program);
  registerRecoverCommand(program);
  registerUndoCommand(program);
  registerExportCommand(program);
  registerAuditCommand(program);
  registerProfilesCommand(program);
  registerRegistryCommand(program);
  return program;
}

/** Issues printed under an error in text mode; the rest are counted. */
const MAX_ISSUE_LINES = 40;

function reportError(error: unknown, json: boolean): number {
  if (error instanceof PruneError) {
    if (json) {
      process.stdout.write(`${JSON.stringify(error.toJSON(), null, 2)}\n`);
      return error.exitCode;
    }
    const lines = [`error ${error.code}: ${error.message}`];
    // A plan of 13,000 stale entries must not bury the hint: the JSON form carries every issue.
    for (const issue of error.issues.slice(0, MAX_ISSUE_LINES)) lines.push(`  ${formatIssue(issue)}`);
    if (error.issues.length > MAX_ISSUE_LINES) lines.push(`  … and ${error.issues.length - MAX_ISSUE_LINES} more (--format json lists them all)`);
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
    // A command that reports a failure as data (verify's failed checks) sets the exit code itself.
    return typeof process.exitCode === 'number' ? (process.exitCode as number) : 0;
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
