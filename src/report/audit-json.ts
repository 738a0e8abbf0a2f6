/**
 * Renders an audit as its stable JSON document (docs/audit-json.md describes every field).
 */
import type { Audit } from '../audit/types.ts';

/** Renders the audit as pretty-printed JSON with a trailing newline. */
export function renderAuditJson(audit: Audit): string {
  return `${JSON.stringify(audit, null, 2)}\n`;
}
