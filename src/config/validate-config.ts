/**
 * Checks conda-prune.yaml as written and turns it into a PruneConfig. Like a profile, every
 * problem is reported at once, each with its line, column and dotted path.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Issue } from '../errors.ts';
import { PruneError } from '../errors.ts';
import { checkRegistryUrl } from '../registry/fetch-resource.ts';
import { registryNamePattern } from '../profiles/reference.ts';
import { risks, type Risk } from '../profiles/types.ts';
import type { YamlDocument } from '../profiles/yaml-document.ts';
import { FieldReader } from './field-reader.ts';
import type { PruneConfig } from './types.ts';

const topKeys = ['apiVersion', 'registries', 'preset', 'profiles', 'disable', 'keep', 'maxRisk', 'verify'];
const disableName = /^[a-z0-9_][a-z0-9_.+-]*(?:\/[a-z0-9][a-z0-9-]*)?$/;

/** The result of validation: a config when there were no issues. */
export interface ConfigValidation {
  config?: PruneConfig;
  issues: Issue[];
}

/** Validates a parsed config document; `file` is its absolute path. */
export function validateConfig(document: YamlDocument, file: string): ConfigValidation {
  const read = new FieldReader(document, file);
  if (read.issues.length > 0) return { issues: read.issues };
  // An empty file is a valid config that changes nothing.
  if (document.value === null || document.value === undefined) return { config: emptyConfig(file), issues: [] };
  const root = read.object([], topKeys);
  if (root === undefined) return { issues: read.issues };
  if (root.apiVersion !== undefined && root.apiVersion !== 'conda-prune/v1') read.report(['apiVersion'], 'must be "conda-prune/v1"');
  const registries = readRegistries(read, root.registries, dirname(file));
  const config = emptyConfig(file);
  config.registries = registries;
  if (root.preset !== undefined) config.preset = read.string(['preset']) ?? '';
  config.profiles = read.stringList(['profiles']);
  config.disable = read.stringList(['disable']).filter((name, index) => {
    if (disableName.test(name)) return true;
    read.report(['disable', index], `"${name}" is not PROFILE or PROFILE/RULE`);
    return false;
  });
  config.keep = read.globs(['keep']);
  if (root.maxRisk !== undefined) {
    const maxRisk = read.oneOf<Risk>(['maxRisk'], risks);
    if (maxRisk !== undefined) config.maxRisk = maxRisk;
  }
  if (root.verify !== undefined && read.object(['verify'], ['imports', 'run']) !== undefined) {
    config.verify = { imports: read.stringList(['verify', 'imports']), run: read.stringList(['verify', 'run']) };
  }
  return read.issues.length > 0 ? { issues: read.issues } : { config, issues: [] };
}

function emptyConfig(file: string): PruneConfig {
  return { file, directory: dirname(file), registries: {}, profiles: [], disable: [], keep: [], verify: { imports: [], run: [] } };
}

function readRegistries(read: FieldReader, raw: unknown, base: string): Record<string, string> {
  const registries: Record<string, string> = {};
  if (raw === undefined) return registries;
  const map = read.object(['registries']);
  if (map === undefined) return registries;
  for (const name of Object.keys(map)) {
    if (!registryNamePattern.test(name) || name === 'builtin') {
      read.report(['registries', name], `"${name}" is not a registry name (lowercase letters, digits, _ . -; not "builtin")`, true);
      continue;
    }
    const location = read.string(['registries', name]);
    if (location === undefined) continue;
    try {
      registries[name] = registryRoot(location, base);
    } catch (error) {
      read.report(['registries', name], error instanceof PruneError ? error.message : String(error));
    }
  }
  return registries;
}

/** Turns a registry location (a URL, or a directory relative to the config) into its root URL. */
function registryRoot(location: string, base: string): string {
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(location);
  const url = isUrl ? checkRegistryUrl(location) : pathToFileURL(isAbsolute(location) ? location : resolve(base, location));
  // Relative paths in the index resolve against the root; without the slash they would replace its last segment.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url.href;
}
