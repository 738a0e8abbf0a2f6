/**
 * An exclusive lock on a prefix, so two prunes never interleave their moves. The lock is a file
 * created with O_EXCL; one left by a process that is gone (same host, pid not alive) is taken over.
 */
import { mkdirSync, readFileSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { PruneError } from '../errors.ts';
import { statePaths } from './state-paths.ts';

interface LockOwner {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

/** A held lock; release it in a finally block. */
export interface PrefixLock {
  release(): void;
}

/** Takes the prefix's lock or throws CP_LOCKED naming the run that holds it. */
export function acquireLock(prefix: string, command: string): PrefixLock {
  const paths = statePaths(prefix);
  mkdirSync(paths.root, { recursive: true });
  const owner: LockOwner = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(paths.lock, JSON.stringify(owner), { flag: 'wx' });
      return {
        release: () => {
          unlinkSync(paths.lock);
          removeIfEmpty(paths.root);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readOwner(paths.lock);
      if (attempt === 0 && holder !== undefined && isStale(holder)) {
        unlinkSync(paths.lock);
        continue;
      }
      throw new PruneError('CP_LOCKED', `${prefix} is locked by another conda-prune run${holder === undefined ? '' : ` (${holder.command}, pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`}`, {
        hint: `wait for it to finish; if no such run exists, delete ${paths.lock}`,
      });
    }
  }
  throw new PruneError('CP_LOCKED', `${prefix} is locked by another conda-prune run`, { hint: `delete ${paths.lock} if no run exists` });
}

/** A run refused before its first change leaves no trace, not even the state folder. */
function removeIfEmpty(directory: string): void {
  try {
    rmdirSync(directory);
  } catch {
    // Holds a history, a backup or a journal: it stays.
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** A lock is stale when its process on this host is gone; another host's lock is never judged. */
function isStale(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
