/**
 * The text report of a verify run: one line per failing check with its error, the tail of a
 * failing command's output, and a summary line. JSON needs no renderer: it is the result itself.
 */
import { createStyle, plural } from '../report/format.ts';
import type { VerifyCheck, VerifyResult } from './types.ts';

/** Options of renderVerifyText. */
export interface RenderVerifyOptions {
  color: boolean;
}

// A command's last lines usually say why it failed; the full 4 KiB is in the JSON.
const outputLines = 5;

/** Renders a verify result as the text report `conda-prune verify` prints. */
export function renderVerifyText(result: VerifyResult, options: RenderVerifyOptions): string {
  const style = createStyle(options.color);
  const lines = [style.bold(`conda-prune verify: ${result.prefix}`), style.dim(`python: ${result.python}`)];
  for (const check of result.checks) {
    if (check.ok) continue;
    const label = check.crashed === true ? 'CRASH' : check.timedOut === true ? 'TIMEOUT' : 'FAIL';
    lines.push(`${style.red(label.padEnd(7))} ${describe(check)}: ${check.error ?? 'failed'}`);
    if (check.kind === 'run' && check.output !== undefined) {
      for (const line of check.output.trimEnd().split('\n').slice(-outputLines)) lines.push(style.dim(`        | ${line}`));
    }
  }
  const failed = result.checks.filter((check) => !check.ok).length;
  const crashed = result.checks.filter((check) => check.crashed === true).length;
  const timedOut = result.checks.filter((check) => check.timedOut === true).length;
  const extras = [crashed > 0 ? `${crashed} crashed` : '', timedOut > 0 ? `${timedOut} timed out` : ''].filter(Boolean);
  const counts = `${result.checks.length - failed} passed, ${failed} failed${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
  const summary = `${plural(result.checks.length, 'check')} in ${(result.durationMs / 1000).toFixed(1)} s: ${counts}`;
  lines.push(result.ok ? style.green(`OK ${summary}`) : style.red(`FAILED ${summary}`));
  return `${lines.join('\n')}\n`;
}

function describe(check: VerifyCheck): string {
  return check.kind === 'import' ? `import ${check.module ?? ''}` : `run ${JSON.stringify(check.command ?? '')}`;
}
