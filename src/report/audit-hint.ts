/**
 * Writes the heading of an audit hint with its numbers, the same way in every format.
 */
import type { AuditHint } from '../audit/types.ts';
import { formatBytes, formatCount } from './format.ts';

/** Returns e.g. `Bytecode: 128.2 MiB`, `MKL: 760.6 MiB in mkl, intel-openmp`, `Editable installs: 2`. */
export function describeHint(hint: AuditHint): string {
  const size = hint.bytes === undefined ? '' : `: ${formatBytes(hint.bytes)}`;
  if (hint.id === 'mkl') return `${hint.title}${size} in ${hint.subjects.join(', ')}`;
  if (hint.id === 'editable-installs') return `${hint.title}: ${formatCount(hint.subjects.length)} (${hint.subjects.join(', ')})`;
  return `${hint.title}${size}`;
}
