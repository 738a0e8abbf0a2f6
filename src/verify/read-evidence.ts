/**
 * Reads the clues a failed check leaves about which file it missed: module names from import
 * errors, file paths from tracebacks and FileNotFoundError, library names from the loader.
 */
import type { BlameEvidence, VerifyCheck } from './types.ts';

// Each pattern with the kind of clue its first group is; `missing-name` also captures the module.
const patterns: Array<{ kind: BlameEvidence['kind']; pattern: RegExp }> = [
  { kind: 'missing-module', pattern: /No module named '([^']+)'/g },
  { kind: 'missing-name', pattern: /cannot import name '([^']+)' from '([^']+)'/g },
  { kind: 'traceback-file', pattern: /File "([^"]+)", line \d+/g },
  // The loader names the library as DT_NEEDED says it (`libblas.so.3`) or by path for dlopen.
  { kind: 'shared-library', pattern: /([^\s:'"()]+): cannot open shared object file/g },
  { kind: 'missing-file', pattern: /No such file or directory: '([^']+)'/g },
];

/** Returns every clue in a check's error and output, each once, in the order found. */
export function readEvidence(check: VerifyCheck): BlameEvidence[] {
  const text = `${check.error ?? ''}\n${check.output ?? ''}`;
  const seen = new Set<string>();
  const evidence: BlameEvidence[] = [];
  for (const { kind, pattern } of patterns) {
    for (const match of text.matchAll(pattern)) {
      // `cannot import name 'X' from 'a.b'` becomes the dotted name a.b.X.
      const clue = kind === 'missing-name' ? `${match[2]}.${match[1]}` : (match[1] as string);
      if (kind === 'traceback-file' && clue.startsWith('<')) continue;
      const key = `${kind}\0${clue}`;
      if (seen.has(key)) continue;
      seen.add(key);
      evidence.push({ kind, clue });
    }
  }
  return evidence;
}
