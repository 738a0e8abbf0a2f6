/**
 * The programmatic API of conda-prune: the same core the CLI calls, returning plain data.
 */
export { PruneError, formatIssue, type ExitCode, type Issue, type PruneErrorCode } from './errors.ts';
export { readEnvironment } from './environment/read-environment.ts';
export type { Environment, Package, PackageFile, PythonInfo, RecordProblem, RecordWriter } from './environment/types.ts';
export { resolveProfiles, type SelectionOptions } from './profiles/resolve-profiles.ts';
export { loadProfile } from './profiles/load-profile.ts';
export { listBuiltinProfiles } from './profiles/builtin-profiles.ts';
export { parseReference } from './profiles/reference.ts';
export type { Category, Profile, ProfileSelection, ResolvedProfile, Risk, Rule } from './profiles/types.ts';
export { createPlan, type PlanOptions } from './plan/create-plan.ts';
export { planPrefix, type PlanPrefixOptions } from './plan/plan-prefix.ts';
export type { Plan, PlanEntry, PlanSkip, PlanTotals, SkipReason, Tally } from './plan/types.ts';
export { renderPlan, planFormats, type PlanFormat } from './report/render-plan.ts';
export { compareVersions, matchesVersionSpec, parseVersionSpec } from './version-spec.ts';
export { toolVersion } from './version.ts';
export * from './verify/public-api.ts';
export { applyPlan, type ApplyOptions, type ApplyResult, type CheckOutcome } from './apply/apply-plan.ts';
export { renderExclusions, exclusionFormats, type ExclusionFormat } from './export/render-exclusions.ts';
export { auditPrefix, auditEnvironment, type AuditOptions } from './audit/audit-environment.ts';
export type * from './audit/types.ts';
export { prepareSelection, type PrepareOptions, type PreparedSelection, type LockMode } from './config/prepare-selection.ts';
export { createLockfile } from './lockfile/create-lockfile.ts';
export { readLockfile, parseLockfile, renderLockfile, lockfileName, type Lockfile, type LockedProfile } from './lockfile/lockfile.ts';
export { buildRegistryIndex } from './registry/build-index.ts';
export { parseRegistryIndex, renderRegistryIndex, indexFileName } from './registry/registry-index.ts';
