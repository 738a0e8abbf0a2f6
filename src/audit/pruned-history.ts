/**
 * Reads what earlier prunes removed from this env, from the history apply keeps in the prefix:
 * when, how much, and by which profile versions.
 */
import { readHistory } from '../apply/history.ts';
import type { PrunedRun } from './types.ts';

/** Returns every committed prune of the env, oldest first; an env never pruned has none. */
export function readPrunedHistory(prefix: string): PrunedRun[] {
  return readHistory(prefix).map((entry) => {
    const run: PrunedRun = {
      runId: entry.runId,
      appliedAt: entry.appliedAt,
      toolVersion: entry.tool.version,
      maxRisk: entry.maxRisk,
      verified: entry.verified,
      profiles: entry.profiles.map((profile) => ({ name: profile.name, version: profile.version, source: profile.source })),
      files: entry.totals.files,
      bytes: entry.totals.bytes,
    };
    if (entry.undoneAt !== undefined) run.undoneAt = entry.undoneAt;
    return run;
  });
}
