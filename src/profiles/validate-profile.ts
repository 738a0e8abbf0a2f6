/**
 * Checks a profile as written (the YAML value) and turns it into a Profile. Every problem is
 * collected, each with its position and dotted path, so one run shows the author all of them.
 */
import type { Issue } from '../errors.ts';
import { parseVersionSpec } from '../version-spec.ts';
import { isUnsafeRelativePath } from '../environment/paths.ts';
import { categories, risks, type Category, type Profile, type ProfileSource, type Risk, type Rule, type RuleScope } from './types.ts';
import { dottedPath, type PathSegment, type YamlDocument } from './yaml-document.ts';
import { unknownPlaceholders } from './placeholders.ts';

/** The only apiVersion this release reads. */
export const profileApiVersion = 'conda-prune/v1';

const topKeys = ['apiVersion', 'name', 'version', 'description', 'appliesTo', 'extends', 'maxRisk', 'rules', 'verify'];
const ruleKeys = ['id', 'category', 'risk', 'reason', 'scope', 'lastStep', 'remove', 'keep'];
const semver = /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const packageName = /^[a-z0-9_][a-z0-9_.+-]*$/;
const packageNameOrAny = /^(?:\*|[a-z0-9_][a-z0-9_.+-]*)$/;
/** An alternative or segment that starts at the root or climbs: `/x`, `{/x,y}`, `a/..`, `{..,y}`. */
const escapingGlob = /(?:^|[{,])\s*[/\\~]|(?:^|[/\\{,])\.\.(?:[/\\,}]|$)|^[A-Za-z]:/;
const ruleId = /^[a-z0-9][a-z0-9-]*$/;

/** The result of validation: a profile when there were no issues. */
export interface ProfileValidation {
  profile?: Profile;
  issues: Issue[];
}

/** Validates a parsed profile document and returns the normalised profile or every issue found. */
export function validateProfile(document: YamlDocument, source: ProfileSource, file: string): ProfileValidation {
  const issues: Issue[] = [...document.issues];
  if (issues.length > 0) return { issues };
  const report = (path: PathSegment[], message: string, key = false): void => {
    issues.push({ file, ...document.locate(path, key), path: dottedPath(path), message });
  };
  const read = new Reader(document, report);
  const root = read.object([], topKeys);
  if (root === undefined) return { issues };

  if (root.apiVersion !== profileApiVersion) report(['apiVersion'], `must be "${profileApiVersion}"`);
  const name = read.string(['name'], root.name, packageName, 'a conda package name (lowercase letters, digits, _ . + -)');
  const version = read.version(['version'], root.version);
  const description = root.description === undefined ? '' : read.string(['description'], root.description);
  const extendsList = read.stringList(['extends'], root.extends ?? []);
  const maxRisk = root.maxRisk === undefined ? undefined : read.oneOf<Risk>(['maxRisk'], root.maxRisk, risks);
  const appliesTo = readAppliesTo(read, root.appliesTo);
  const rules = readRules(read, root.rules ?? []);
  const verifyRaw = root.verify === undefined ? {} : read.object(['verify'], ['imports']);
  const imports = read.stringList(['verify', 'imports'], verifyRaw?.imports ?? []);

  const writtenRules = Array.isArray(root.rules) ? root.rules.length : 0;
  if (writtenRules > 0 && root.appliesTo === undefined) report(['appliesTo'], 'a profile with rules needs appliesTo.package');
  if (writtenRules === 0 && extendsList.length === 0) report(['rules'], 'a profile needs rules, or extends to build a preset');
  if (issues.length > 0) return { issues };

  const profile: Profile = { name: name!, version: version!, description: description ?? '', extends: extendsList, rules, verify: { imports }, source };
  if (appliesTo !== undefined) profile.appliesTo = appliesTo;
  if (maxRisk !== undefined) profile.maxRisk = maxRisk;
  return { profile, issues };
}

function readAppliesTo(read: Reader, raw: unknown): Profile['appliesTo'] {
  if (raw === undefined) return undefined;
  const appliesTo = read.object(['appliesTo'], ['package', 'versions']);
  if (appliesTo === undefined) return undefined;
  const pkg = read.string(['appliesTo', 'package'], appliesTo.package, packageNameOrAny, 'a conda package name or "*"');
  // Checked even when the package name is wrong: every problem is reported in one run.
  const versions = appliesTo.versions === undefined ? undefined : read.versionSpec(['appliesTo', 'versions'], appliesTo.versions);
  if (pkg === undefined) return undefined;
  return versions === undefined ? { package: pkg } : { package: pkg, versions };
}

function readRules(read: Reader, raw: unknown): Rule[] {
  if (!Array.isArray(raw)) {
    read.report(['rules'], 'must be a list of rules');
    return [];
  }
  const rules: Rule[] = [];
  const seen = new Set<string>();
  raw.forEach((_, index) => {
    const path: PathSegment[] = ['rules', index];
    const rule = read.object(path, ruleKeys);
    if (rule === undefined) return;
    const id = read.string([...path, 'id'], rule.id, ruleId, 'lowercase letters, digits and -');
    if (id !== undefined && seen.has(id)) read.report([...path, 'id'], `duplicate rule id "${id}"`);
    if (id !== undefined) seen.add(id);
    const category = read.oneOf<Category>([...path, 'category'], rule.category, categories);
    const risk = read.oneOf<Risk>([...path, 'risk'], rule.risk, risks);
    const reason = read.string([...path, 'reason'], rule.reason);
    const scope = rule.scope === undefined ? 'owned' : read.oneOf<RuleScope>([...path, 'scope'], rule.scope, ['owned', 'unowned']);
    const remove = read.globs([...path, 'remove'], rule.remove);
    const keep = read.globs([...path, 'keep'], rule.keep ?? [], true);
    if (remove.length === 0 && rule.remove !== undefined && Array.isArray(rule.remove)) read.report([...path, 'remove'], 'must list at least one glob');
    const lastStep = rule.lastStep === undefined ? false : read.boolean([...path, 'lastStep'], rule.lastStep);
    checkLastStep(read, path, { lastStep, scope, risk, remove });
    if (id && category && risk && reason !== undefined && scope && lastStep !== undefined) {
      rules.push({ id, category, risk, reason, scope, ...(lastStep ? { lastStep } : {}), remove, keep });
    }
  });
  return rules;
}

/**
 * conda's records go only through a rule that says so: `lastStep: true`, aggressive, walking
 * conda-meta/ alone. Apply removes such files after everything else is verified, because every
 * conda tool (and conda-prune itself) stops recognising the prefix once they are gone.
 */
function checkLastStep(read: Reader, path: PathSegment[], rule: { lastStep: boolean | undefined; scope: RuleScope | undefined; risk: Risk | undefined; remove: string[] }): void {
  const inCondaMeta = (glob: string): boolean => /^conda-meta(?:\/|$)/i.test(glob);
  if (rule.lastStep !== true) {
    rule.remove.forEach((glob, index) => {
      if (inCondaMeta(glob)) read.report([...path, 'remove', index], 'only a rule with lastStep: true may remove conda-meta/');
    });
    return;
  }
  if (rule.scope !== undefined && rule.scope !== 'unowned') read.report([...path, 'scope'], 'a lastStep rule removes conda-meta/, which no package owns: scope must be unowned');
  if (rule.risk !== undefined && rule.risk !== 'aggressive') read.report([...path, 'risk'], 'a lastStep rule must be aggressive: without conda-meta/ no conda tool recognises the environment');
  rule.remove.forEach((glob, index) => {
    if (!inCondaMeta(glob)) read.report([...path, 'remove', index], 'a lastStep rule may only remove paths under conda-meta/');
  });
}

/** Reads typed fields, reporting each mismatch at its position. */
class Reader {
  constructor(
    private readonly document: YamlDocument,
    readonly report: (path: PathSegment[], message: string, key?: boolean) => void,
  ) {}

  private valueAt(path: PathSegment[]): unknown {
    let value: unknown = this.document.value;
    for (const segment of path) value = (value as Record<string | number, unknown> | undefined)?.[segment];
    return value;
  }

  boolean(path: PathSegment[], value: unknown): boolean | undefined {
    if (typeof value === 'boolean') return value;
    this.report(path, 'must be true or false');
    return undefined;
  }

  object(path: PathSegment[], allowed: string[]): Record<string, unknown> | undefined {
    const value = this.valueAt(path);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.report(path, 'must be a mapping');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.report([...path, key], `unknown key "${key}" (allowed: ${allowed.join(', ')})`, true);
    }
    return value as Record<string, unknown>;
  }

  string(path: PathSegment[], value: unknown, pattern?: RegExp, expected?: string): string | undefined {
    if (typeof value !== 'string' || value === '') {
      this.report(path, value === undefined ? 'is required' : 'must be a non-empty string');
      return undefined;
    }
    if (pattern !== undefined && !pattern.test(value)) {
      this.report(path, `"${value}" is not ${expected}`);
      return undefined;
    }
    return value;
  }

  version(path: PathSegment[], value: unknown): string | undefined {
    if (typeof value === 'number') {
      this.report(path, `unquoted version: YAML reads ${this.document.sourceText(path) ?? value} as the number ${value}; write it in quotes`);
      return undefined;
    }
    return this.string(path, value, semver, 'a semantic version such as "1.2.0"');
  }

  versionSpec(path: PathSegment[], value: unknown): string | undefined {
    if (typeof value === 'number') {
      this.report(path, `unquoted version spec: YAML reads ${this.document.sourceText(path) ?? value} as the number ${value}; write it in quotes`);
      return undefined;
    }
    const spec = this.string(path, value);
    if (spec === undefined) return undefined;
    try {
      parseVersionSpec(spec);
      return spec;
    } catch (error) {
      this.report(path, (error as Error).message);
      return undefined;
    }
  }

  oneOf<T extends string>(path: PathSegment[], value: unknown, allowed: readonly T[]): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.report(path, value === undefined ? `is required (one of ${allowed.join(', ')})` : `"${String(value)}" is not one of ${allowed.join(', ')}`);
    return undefined;
  }

  stringList(path: PathSegment[], value: unknown): string[] {
    if (!Array.isArray(value)) {
      this.report(path, 'must be a list of strings');
      return [];
    }
    const strings: string[] = [];
    value.forEach((item, index) => {
      const text = this.string([...path, index], item);
      if (text !== undefined) strings.push(text);
    });
    return strings;
  }

  globs(path: PathSegment[], value: unknown, optional = false): string[] {
    if (value === undefined && !optional) {
      this.report(path, 'is required (a list of globs)');
      return [];
    }
    const globs = this.stringList(path, value);
    globs.forEach((glob, index) => {
      const globPath = [...path, index];
      // Placeholders expand to relative paths; what is left must not reach the root or climb,
      // in any brace alternative either (`{/etc,lib}/**`).
      const bare = glob.replace(/\{(?:site-packages|stdlib)\}/g, 'x');
      if (isUnsafeRelativePath(bare) || escapingGlob.test(bare)) this.report(globPath, `"${glob}" is absolute or climbs out with ".."; globs are relative to the prefix`);
      for (const name of unknownPlaceholders(glob)) this.report(globPath, `unknown placeholder {${name}} (known: {site-packages}, {stdlib})`);
    });
    return globs;
  }
}
