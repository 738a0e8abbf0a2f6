/**
 * Seeded randomness and the file-size model for synthetic environments, so that the same
 * inputs always produce byte-for-byte the same environment (and a stamp can prove reuse is safe).
 */

/** A small deterministic random source (mulberry32). */
export interface Rng {
  /** Returns a float in [0, 1). */
  next(): number;
  /** Returns an integer in [min, max]. */
  int(min: number, max: number): number;
  /** Returns true with probability `p`. */
  chance(p: number): boolean;
  /** Returns one element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** Returns a standard normal variate. */
  normal(): number;
}

/** Creates a random source from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    // Box–Muller; 1 - next() keeps the logarithm away from zero.
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
}

/** Median size in bytes and log-spread per kind of file, after typical conda-forge packages. */
const SIZE_MODEL: Record<string, [median: number, sigma: number]> = {
  py: [4_000, 1.2],
  pyc: [5_000, 1.1],
  so: [300_000, 1.6],
  a: [1_500_000, 1.3],
  h: [6_000, 1.0],
  html: [12_000, 0.9],
  js: [30_000, 1.5],
  map: [100_000, 1.5],
  css: [8_000, 1.0],
  mo: [40_000, 0.8],
  man: [8_000, 0.9],
  pc: [400, 0.3],
  cmake: [3_000, 0.8],
  bin: [500_000, 1.4],
  data: [20_000, 2.0],
  pyx: [20_000, 1.0],
  txt: [2_000, 1.0],
  json: [1_500, 1.0],
};

/** Draws a plausible size for a file of the given kind (a key of the size model, else `txt`). */
export function drawSize(rng: Rng, kind: string): number {
  const [median, sigma] = SIZE_MODEL[kind] ?? (SIZE_MODEL.txt as [number, number]);
  return Math.max(1, Math.round(median * Math.exp(sigma * rng.normal())));
}

const SYLLABLES = ['ar', 'bo', 'ca', 'di', 'el', 'fu', 'ga', 'hy', 'io', 'ju', 'ka', 'lo', 'mi', 'no', 'py', 'qu', 'ro', 'sa', 'te', 'ul', 'vi', 'wo', 'xe', 'zy'];

/** Makes an identifier-like word of `parts` syllables (`kalomi`). */
export function word(rng: Rng, parts: number): string {
  let out = '';
  for (let i = 0; i < parts; i++) out += rng.pick(SYLLABLES);
  return out;
}
