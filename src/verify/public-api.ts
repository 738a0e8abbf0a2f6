/**
 * The verify part of the programmatic API, re-exported by src/index.ts: the smoke test, module
 * discovery, and what apply needs around a prune (compare before with after, blame regressions).
 */
export { verifyEnvironment } from './verify-environment.ts';
export { discoverModules, type DiscoverOptions } from './discover-modules.ts';
export { compareVerifications, checkKey } from './compare-verifications.ts';
export { blameRegressions, type BlameOptions } from './blame-regressions.ts';
export { renderVerifyText, type RenderVerifyOptions } from './render-verify.ts';
export {
  verifySchemaVersion,
  type Blame,
  type BlameEvidence,
  type BlamedRule,
  type CheckKind,
  type DiscoveredModule,
  type EvidenceKind,
  type VerifyCheck,
  type VerifyComparison,
  type VerifyOptions,
  type VerifyResult,
} from './types.ts';
