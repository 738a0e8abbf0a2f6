/**
 * Parses the sizes the CI gates take: `500MB`, `1.5GiB`, `2G`, `123456`.
 */
import { PruneError } from '../errors.ts';

/**
 * Multipliers by unit, lower-cased. SI units (kB, MB, GB) count in thousands, IEC units (KiB,
 * MiB, GiB) in 1024s; a bare letter (K, M, G) means the IEC unit, as `du -h` and `ls -h` print it.
 */
const units: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1e3,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1e9,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1e12,
  tib: 1024 ** 4,
};

/** Parses a size into bytes; throws CP_USAGE naming the flag when it is not one. */
export function parseSize(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
  const multiplier = match === null ? undefined : units[(match[2] as string).toLowerCase()];
  if (match === null || multiplier === undefined) {
    throw new PruneError('CP_USAGE', `${flag} ${JSON.stringify(text)} is not a size`, {
      hint: `write a number with an optional unit, e.g. ${flag} 500MB or ${flag} 1.5GiB (kB/MB/GB count in 1000s; KiB/MiB/GiB and K/M/G in 1024s)`,
    });
  }
  return Math.round(Number(match[1]) * multiplier);
}
