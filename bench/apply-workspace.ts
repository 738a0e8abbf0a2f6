/**
 * A working copy for the apply scenario that is cheap to reset between runs. Copying a
 * 60,000-file env before every run costs far more than the run itself (and ext4 slows down right
 * after mass deletes), so the copy is made once as a hard-link farm of the bench env, and each
 * reset puts back only what a run removed: the planned paths (linked again from the env), their
 * directories, and conda-meta/ (copied with its timestamps, so the saved plan's fingerprint holds).
 */
import { spawnSync } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A hard-link copy of `source` at `work`, and a reset that undoes any prune of listed paths. */
export interface ApplyWorkspace {
  work: string;
  reset(paths: readonly string[]): void;
}

/** Creates the working copy; records are real copies, since apply rewrites them. */
export function createApplyWorkspace(source: string, work: string): ApplyWorkspace {
  rmSync(work, { recursive: true, force: true });
  run('cp', ['-al', source, work]);
  copyRecords(source, work);
  return {
    work,
    reset(paths) {
      rmSync(join(work, '.conda-prune'), { recursive: true, force: true });
      for (const path of paths) {
        if (lstatSync(join(work, path), { throwIfNoEntry: false }) !== undefined) continue;
        mkdirSync(dirname(join(work, path)), { recursive: true });
        // link(2) does not follow a symlink: a link entry comes back as the link it was.
        linkSync(join(source, path), join(work, path));
      }
      copyRecords(source, work);
    },
  };
}

function copyRecords(source: string, work: string): void {
  rmSync(join(work, 'conda-meta'), { recursive: true, force: true });
  run('cp', ['-a', join(source, 'conda-meta'), join(work, 'conda-meta')]);
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}
