/**
 * `conda-prune recover`: finishes or reverts a prune that was interrupted, from its journal.
 */
import { Option, type Command } from 'commander';
import { recoverPrefix } from '../apply/recover.ts';
import { emit, resolvePrefix } from './shared-flags.ts';

/** Adds the recover command to the program. */
export function registerRecoverCommand(program: Command): void {
  program
    .command('recover')
    .description('Finish or revert an interrupted prune from its journal (exits 0 when there is nothing to recover)')
    .argument('[prefix]', 'environment prefix (default: $CONDA_PREFIX)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((prefix: string | undefined, flags: { format: 'text' | 'json' }) => {
      const result = recoverPrefix(resolvePrefix(prefix));
      if (flags.format === 'json') {
        emit(`${JSON.stringify(result, null, 2)}\n`, undefined);
        return;
      }
      const said = {
        'nothing-to-recover': `Nothing to recover: ${result.prefix} has no unfinished prune.`,
        completed: `Finished the interrupted prune ${result.runId ?? ''} of ${result.prefix}.`,
        reverted: `Reverted the interrupted prune ${result.runId ?? ''} of ${result.prefix}: every file is back.`,
      }[result.outcome];
      emit(`${said}\n`, undefined);
    });
}
