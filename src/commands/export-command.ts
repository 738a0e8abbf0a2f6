/**
 * `conda-prune export`: the plan as an exclude list for conda-pack, tar or any tool that reads a
 * list of paths, so the same decisions can be applied when packing instead of deleting.
 */
import { Option, type Command } from 'commander';
import { planPrefix } from '../plan/plan-prefix.ts';
import { exclusionFormats, renderExclusions, type ExclusionFormat } from '../export/render-exclusions.ts';
import { addSelectionFlags, emit, resolvePrefix, resolveSelection, type SelectionFlags } from './shared-flags.ts';

interface ExportFlags extends SelectionFlags {
  format: ExclusionFormat;
  output?: string;
}

/** Adds the export command to the program. */
export function registerExportCommand(program: Command): void {
  addSelectionFlags(
    program
      .command('export')
      .description('Write the plan as an exclude list: conda-pack --exclude arguments, a tar --exclude-from file, or plain paths (changes nothing)')
      .argument('[prefix]', 'environment prefix (default: $CONDA_PREFIX)'),
  )
    .addOption(new Option('--format <format>', 'list format').choices(exclusionFormats).default('paths'))
    .option('-o, --output <file>', 'write the list to a file instead of stdout')
    .action(async (prefix: string | undefined, flags: ExportFlags) => {
      const plan = await planPrefix({ prefix: resolvePrefix(prefix), ...(await resolveSelection(flags, process.cwd())) });
      emit(renderExclusions(plan, flags.format), flags.output);
    });
}
