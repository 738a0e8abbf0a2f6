/**
 * Traces each regression of a prune to the plan entries, and so the profiles and rules, whose
 * removed files it needed. It reads only the checks' text and the plan, touches no disk, and can
 * be called again after each restore: a regression with no matching rule (`rules: []`) is the
 * case where apply restores rules one at a time from the quarantine to find the culprit.
 */
import { posix } from 'node:path';
import type { Plan, PlanEntry } from '../plan/types.ts';
import { readEvidence } from './read-evidence.ts';
import type { Blame, BlameEvidence, BlamedRule, VerifyCheck } from './types.ts';

/** Options of blameRegressions. */
export interface BlameOptions {
  /**
   * Absolute prefixes that paths in tracebacks may start with; the plan's prefix when omitted.
   * Pass the real path too when the prefix goes through a symlink: python reports real paths.
   */
  prefixes?: string[];
}

interface Index {
  /** Sorted by path, so every entry under a path is one contiguous run (see withPrefix). */
  entries: PlanEntry[];
  byPath: Map<string, PlanEntry>;
  byBasename: Map<string, PlanEntry[]>;
  /** Directories python imports from, prefix-relative: site-packages, the stdlib, lib-dynload. */
  roots: string[];
  prefixes: string[];
}

/** Returns, per regression, the plan entries its clues point at, grouped by profile and rule. */
export function blameRegressions(regressions: readonly VerifyCheck[], plan: Plan, options: BlameOptions = {}): Blame[] {
  const index = indexPlan(plan, options.prefixes ?? [plan.prefix]);
  return regressions.map((check) => {
    const rules = new Map<string, BlamedRule>();
    for (const evidence of readEvidence(check)) {
      for (const entry of matchEvidence(evidence, index)) {
        const key = `${entry.profile}\0${entry.rule}`;
        let blamed = rules.get(key);
        if (blamed === undefined) {
          blamed = { profile: entry.profile, rule: entry.rule, entries: [], evidence: [] };
          rules.set(key, blamed);
        }
        if (!blamed.entries.includes(entry)) blamed.entries.push(entry);
        if (!blamed.evidence.some((known) => known.kind === evidence.kind && known.clue === evidence.clue)) blamed.evidence.push(evidence);
      }
    }
    return { check, rules: [...rules.values()] };
  });
}

function indexPlan(plan: Plan, prefixes: string[]): Index {
  const byPath = new Map<string, PlanEntry>();
  const byBasename = new Map<string, PlanEntry[]>();
  for (const entry of plan.entries) {
    byPath.set(entry.path, entry);
    const name = posix.basename(entry.path);
    byBasename.set(name, [...(byBasename.get(name) ?? []), entry]);
  }
  const roots: string[] = [];
  if (plan.python !== undefined) {
    const stdlib = posix.dirname(plan.python.sitePackages);
    roots.push(plan.python.sitePackages, stdlib, `${stdlib}/lib-dynload`);
  }
  const entries = [...plan.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, byPath, byBasename, roots, prefixes: prefixes.map((prefix) => prefix.replace(/\/+$/, '')) };
}

function matchEvidence(evidence: BlameEvidence, index: Index): PlanEntry[] {
  switch (evidence.kind) {
    case 'missing-module':
      return moduleFiles(evidence.clue, index);
    case 'missing-name': {
      // `from a.b import X` fails when X is a removed submodule, or when a/b/__init__.py is gone
      // and a.b became an empty namespace package ("unknown location").
      const parent = evidence.clue.slice(0, evidence.clue.lastIndexOf('.'));
      return [...moduleFiles(evidence.clue, index), ...packageInits(parent, index)];
    }
    case 'traceback-file': {
      const path = relativeToPrefix(evidence.clue, index);
      const entry = path === undefined ? undefined : index.byPath.get(path);
      return entry === undefined ? [] : [entry];
    }
    case 'missing-file': {
      const path = relativeToPrefix(evidence.clue, index);
      return path === undefined ? [] : underPath(path, index);
    }
    case 'shared-library':
      return sharedLibrary(evidence.clue, index);
    case 'restored-rule':
      // Found by restoring a rule's files, not read from an error text: nothing to match.
      return [];
  }
}

// A module a.b.c lives at a/b/c.py, a/b/c/ (a package, all of it), a/b/c.<tag>.so, or a sourceless
// a/b/c.pyc, under any import root; only top-level names can be in lib-dynload.
function moduleFiles(dotted: string, index: Index): PlanEntry[] {
  const relative = dotted.split('.').join('/');
  const found: PlanEntry[] = [];
  for (const root of index.roots) {
    if (root.endsWith('/lib-dynload') && dotted.includes('.')) continue;
    const base = `${root}/${relative}`;
    for (const entry of withPrefix(base, index)) {
      const rest = entry.path.slice(base.length);
      if (rest === '.py' || rest === '.pyc' || rest.startsWith('/') || /^\.[^/]*\.(so|pyd)$/.test(rest) || rest === '.so') found.push(entry);
    }
  }
  return found;
}

function packageInits(dotted: string, index: Index): PlanEntry[] {
  const relative = dotted.split('.').join('/');
  const found: PlanEntry[] = [];
  for (const root of index.roots) {
    const directory = `${root}/${relative}/`;
    for (const entry of withPrefix(directory, index)) {
      if (/^__init__(\.py|\.[^/]*\.(so|pyd))$/.test(entry.path.slice(directory.length))) found.push(entry);
    }
  }
  return found;
}

function sharedLibrary(name: string, index: Index): PlanEntry[] {
  if (name.includes('/')) {
    const path = relativeToPrefix(name, index);
    const entry = path === undefined ? undefined : index.byPath.get(path);
    return entry === undefined ? [] : [entry];
  }
  const exact = index.byBasename.get(name);
  if (exact !== undefined) return exact;
  // The name the loader asked for may be a kept symlink to a removed file
  // (libopenblas.so.0 → libopenblasp-r0.3.21.so): fall back to libraries of the same stem.
  const at = name.indexOf('.so');
  if (at <= 0) return [];
  const stem = name.slice(0, at);
  return index.entries.filter((entry) => {
    const base = posix.basename(entry.path);
    return base.startsWith(stem) && base.includes('.so');
  });
}

function underPath(path: string, index: Index): PlanEntry[] {
  const exact = index.byPath.get(path);
  if (exact !== undefined) return [exact];
  return withPrefix(`${path}/`, index);
}

function withPrefix(prefix: string, index: Index): PlanEntry[] {
  const { entries } = index;
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((entries[middle] as PlanEntry).path < prefix) low = middle + 1;
    else high = middle;
  }
  const found: PlanEntry[] = [];
  for (let at = low; at < entries.length && (entries[at] as PlanEntry).path.startsWith(prefix); at += 1) found.push(entries[at] as PlanEntry);
  return found;
}

function relativeToPrefix(path: string, index: Index): string | undefined {
  const normal = posix.normalize(path);
  for (const prefix of index.prefixes) {
    if (normal.startsWith(`${prefix}/`)) return normal.slice(prefix.length + 1);
  }
  return undefined;
}
