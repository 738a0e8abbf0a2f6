/**
 * A fingerprint of what is installed in a prefix, so a plan saved earlier can be refused when
 * the env changed since: any install, removal or rewrite of a record changes it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Returns a sha256 over the name, size and modification time of every conda-meta record. */
export function fingerprintEnvironment(prefix: string): string {
  const hash = createHash('sha256');
  const meta = join(prefix, 'conda-meta');
  for (const name of readdirSync(meta).sort()) {
    if (!name.endsWith('.json')) continue;
    const stats = statSync(join(meta, name));
    hash.update(`${name}\0${stats.size}\0${stats.mtimeMs}\n`);
  }
  return hash.digest('hex');
}
