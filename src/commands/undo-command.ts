/**
 * `conda-prune undo`: restores the last prune that was applied with --keep-backup.
 */
import type { Command } from 'commander';
import { undoLastRun } from '../apply/undo.ts';
import { plural } from '../report/format.ts';
import { emit, resolvePrefix } from './shared-flags.ts';

/** Adds the undo command to the program. */
export function registerUndoCommand(program: Command): void {
  program
    .command('undo')
    .description('Restore the last prune applied with --keep-backup: its files, directories and records')
    .argument('[prefix]', 'environment prefix (default: $CONDA_PREFIX)')
    .action((prefix: string | undefined) => {
      const result = undoLastRun(resolvePrefix(prefix));
      const { files, directories, records } = result.restored;
      emit(`Undid prune ${result.runId} of ${result.prefix}: ${plural(files, 'file')}, ${plural(directories, 'directory', 'directories')} and ${plural(records, 'record')} restored.\n`, undefined);
    });
}
