/**
 * `conda-prune plan`: the dry-run diff of what the selected profiles would remove.
 */
import { Option, type Command } from 'commander';
import { planPrefix } from '../plan/plan-prefix.ts';
import { planFormats, renderPlan, type PlanFormat } from '../report/render-plan.ts';
import { addSelectionFlags, emit, resolvePrefix, resolveSelection, wantsColor, type SelectionFlags } from './shared-flags.ts';

interface PlanFlags extends SelectionFlags {
  format: PlanFormat;
  output?: string;
  verbose?: boolean;
  color: boolean;
}

/** Adds the plan command to the program. */
export function registerPlanCommand(program: Command): void {
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
      const plan = await planPrefix({ prefix: resolvePrefix(prefix), ...(await resolveSelection(flags, process.cwd())) });
      emit(renderPlan(plan, flags.format, { color: wantsColor(flags), verbose: flags.verbose === true }), flags.output);
    });
}
