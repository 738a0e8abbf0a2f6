/**
 * `conda-prune apply`: plans (or loads a saved plan), then applies it as a transaction, with
 * the import smoke test before and after unless --no-verify. No prompt: it runs in RUN steps.
 */
import { Option, type Command } from 'commander';
import { PruneError } from '../errors.ts';
import { applyPlan, type ApplyProgress, type ApplyResult } from '../apply/apply-plan.ts';
import { planPrefix } from '../plan/plan-prefix.ts';
import { loadPlanFile } from '../plan/load-plan-file.ts';
import { loadConfig } from '../config/find-config.ts';
import { formatBytes, plural } from '../report/format.ts';
import { addSelectionFlags, emit, resolvePrefix, resolveSelection, type SelectionFlags } from './shared-flags.ts';
import { createVerificationCheck, type VerificationReport, type VerifyFlags } from './verification-check.ts';

interface ApplyFlags extends SelectionFlags, VerifyFlags {
  plan?: string;
  keepBackup?: boolean;
  verify: boolean;
  verifyHashes?: boolean;
  safe?: boolean;
  format: 'text' | 'json';
  quiet?: boolean;
}

/** Rounds --safe tries: each one leaves out the rules the last regression was traced to. */
const maxSafeRounds = 5;

/** Adds the apply command to the program. */
export function registerApplyCommand(program: Command): void {
  const command = addSelectionFlags(
    program
      .command('apply')
      .description('Remove what the plan lists, as a transaction verified by an import smoke test; rolls back on a regression')
      .argument('[prefix]', 'environment prefix (default: $CONDA_PREFIX)'),
  )
    .option('--plan <file>', 'apply a plan saved with `plan --format json` (refused if the env changed since)')
    .option('--keep-backup', 'keep the removed files in .conda-prune/backups/ so `undo` can restore them')
    .option('--no-verify', 'skip the import smoke test (files are then deleted directly)')
    .option('--verify-hashes', 'only remove a file whose sha256 still matches its record')
    .option('--safe', 'when verification fails, leave out the rules it is traced to and apply again')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-q, --quiet', 'no progress output');
  addVerifyFlags(command).action(async (prefix: string | undefined, flags: ApplyFlags) => {
    const target = resolvePrefix(prefix);
    const disabled: string[] = [];
    for (let round = 1; ; round++) {
      const result = await applyOnce(target, flags, disabled);
      const blamed = blamedRules(result);
      const retry = flags.safe === true && flags.plan === undefined && result.outcome === 'rolled-back' && blamed.length > 0 && round < maxSafeRounds;
      if (!retry) {
        report(result, flags, disabled);
        return;
      }
      // stderr: with --format json, stdout holds one JSON document and nothing else.
      process.stderr.write(`Verification failed; leaving out ${blamed.join(', ')} and applying again.\n`);
      disabled.push(...blamed.filter((rule) => !disabled.includes(rule)));
    }
  });
}

/** Plans (or loads the saved plan) and applies it once. */
async function applyOnce(target: string, flags: ApplyFlags, disabled: string[]): Promise<ApplyResult> {
  // A saved plan already names its files: only the config's verify settings still count.
  const selected = flags.plan === undefined ? await resolveSelection({ ...flags, disable: [...(flags.disable ?? []), ...disabled] }, process.cwd()) : undefined;
  const plan = selected === undefined ? await loadPlanFile(flags.plan as string, target) : await planPrefix({ prefix: target, ...selected, verifyHashes: flags.verifyHashes === true });
  const configured = selected?.verify ?? loadConfig(process.cwd(), flags.config)?.verify ?? { imports: [], run: [] };
  // The config's verify.imports and verify.run join the flags'.
  const checks = { import: [...configured.imports, ...flags.import], run: [...configured.run, ...flags.run] };
  const check = flags.verify ? await createVerificationCheck(target, plan, checks) : undefined;
  const progress = flags.quiet === true || !process.stderr.isTTY ? undefined : createProgressBar();
  const result = await applyPlan(plan, {
    verify: flags.verify,
    keepBackup: flags.keepBackup === true,
    ...(check === undefined ? {} : { check }),
    ...(progress === undefined ? {} : { onProgress: progress }),
  });
  if (progress !== undefined) process.stderr.write('\r\u001b[K');
  return result;
}

/** The `PROFILE/RULE` names a rolled-back run's regressions were traced to. */
function blamedRules(result: ApplyResult): string[] {
  const report = result.check as VerificationReport | undefined;
  return [...new Set((report?.blame ?? []).flatMap((blame) => blame.rules.map((rule) => `${rule.profile}/${rule.rule}`)))];
}

function report(result: ApplyResult, flags: ApplyFlags, disabled: string[]): void {
  if (flags.format === 'json') {
    // One JSON document on stdout; a rolled-back run is told by its outcome and the exit code.
    emit(`${JSON.stringify({ ...result, leftOut: disabled }, null, 2)}\n`, undefined);
    if (result.outcome === 'rolled-back') process.exitCode = 1;
    return;
  }
  emit(describeResult(result, disabled), undefined);
  if (result.outcome === 'rolled-back') {
    throw new PruneError('CP_VERIFY_REGRESSION', `verification failed after pruning ${result.prefix}; every file was put back`, {
      hint: 'the failing imports and the rules they are traced to are listed above; leave those rules out (--safe does it for you) and apply again',
    });
  }
}

function addVerifyFlags(command: Command): Command {
  return command
    .option('--import <module>', 'also require this module to import (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--run <command>', 'also require this command to exit 0, with the env first on PATH (repeatable)', (value: string, previous: string[]) => [...previous, value], []);
}

function describeResult(result: ApplyResult, disabled: string[]): string {
  if (result.outcome === 'nothing-to-do') return `Nothing to do: no selected rule matches a file of ${result.prefix}.\n`;
  if (result.outcome === 'rolled-back') return `${describeRegressions(result)}Rolled back: ${result.prefix} is as it was.\n`;
  const lines = [`Pruned ${result.prefix}: ${plural(result.removed.files, 'file')}, ${formatBytes(result.removed.bytes)}, ${plural(result.removed.directories, 'directory', 'directories')} (${result.mode === 'quarantine' ? 'verified' : 'not verified'}).`];
  if (result.vanished.length > 0) lines.push(`${plural(result.vanished.length, 'file')} had already gone: ${result.vanished.slice(0, 5).join(', ')}${result.vanished.length > 5 ? ', …' : ''}`);
  if (result.backup !== undefined) lines.push(`Backup kept in ${result.backup}; \`conda-prune undo\` restores it.`);
  if (disabled.length > 0) lines.push(`Left out because verification traced a regression to them: ${disabled.join(', ')}.`);
  const removedOnPurpose = (result.check as VerificationReport | undefined)?.removedOnPurpose ?? [];
  if (removedOnPurpose.length > 0) lines.push(`Not imported, removed whole by their own package's profile: ${removedOnPurpose.map((removed) => `${removed.module} (${removed.rules.join(', ')})`).join(', ')}.`);
  lines.push(...describeStillBroken(result));
  return `${lines.join('\n')}\n`;
}

/**
 * Checks that failed before the prune and still fail are not the prune's doing, so they do not
 * roll it back; but a check a Dockerfile asks for (--run, --import) that can never pass must not
 * go unnoticed either.
 */
function describeStillBroken(result: ApplyResult): string[] {
  const broken = (result.check as VerificationReport | undefined)?.comparison.stillBroken ?? [];
  if (broken.length === 0) return [];
  const shown = broken.slice(0, 10).map((check) => `  ${check.module === undefined ? `run ${check.command ?? ''}` : `import ${check.module}`}: ${check.error ?? 'failed'}`);
  const more = broken.length > shown.length ? [`  … and ${broken.length - shown.length} more (--format json lists them)`] : [];
  return [`WARNING ${plural(broken.length, 'check')} failed before the prune and still fail${broken.length === 1 ? 's' : ''} (not caused by it):`, ...shown, ...more];
}

/** Lists each regression with the rules it is traced to. */
function describeRegressions(result: ApplyResult): string {
  const report = result.check as VerificationReport | undefined;
  if (report === undefined) return '';
  const lines = report.blame.map((blame) => {
    const what = blame.check.module === undefined ? `run ${blame.check.command ?? ''}` : `import ${blame.check.module}`;
    const rules = blame.rules.length === 0 ? 'not traced to a rule' : `traced to ${blame.rules.map((rule) => `${rule.profile}/${rule.rule} (${rule.entries.length} files)`).join(', ')}`;
    return `FAIL ${what}: ${blame.check.error ?? 'failed'}; ${rules}`;
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Draws files, bytes and rate on one terminal line. */
function createProgressBar(): (progress: ApplyProgress) => void {
  const started = performance.now();
  return ({ done, total, bytes }) => {
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? `${Math.round(done / seconds)} files/s` : '';
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} files, ${formatBytes(bytes)} ${rate}\u001b[K`);
  };
}
