/**
 * Renders a plan as a unified-diff style listing: a git-like diffstat, then each removed path as
 * `--- a/PATH` / `+++ /dev/null`, so review tools and `diffstat` read it as deletions.
 */
import type { Plan } from '../plan/types.ts';
import { formatBytes, plural } from './format.ts';

/** Renders a plan as a deletion-only unified diff with a leading diffstat. */
export function renderPlanDiff(plan: Plan): string {
  const lines: string[] = [];
  const width = Math.min(80, Math.max(0, ...plan.entries.map((entry) => entry.path.length)));
  for (const entry of plan.entries) lines.push(` ${entry.path.padEnd(width)} | Bin ${entry.bytes} -> 0 bytes`);
  lines.push(` ${plural(plan.totals.files, 'file')} changed, ${formatBytes(plan.totals.bytes)} removed`);
  lines.push('');
  for (const entry of plan.entries) {
    lines.push(`diff --git a/${entry.path} b/${entry.path}`);
    lines.push(entry.kind === 'symlink' ? 'deleted file mode 120000' : 'deleted file mode 100644');
    lines.push(`--- a/${entry.path}`);
    lines.push('+++ /dev/null');
    lines.push(`# ${entry.package} ${entry.version}: ${entry.profile}/${entry.rule} (${entry.category}, ${entry.risk}), ${entry.bytes} bytes`);
  }
  return `${lines.join('\n')}\n`;
}
