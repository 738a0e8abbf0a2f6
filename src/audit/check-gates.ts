/**
 * Checks an audit against the CI gates: the env's size and what a preset could still remove, so a
 * pipeline can stop an image that grew fat.
 */
import type { Audit, AuditGate } from './types.ts';

/** The limits a pipeline sets, in bytes. */
export interface GateLimits {
  maxSize?: number;
  maxPrunable?: number;
  /** The preset whose savings `maxPrunable` counts; `default` when not given. */
  prunablePreset?: string;
}

/** Returns one gate per limit given, each with the measured value and whether it was exceeded. */
export function checkGates(audit: Pick<Audit, 'totals' | 'presets'>, limits: GateLimits): AuditGate[] {
  const gates: AuditGate[] = [];
  if (limits.maxSize !== undefined) {
    gates.push({ gate: 'max-size', limit: limits.maxSize, actual: audit.totals.bytes, exceeded: audit.totals.bytes > limits.maxSize });
  }
  if (limits.maxPrunable !== undefined) {
    const preset = limits.prunablePreset ?? 'default';
    const actual = audit.presets.find((savings) => savings.preset === preset)?.bytes ?? 0;
    gates.push({ gate: 'max-prunable', limit: limits.maxPrunable, actual, exceeded: actual > limits.maxPrunable, preset });
  }
  return gates;
}
