/**
 * Flags and helpers every command shares: the profile selection, the prefix default, and
 * writing a report to stdout or a file.
 */
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { PruneError } from '../errors.ts';
import { prepareSelection, type LockMode, type PreparedSelection } from '../config/prepare-selection.ts';
import { cacheDirectory } from '../registry/profile-cache.ts';
import { risks, type Risk } from '../profiles/types.ts';

/** The selection flags as commander parses them. */
export interface SelectionFlags {
  preset?: string;
  profile: string[];
  maxRisk?: Risk;
  disable?: string[];
  config?: string;
  cacheDir?: string;
}

/** Adds --preset, --profile, --max-risk, --config and --cache-dir to a command. */
export function addSelectionFlags(command: Command): Command {
  return addConfigFlags(
    command
      .option('--preset <name>', 'preset: default (safe rules), moderate or aggressive; default when neither --profile nor the config names profiles')
      .option('--profile <ref>', 'use this profile instead of the config\'s: builtin:NAME, NAME, a path to a YAML file or REGISTRY/NAME@RANGE (repeatable)', collect, [])
      .addOption(new Option('--max-risk <risk>', 'highest rule risk to apply (overrides the preset and the config)').choices(risks))
      .option('--disable <name>', 'leave out a rule (PROFILE/RULE) or a whole profile (PROFILE), on top of the config\'s disable list (repeatable)', collect, []),
  );
}

/** Adds --config and --cache-dir, for commands that read the config but take no selection flags. */
export function addConfigFlags(command: Command): Command {
  return command
    .option('--config <file>', 'config file (default: conda-prune.yaml in the working directory, when present)')
    .option('--cache-dir <dir>', 'where registry profiles are cached (default: $CONDA_PRUNE_CACHE_DIR, else $XDG_CACHE_HOME/conda-prune or ~/.cache/conda-prune)');
}

/**
 * Merges the config file, the flags (which win) and the lockfile into the options of
 * planPrefix / resolveProfiles, fetching and verifying registry profiles first.
 */
export function resolveSelection(flags: Partial<SelectionFlags> & { disable?: string[] }, cwd: string, lockMode: LockMode = 'use', update: string[] = []): Promise<PreparedSelection> {
  return prepareSelection({
    cwd,
    profiles: flags.profile ?? [],
    cacheDirectory: cacheDirectory(flags.cacheDir, process.env),
    lockMode,
    update,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    ...(flags.preset === undefined ? {} : { preset: flags.preset }),
    ...(flags.maxRisk === undefined ? {} : { maxRisk: flags.maxRisk }),
    ...(flags.disable === undefined ? {} : { disable: flags.disable }),
  });
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Turns the selection flags alone (no config, no lockfile) into the options of resolveProfiles. */
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
