/**
 * Describes the machine a benchmark ran on, so numbers in BENCHMARKS.md can be compared only
 * with numbers from a similar machine.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, version } from 'node:os';

/** The facts printed in the Machine section. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  /** Filesystem type of the folder the envs live in. */
  filesystem: string;
  find: string;
  /** 1-minute load average when the run started; other work on the box skews timings. */
  loadAtStart: number;
}

/** Collects the machine facts; `envRoot` is where the envs live. */
export function describeMachine(envRoot: string): MachineInfo {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // Not Linux: os.cpus() already said what it knows.
  }
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    kernel: `${release()} (${version()})`,
    filesystem: firstLine(spawnSync('df', ['--output=fstype', envRoot], { encoding: 'utf8' }).stdout, 1) ?? 'unknown',
    find: firstLine(spawnSync('find', ['--version'], { encoding: 'utf8' }).stdout, 0) ?? 'unknown',
    loadAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

function firstLine(text: string | undefined, index: number): string | undefined {
  return text?.split('\n')[index]?.trim() || undefined;
}
