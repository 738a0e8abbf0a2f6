/**
 * Flags and helpers every command shares: the profile selection, the prefix default, and
 * writing a report to stdout or a file.
 */
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { PruneError } from '../errors.ts';
import { risks, type Risk } from '../profiles/types.ts';

/** The selection flags as commander parses them. */
export interface SelectionFlags {
  preset?: string;
  profile: string[];
  maxRisk?: Risk;
}

/** Adds --preset, --profile and --max-risk to a command. */
export function addSelectionFlags(command: Command): Command {
  return command
    .option('--preset <name>', 'preset: default (safe rules), moderate or aggressive; default when no --profile is given')
    .option('--profile <ref>', 'add a profile: builtin:NAME, NAME or a path to a YAML file (repeatable)', collect, [])
    .addOption(new Option('--max-risk <risk>', 'highest rule risk to apply (overrides the preset)').choices(risks));
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Turns the selection flags into the options of resolveProfiles. */
export function selection(flags: SelectionFlags): { preset?: string; profiles: string[]; maxRisk?: Risk } {
  return {
    profiles: flags.profile,
    ...(flags.preset === undefined ? {} : { preset: flags.preset }),
    ...(flags.maxRisk === undefined ? {} : { maxRisk: flags.maxRisk }),
  };
}

/** Returns the prefix argument, else $CONDA_PREFIX, else throws CP_NO_PREFIX. */
export function resolvePrefix(argument: string | undefined): string {
  const prefix = argument ?? process.env.CONDA_PREFIX;
  if (prefix === undefined || prefix === '') {
    throw new PruneError('CP_NO_PREFIX', 'no environment given', {
      hint: 'pass the prefix as an argument (conda-prune plan /opt/env) or activate the environment so CONDA_PREFIX is set',
    });
  }
  return prefix;
}

/** Tells whether coloured output suits this run: a terminal, no NO_COLOR, no --no-color, no file. */
export function wantsColor(flags: { color: boolean; output?: string }): boolean {
  return flags.color && flags.output === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR;
}

/** Writes a report to stdout, or to a file when --output names one. */
export function emit(text: string, output: string | undefined): void {
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
