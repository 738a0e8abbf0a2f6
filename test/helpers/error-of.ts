/**
 * Catches the PruneError a call throws, so a test can assert its code, hint and issues.
 */
import { PruneError } from '../../src/errors.ts';

/** Returns the PruneError `run` throws; fails when it throws something else or nothing. */
export function errorOf(run: () => unknown): PruneError {
  try {
    run();
  } catch (error) {
    if (error instanceof PruneError) return error;
    throw error;
  }
  throw new Error('expected a PruneError, but nothing was thrown');
}

/** Returns the PruneError the promise `run` returns rejects with; fails otherwise. */
export async function errorOfAsync(run: () => Promise<unknown>): Promise<PruneError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof PruneError) return error;
    throw error;
  }
  throw new Error('expected a PruneError, but nothing was thrown');
}
