/**
 * The preflight over a whole plan, run before apply changes anything: every path is checked by
 * its spelling, by the real directory it lands in, and against the disk (lstat only, never
 * following the entry itself), and every objection is reported at once. Reads, never writes.
 */
import { lstatSync, type Stats } from 'node:fs';
import { join, posix } from 'node:path';
import { isUnsafeRelativePath, parentOf } from '../environment/paths.ts';
import type { Plan, PlanEntry } from '../plan/types.ts';
import { checkPrefix } from './check-prefix.ts';
import { createRealDirectoryResolver, isWithin } from './real-directories.ts';
import type { SafetyCode, SafetyContext, SafetyViolation } from './types.ts';

/** Violations split by weight: any refusal stops the run; stale entries may be skipped. */
export interface PartitionedViolations {
  refusals: SafetyViolation[];
  stale: SafetyViolation[];
}

/** Checks every entry and directory of a plan against the prefix; returns all violations, refusals first. */
export function checkPlanSafety(plan: Pick<Plan, 'entries' | 'directories'>, context: SafetyContext): SafetyViolation[] {
  const prefixViolations = checkPrefix(context);
  const check = createPathCheck(context, prefixViolations.length === 0);
  plan.entries.forEach((entry, index) => check(entry.path, `entries[${index}]`, entry));
  plan.directories.forEach((directory, index) => check(directory, `directories[${index}]`, undefined));
  const all = [...prefixViolations, ...check.violations];
  const { refusals, stale } = partitionViolations(all);
  return [...refusals, ...stale];
}

/** Splits violations into refusals and stale entries. */
export function partitionViolations(violations: readonly SafetyViolation[]): PartitionedViolations {
  return {
    refusals: violations.filter((violation) => violation.severity === 'refuse'),
    stale: violations.filter((violation) => violation.severity === 'stale'),
  };
}

interface PathCheck {
  (path: string, location: string, entry: PlanEntry | undefined): void;
  violations: SafetyViolation[];
}

function createPathCheck(context: SafetyContext, diskChecks: boolean): PathCheck {
  const violations: SafetyViolation[] = [];
  const resolveDirectory = createRealDirectoryResolver(context.prefix, context.realPrefix);
  const spelled = new Map<string, string>();
  const real = new Map<string, string>();
  const realCondaMeta = join(context.realPrefix, 'conda-meta');

  const check = (path: string, location: string, entry: PlanEntry | undefined): void => {
    const report = (code: SafetyCode, message: string): void => {
      violations.push({ code, severity: code.startsWith('CP_SAFETY_STALE') ? 'stale' : 'refuse', path, location, message });
    };
    const unsafe = describeUnsafe(path);
    if (unsafe !== undefined) return report('CP_SAFETY_PATH_UNSAFE', `${location} ${JSON.stringify(path)} ${unsafe}`);
    const normal = normalise(path);
    if (normal === '.') return report('CP_SAFETY_PATH_IS_PREFIX', `${location} ${JSON.stringify(path)} names the prefix itself`);
    // conda-meta/ is open only to the entries of a lastStep rule, and those to nothing else.
    const lastStep = entry?.lastStep === true;
    const condaMetaAllowed = context.allowCondaMeta === true || lastStep;
    const top = topSegment(normal);
    const isCondaMeta = top.toLowerCase() === 'conda-meta';
    const inCondaMeta = isCondaMeta && !condaMetaAllowed;
    if (inCondaMeta) report('CP_SAFETY_CONDA_META', `${location} ${path} lies in conda-meta/, which only an explicit conda-meta rule may remove`);
    if (lastStep && !isCondaMeta) report('CP_SAFETY_CONDA_META', `${location} ${path} is marked as a last step, which only conda-meta/ entries may be`);
    // The journal, quarantine and backups of earlier runs: removing them would lose what undo and recover need.
    if (top === '.conda-prune') report('CP_SAFETY_STATE', `${location} ${path} lies in .conda-prune/, conda-prune's own state`);
    const twin = spelled.get(normal);
    if (twin !== undefined) return report('CP_SAFETY_DUPLICATE', `${location} ${path} is listed again (first as ${twin})`);
    spelled.set(normal, location);
    if (!diskChecks) return;

    const directory = parentOf(normal);
    const where = resolveDirectory(directory);
    if (where.kind === 'outside') {
      return report('CP_SAFETY_PATH_OUTSIDE', `${location} ${path}: its directory ${directory} resolves to ${where.real}, outside the prefix ${context.realPrefix}`);
    }
    if (where.kind === 'unresolved') {
      if (isAbsence(where.code)) {
        if (entry !== undefined) report('CP_SAFETY_STALE_MISSING', `${location} ${path} is gone since the plan was made (${where.code} on its directory)`);
        return;
      }
      return report('CP_SAFETY_PATH_UNRESOLVED', `${location} ${path}: cannot resolve its directory ${directory} (${where.code})`);
    }
    if (!inCondaMeta && !condaMetaAllowed && isWithin(where.real, realCondaMeta)) {
      report('CP_SAFETY_CONDA_META', `${location} ${path}: its directory ${directory} resolves into conda-meta/`);
    }
    const name = normal.slice(directory === '' ? 0 : directory.length + 1);
    // Concatenated, not joined: both halves are normal already, and this runs once per entry.
    const realPath = where.real.endsWith('/') ? `${where.real}${name}` : `${where.real}/${name}`;
    const alias = real.get(realPath);
    if (alias !== undefined) return report('CP_SAFETY_DUPLICATE', `${location} ${path} is the same file as ${alias} through a linked directory`);
    real.set(realPath, location);

    let stats: Stats;
    try {
      stats = lstatSync(realPath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      if (!isAbsence(code)) return report('CP_SAFETY_PATH_UNRESOLVED', `${location} ${path}: cannot lstat (${code})`);
      if (entry !== undefined) report('CP_SAFETY_STALE_MISSING', `${location} ${path} is gone since the plan was made`);
      return;
    }
    const change = entry === undefined ? describeDirectoryChange(stats) : describeEntryChange(entry, stats);
    if (change !== undefined) report('CP_SAFETY_STALE_CHANGED', `${location} ${path} changed since the plan was made: ${change}`);
  };
  return Object.assign(check, { violations });
}

function describeUnsafe(path: string): string | undefined {
  if (path === '') return 'is empty, which names the prefix itself';
  if (path.includes('\0')) return 'holds a NUL byte';
  if (!isUnsafeRelativePath(path)) return undefined;
  return /^[/\\]|^[A-Za-z]:/.test(path) ? 'is absolute' : 'climbs out with ..';
}

function describeEntryChange(entry: PlanEntry, stats: Stats): string | undefined {
  const found = kindOf(stats);
  if (found !== entry.kind) return `recorded as a ${entry.kind}, found a ${found}`;
  if (found === 'file' && stats.size !== entry.bytes) return `recorded ${entry.bytes} bytes, found ${stats.size}`;
  return undefined;
}

function describeDirectoryChange(stats: Stats): string | undefined {
  const found = kindOf(stats);
  return found === 'directory' ? undefined : `planned as an emptied directory, found a ${found}`;
}

function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  return 'special file';
}

/** Errors that mean the path is simply not there. */
function isAbsence(code: string): boolean {
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function topSegment(normal: string): string {
  const slash = normal.indexOf('/');
  return slash === -1 ? normal : normal.slice(0, slash);
}

function normalise(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}
