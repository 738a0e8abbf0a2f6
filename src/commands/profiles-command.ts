/**
 * `conda-prune profiles`: list what is available and what a selection resolves to, show one
 * profile after `extends`, validate files, and write or update conda-prune.lock.
 */
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { PruneError, type Issue } from '../errors.ts';
import { readConfig } from '../config/find-config.ts';
import { configFileName } from '../config/types.ts';
import { describeBuiltins, describeSelection, effectiveRules, type ProfileRow } from '../config/describe-profiles.ts';
import { readEnvironment } from '../environment/read-environment.ts';
import { writeFileAtomic } from '../fs/write-atomic.ts';
import { createLockfile } from '../lockfile/create-lockfile.ts';
import { renderLockfile } from '../lockfile/lockfile.ts';
import { loadProfile } from '../profiles/load-profile.ts';
import { resolveProfiles } from '../profiles/resolve-profiles.ts';
import { indexFileName, parseRegistryIndex } from '../registry/registry-index.ts';
import { plural } from '../report/format.ts';
import { addConfigFlags, addSelectionFlags, emit, resolveSelection, type SelectionFlags } from './shared-flags.ts';

interface FormatFlags {
  format: 'text' | 'json';
}

/** Adds the profiles command group to the program. */
export function registerProfilesCommand(program: Command): void {
  const profiles = program.command('profiles').description('List, show, validate and lock profiles');
  const format = (): Option => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

  addSelectionFlags(profiles.command('list').description('List the builtin profiles, and what the selection resolves to (and applies to in PREFIX, when given)').argument('[prefix]', 'an environment to match the profiles against'))
    .addOption(format())
    .action(async (prefix: string | undefined, flags: SelectionFlags & FormatFlags) => {
      const selection = resolveProfiles(await resolveSelection(flags, process.cwd()));
      const selected = describeSelection(selection, prefix === undefined ? undefined : readEnvironment(prefix));
      const available = describeBuiltins();
      if (flags.format === 'json') return emit(`${JSON.stringify({ selected, available }, null, 2)}\n`, undefined);
      emit(`${renderRows('Selected', selected)}\n${renderRows('Builtin', available)}`, undefined);
    });

  addConfigFlags(profiles.command('show').description('Show a profile after extends: every rule and the profile it came from').argument('<ref>', 'builtin:NAME, NAME, a YAML path or REGISTRY/NAME@RANGE'))
    .addOption(format())
    .action(async (reference: string, flags: SelectionFlags & FormatFlags) => {
      // Only REF, as published: the config's preset would otherwise join it, and its keeps every rule.
      const { preset: _preset, ...prepared } = await resolveSelection({ ...flags, profile: [reference] }, process.cwd());
      const selection = resolveProfiles({ ...prepared, profiles: [reference], keep: [] });
      const rules = effectiveRules(selection);
      if (flags.format === 'json') return emit(`${JSON.stringify({ profiles: describeSelection(selection), rules }, null, 2)}\n`, undefined);
      const lines = [renderRows(reference, describeSelection(selection)), 'Rules:'];
      for (const rule of rules) {
        lines.push(`  ${rule.profile}/${rule.id}  ${rule.category}, ${rule.risk}${rule.scope === 'unowned' ? ', unowned files' : ''}  (from ${rule.profile} ${rule.version}, ${rule.source})`);
        for (const glob of rule.remove) lines.push(`      remove ${glob}`);
        for (const glob of rule.keep) lines.push(`      keep   ${glob}`);
      }
      if (rules.length === 0) lines.push('  (none)');
      emit(`${lines.join('\n')}\n`, undefined);
    });

  profiles
    .command('validate')
    .description(`Validate profile files (and ${configFileName} or a registry ${indexFileName}); every problem of every file at once`)
    .argument('<files...>', 'files to check')
    .action((files: string[]) => {
      const issues: Issue[] = [];
      const lines: string[] = [];
      for (const file of files) {
        const found = validateFile(file);
        if (found.length === 0) lines.push(`ok ${file}`);
        issues.push(...found);
      }
      emit(lines.length === 0 ? '' : `${lines.join('\n')}\n`, undefined);
      if (issues.length > 0) {
        throw new PruneError('CP_PROFILE_INVALID', `${plural(issues.length, 'problem')} in ${plural(files.length - lines.length, 'file')}`, { hint: 'fix each problem listed', issues });
      }
    });

  addSelectionFlags(profiles.command('lock').description('Resolve the selection and pin every profile (version and sha256) in conda-prune.lock; keeps what it already pins')).action(
    async (flags: SelectionFlags) => {
      writeLock(await resolveSelection(flags, process.cwd(), 'lock'));
    },
  );

  addSelectionFlags(
    profiles
      .command('update')
      .description('Resolve again (the highest versions the ranges accept) and rewrite conda-prune.lock')
      .argument('[refs...]', 'only these registry references (REGISTRY/NAME@RANGE); all when none is given'),
  ).action(async (references: string[], flags: SelectionFlags) => {
    writeLock(await resolveSelection(flags, process.cwd(), 'update', references));
  });
}

function writeLock(prepared: Awaited<ReturnType<typeof resolveSelection>>): void {
  const { lockfile } = createLockfile(prepared);
  const text = renderLockfile(lockfile);
  try {
    writeFileAtomic(prepared.lockfilePath, text);
  } catch (error) {
    throw new PruneError('CP_OUTPUT', `cannot write ${prepared.lockfilePath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { hint: 'check that the directory is writable' });
  }
  const registry = lockfile.profiles.filter((entry) => entry.url !== undefined).length;
  emit(`Locked ${plural(lockfile.profiles.length, 'profile')} (${registry} from registries) in ${prepared.lockfilePath}.\n`, undefined);
}

function validateFile(file: string): Issue[] {
  try {
    if (basename(file) === configFileName) readConfig(file);
    else if (basename(file) === indexFileName) parseRegistryIndex(readFileSync(file, 'utf8'), file);
    else loadProfile({ kind: 'file', path: file }, [file]);
    return [];
  } catch (error) {
    if (!(error instanceof PruneError)) throw error;
    return error.issues.length > 0 ? error.issues : [{ file, path: '', message: error.message }];
  }
}

function renderRows(title: string, rows: ProfileRow[]): string {
  const lines = [`${title}: ${plural(rows.length, 'profile')}`];
  for (const row of rows) {
    const target = row.package === '' ? 'preset' : row.package === '*' ? 'any package' : row.package;
    const matches = row.matches === undefined || row.package === '' ? '' : row.matches.length === 0 ? '  applies to nothing here' : `  applies to ${row.matches.join(', ')}`;
    const via = row.via.length > 1 ? `  via ${row.via.join(' → ')}` : '';
    lines.push(`  ${row.name} ${row.version}  ${target}  ${row.source}${matches}${via}`);
  }
  return `${lines.join('\n')}\n`;
}
