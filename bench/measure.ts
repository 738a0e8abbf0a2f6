/**
 * Times commands against their baselines in alternating rounds (A B C A B C …) after one warm-up
 * each, so that page-cache state, CPU frequency and neighbours' load drift hit every variant
 * alike. Wall time is process.hrtime around spawnSync; peak RSS comes from GNU time.
 *
 * Peak RSS, and why GNU time: Node offers no child rusage (process.resourceUsage() is the
 * calling process only, and RUSAGE_CHILDREN is not exposed), and polling /proc/PID/status
 * VmHWM races the child's exit. `/usr/bin/time -f %M -o FILE` reports ru_maxrss from wait4(),
 * which for an exited child is the largest of the child and every descendant it waited for, so
 * `sh -c 'find …; find …'` reports the biggest find. The wrapper costs ~1 ms of fork/exec on
 * every variant alike. Without /usr/bin/time (Debian package `time`) RSS is reported as unknown.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A command to time. */
export interface CommandSpec {
  /** Short name for tables (`plan`, `find -type f`). */
  label: string;
  argv: string[];
  /** Runs before every execution, untimed (e.g. restore a pristine env for apply). */
  prepare?: () => void;
}

/** Summary statistics of a sample, in milliseconds. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

/** Every timed run of one command and their summary. */
export interface VariantResult {
  label: string;
  /** The command as a shell would show it. */
  command: string;
  wallMs: number[];
  wall: Summary;
  /** Largest peak RSS over the timed runs in KiB; undefined when it cannot be measured. */
  peakRssKb?: number;
}

/** How to run a measurement. */
export interface MeasureOptions {
  /** Timed runs per variant. */
  runs: number;
  /** Untimed runs per variant before the first round. */
  warmups?: number;
  /** Per-run limit in milliseconds. */
  timeoutMs?: number;
}

const GNU_TIME = '/usr/bin/time';

/** Reports whether peak RSS can be measured here (GNU time at /usr/bin/time accepts -f %M -o). */
export function canMeasureRss(): boolean {
  if (!existsSync(GNU_TIME)) return false;
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  try {
    const out = join(dir, 'rss');
    const probe = spawnSync(GNU_TIME, ['-f', '%M', '-o', out, 'true'], { stdio: 'ignore' });
    return probe.status === 0 && /^\d+\s*$/.test(readFileSync(out, 'utf8'));
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs every variant `warmups` times, then `runs` alternating rounds, and returns their timings. */
export function measureAlternating(variants: readonly CommandSpec[], options: MeasureOptions): VariantResult[] {
  const rss = canMeasureRss();
  const dir = mkdtempSync(join(tmpdir(), 'bench-run-'));
  try {
    const rssFile = join(dir, 'rss');
    const once = (spec: CommandSpec): { ms: number; rssKb?: number } => runOnce(spec, rss ? rssFile : undefined, options.timeoutMs ?? 300_000);
    for (let i = 0; i < (options.warmups ?? 1); i++) for (const spec of variants) once(spec);
    const samples = variants.map(() => ({ ms: [] as number[], rss: [] as number[] }));
    for (let round = 0; round < options.runs; round++) {
      variants.forEach((spec, i) => {
        const sample = once(spec);
        const into = samples[i] as { ms: number[]; rss: number[] };
        into.ms.push(sample.ms);
        if (sample.rssKb !== undefined) into.rss.push(sample.rssKb);
      });
    }
    return variants.map((spec, i) => {
      const { ms, rss: rssKb } = samples[i] as { ms: number[]; rss: number[] };
      const result: VariantResult = { label: spec.label, command: shellQuote(spec.argv), wallMs: ms, wall: summarize(ms) };
      if (rssKb.length > 0) result.peakRssKb = Math.max(...rssKb);
      return result;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runOnce(spec: CommandSpec, rssFile: string | undefined, timeoutMs: number): { ms: number; rssKb?: number } {
  spec.prepare?.();
  const argv = rssFile === undefined ? spec.argv : [GNU_TIME, '-f', '%M', '-o', rssFile, ...spec.argv];
  const started = process.hrtime.bigint();
  const child = spawnSync(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.error !== undefined || child.status !== 0) {
    const why = child.error?.message ?? `exit ${child.status ?? child.signal}`;
    throw new Error(`${spec.label} failed (${why}): ${shellQuote(spec.argv)}\n${child.stderr?.toString().slice(-2000) ?? ''}`);
  }
  if (rssFile === undefined) return { ms };
  // GNU time prints "Command exited with non-zero status" first when it fails; the last line is %M.
  const lastLine = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
  const rssKb = Number(lastLine);
  return Number.isFinite(rssKb) ? { ms, rssKb } : { ms };
}

/** Returns median, quartiles (linear interpolation) and range of a non-empty sample. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN, q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75) };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (at - low);
}

/** Returns the ratio of two variants' medians (subject / baseline). */
export function medianRatio(subject: VariantResult, baseline: VariantResult): number {
  return subject.wall.median / baseline.wall.median;
}

/** Renders argv the way a POSIX shell would accept it. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
