/**
 * Finds and reads the config file: the one --config names, else conda-prune.yaml in the
 * working directory, else none (every setting then comes from flags and defaults).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PruneError } from '../errors.ts';
import { maxYamlBytes, parseYamlDocument } from '../profiles/yaml-document.ts';
import { configFileName, type PruneConfig } from './types.ts';
import { validateConfig } from './validate-config.ts';

/** Returns the path of the config file to use, or undefined when there is none. */
export function findConfig(cwd: string, explicit?: string): string | undefined {
  if (explicit !== undefined) return resolve(cwd, explicit);
  const candidate = join(cwd, configFileName);
  return existsSync(candidate) ? candidate : undefined;
}

/** Reads and validates a config file; throws CP_CONFIG_INVALID with every problem. */
export function readConfig(file: string): PruneConfig {
  let text: string;
  try {
    if (statSync(file).size > maxYamlBytes) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new PruneError('CP_CONFIG_INVALID', `cannot read config ${file}: ${code === 'EFBIG' ? `larger than ${maxYamlBytes} bytes` : code}`, {
      hint: 'check the --config path; without --config, conda-prune.yaml in the working directory is used when present',
    });
  }
  const { config, issues } = validateConfig(parseYamlDocument(text, file), file);
  if (config === undefined) {
    throw new PruneError('CP_CONFIG_INVALID', `${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in config`, {
      hint: 'fix each problem listed; schema/config.schema.json lets an editor check the file as you type',
      issues,
    });
  }
  return config;
}

/** Finds and reads the config, or returns undefined when there is none. */
export function loadConfig(cwd: string, explicit?: string): PruneConfig | undefined {
  const file = findConfig(cwd, explicit);
  return file === undefined ? undefined : readConfig(file);
}
