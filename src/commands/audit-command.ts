/**
 * `conda-prune audit`: where an environment's bytes go and what could go, read-only, as text,
 * JSON, Markdown or a self-contained HTML page; with CI gates on size and prunable bytes.
 */
import { Option, type Command } from 'commander';
import { auditPrefix } from '../audit/audit-environment.ts';
import { parseSize } from '../audit/parse-size.ts';
import { auditedPresets, configuredSelection } from '../audit/preset-savings.ts';
import type { Audit, AuditGate } from '../audit/types.ts';
import { PruneError } from '../errors.ts';
import { renderAuditHtml } from '../report/audit-html.ts';
import { renderAuditJson } from '../report/audit-json.ts';
import { renderAuditMarkdown } from '../report/audit-markdown.ts';
import { renderAuditText } from '../report/audit-text.ts';
import { formatBytes } from '../report/format.ts';
import { addConfigFlags, emit, resolvePrefix, resolveSelection, wantsColor } from './shared-flags.ts';

const auditFormats = ['text', 'json', 'markdown', 'html'] as const;
type AuditFormat = (typeof auditFormats)[number];

interface AuditFlags {
  config?: string;
  cacheDir?: string;
  format: AuditFormat;
  output?: string;
  maxSize?: string;
  maxPrunable?: string;
  prunablePreset: string;
  minUnprofiled: string;
  color: boolean;
}

/** Adds the audit command to the program. */
export function registerAuditCommand(program: Command): void {
  const command = program
    .command('audit')
    .description('Show where the env\'s bytes go by package and category, what each preset would save, what no profile covers yet, duplicates and image hints (changes nothing)')
    .argument('[prefix]', 'environment prefix (default: $CONDA_PREFIX)')
    .addOption(new Option('--format <format>', 'output format').choices(auditFormats).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--max-size <size>', 'exit 1 when the env is larger than SIZE (e.g. 2GB, 1.5GiB), after writing the report')
    .option('--max-prunable <size>', 'exit 1 when the --prunable-preset would remove more than SIZE, after writing the report')
    .addOption(new Option('--prunable-preset <name>', `the preset whose savings --max-prunable counts (${configuredSelection}: the selection of conda-prune.yaml)`).choices([...auditedPresets, configuredSelection]).default('default'))
    .option('--min-unprofiled <size>', 'report packages with at least SIZE of prunable content no profile covers', '1MiB')
    .option('--no-color', 'never colour the output (NO_COLOR and non-TTY output are honoured too)');
  addConfigFlags(command).action(async (prefix: string | undefined, flags: AuditFlags) => {
    // With a config file the project's own selection is priced too, beside the presets.
    const prepared = await resolveSelection(flags, process.cwd());
    if (prepared.config === undefined && flags.prunablePreset === configuredSelection) {
      throw new PruneError('CP_USAGE', `--prunable-preset ${configuredSelection} needs a conda-prune.yaml`, { hint: 'name the config with --config FILE, or pick default, moderate or aggressive' });
    }
    const audit = await auditPrefix(resolvePrefix(prefix), {
      cwd: process.cwd(),
      ...(prepared.config === undefined ? {} : { configured: prepared }),
      minUnprofiledBytes: parseSize(flags.minUnprofiled, '--min-unprofiled'),
      prunablePreset: flags.prunablePreset,
      ...(flags.maxSize === undefined ? {} : { maxSize: parseSize(flags.maxSize, '--max-size') }),
      ...(flags.maxPrunable === undefined ? {} : { maxPrunable: parseSize(flags.maxPrunable, '--max-prunable') }),
    });
    emit(render(audit, flags), flags.output);
    reportExceededGates(audit.gates);
  });
}

function render(audit: Audit, flags: AuditFlags): string {
  if (flags.format === 'json') return renderAuditJson(audit);
  if (flags.format === 'markdown') return renderAuditMarkdown(audit);
  if (flags.format === 'html') return renderAuditHtml(audit);
  return renderAuditText(audit, { color: wantsColor(flags) });
}

/**
 * A gate that failed is an outcome the report already shows (`gates` in JSON): the message goes
 * to stderr and only the exit code says so, so stdout stays one document a pipeline can parse.
 */
function reportExceededGates(gates: readonly AuditGate[]): void {
  const errors = gates.filter((gate) => gate.exceeded).map(gateError);
  for (const error of errors) process.stderr.write(`error ${error.code}: ${error.message}\nhint: ${error.hint ?? ''}\n`);
  const first = errors[0];
  if (first !== undefined) process.exitCode = first.exitCode;
}

function gateError(gate: AuditGate): PruneError {
  if (gate.gate === 'max-size') {
    return new PruneError('CP_AUDIT_MAX_SIZE', `the environment is ${formatBytes(gate.actual)} (${gate.actual} bytes), over --max-size ${formatBytes(gate.limit)} (${gate.limit} bytes)`, {
      hint: 'see the largest packages and what each preset would save in the report; prune with conda-prune apply, or raise the limit',
    });
  }
  return new PruneError('CP_AUDIT_MAX_PRUNABLE', `the ${gate.preset ?? 'default'} preset would remove ${formatBytes(gate.actual)} (${gate.actual} bytes), over --max-prunable ${formatBytes(gate.limit)} (${gate.limit} bytes)`, {
    hint: `run conda-prune apply --preset ${gate.preset ?? 'default'} in the image build before this check`,
  });
}
