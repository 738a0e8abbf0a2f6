/**
 * Finds prunable content that no shipped profile covers yet (a package with 30 MB of tests and no
 * profile), and writes each finding as a profile a maintainer can paste into `NAME.yaml`.
 */
import type { Environment } from '../environment/types.ts';
import type { Category, Risk } from '../profiles/types.ts';
import type { MeasuredFile } from './measure-files.ts';
import { suggestGlobs, type ClassifiedPath } from './suggest-globs.ts';
import type { AuditCategory, UnprofiledCategory, UnprofiledFinding } from './types.ts';

/** Options of findUnprofiled. */
export interface UnprofiledOptions {
  /** A package is reported when its unprofiled prunable bytes reach this; 1 MiB by default. */
  minBytes?: number;
}

/** Categories a profile could remove and how risky a first rule for each is. Runtime files, metadata, tools and bytecode are not suggested. */
const suggestedRisk: Partial<Record<AuditCategory, Risk>> = {
  tests: 'safe',
  docs: 'safe',
  sourcemaps: 'safe',
  sources: 'moderate',
  headers: 'moderate',
  'static-libs': 'moderate',
  'build-files': 'moderate',
  sanitizers: 'moderate',
};

const reasons: Partial<Record<AuditCategory, string>> = {
  tests: 'Test suites are run by developers, never imported by the application.',
  docs: 'Documentation, examples and man pages are not read at run time.',
  sourcemaps: 'Source maps only help a browser debugger.',
  sources: 'Sources of compiled extensions; only a rebuild reads them.',
  headers: 'C headers and Cython declarations are read only when compiling against the package.',
  'static-libs': 'Static libraries are linked at build time; the shared ones serve the runtime.',
  'build-files': 'pkg-config, CMake and libtool files are read only by builds.',
  sanitizers: 'Sanitizer runtimes are loaded only by instrumented debug builds.',
};

/** Returns, per package, the prunable files no rule of any audited preset reached, largest first. */
export function findUnprofiled(environment: Environment, files: readonly MeasuredFile[], reached: ReadonlySet<string>, options: UnprofiledOptions = {}): UnprofiledFinding[] {
  const minBytes = options.minBytes ?? 1024 * 1024;
  const byPackage = new Map<number, MeasuredFile[]>();
  for (const file of files) pushTo(byPackage, file.packageIndex, file);
  const findings: UnprofiledFinding[] = [];
  for (const [packageIndex, packageFiles] of byPackage) {
    const open = packageFiles.filter((file) => suggestedRisk[file.category] !== undefined && !reached.has(file.path));
    const total = open.reduce((sum, file) => sum + file.bytes, 0);
    if (total < minBytes || total === 0) continue;
    const pkg = environment.packages[packageIndex];
    if (pkg === undefined) continue;
    const categories = describeCategories(open, packageFiles, environment, minBytes / 16);
    if (categories.length === 0) continue;
    findings.push({
      package: pkg.name,
      version: pkg.version,
      files: categories.reduce((sum, item) => sum + item.files, 0),
      bytes: categories.reduce((sum, item) => sum + item.bytes, 0),
      categories,
      snippet: writeProfileSnippet(pkg.name, pkg.version, categories),
    });
  }
  return findings.sort((a, b) => b.bytes - a.bytes || (a.package < b.package ? -1 : 1));
}

function describeCategories(open: readonly MeasuredFile[], packageFiles: readonly ClassifiedPath[], environment: Environment, minCategoryBytes: number): UnprofiledCategory[] {
  const byCategory = new Map<AuditCategory, MeasuredFile[]>();
  for (const file of open) pushTo(byCategory, file.category, file);
  const categories: UnprofiledCategory[] = [];
  for (const [category, targets] of byCategory) {
    const bytes = targets.reduce((sum, file) => sum + file.bytes, 0);
    if (bytes < minCategoryBytes) continue;
    const suggestion = suggestGlobs(targets, packageFiles, environment.python);
    const examples = [...targets].sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1)).slice(0, 3).map((file) => file.path);
    categories.push({ category, files: targets.length, bytes, globs: suggestion.globs, coveredBytes: suggestion.coveredBytes, examples });
  }
  return categories.sort((a, b) => b.bytes - a.bytes);
}

/** Writes a complete profile for the package, one rule per category, every scalar quoted. */
export function writeProfileSnippet(packageName: string, version: string, categories: readonly UnprofiledCategory[]): string {
  const name = packageName.toLowerCase();
  const lines = [
    'apiVersion: conda-prune/v1',
    `name: ${JSON.stringify(name)}`,
    'version: "0.1.0"',
    `description: ${JSON.stringify(`${categories.map((item) => item.category).join(', ')} of ${name}, found by conda-prune audit in ${name} ${version}; review before use`)}`,
    'appliesTo:',
    `  package: ${JSON.stringify(name)}`,
    'rules:',
  ];
  for (const item of categories) {
    lines.push(`  - id: ${JSON.stringify(item.category)}`);
    lines.push(`    category: ${JSON.stringify(item.category as Category)}`);
    lines.push(`    risk: ${suggestedRisk[item.category] ?? 'moderate'}`);
    lines.push(`    reason: ${JSON.stringify(reasons[item.category] ?? '')}`);
    lines.push('    remove:');
    for (const glob of item.globs) lines.push(`      - ${JSON.stringify(glob)}`);
  }
  return `${lines.join('\n')}\n`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
