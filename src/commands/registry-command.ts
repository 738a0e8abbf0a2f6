/**
 * `conda-prune registry build DIR`: writes DIR/index.yaml for a folder of profiles, so the
 * folder can be published as a registry by any static file server (or used as a directory).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { PruneError } from '../errors.ts';
import { writeFileAtomic } from '../fs/write-atomic.ts';
import { buildRegistryIndex } from '../registry/build-index.ts';
import { indexFileName, renderRegistryIndex } from '../registry/registry-index.ts';
import { plural } from '../report/format.ts';
import { emit } from './shared-flags.ts';

/** Adds the registry command group to the program. */
export function registerRegistryCommand(program: Command): void {
  const registry = program.command('registry').description('Publish profiles as a registry: a static tree with an index.yaml');
  registry
    .command('build')
    .description('Validate every profile under DIR and write DIR/index.yaml with each version, path and sha256')
    .argument('<dir>', 'folder of profile YAML files (subfolders too)')
    .option('--check', 'write nothing; exit 2 when DIR/index.yaml is missing or out of date (for CI)')
    .action((directory: string, flags: { check?: boolean }) => {
      const index = buildRegistryIndex(directory);
      const text = renderRegistryIndex(index);
      const target = join(directory, indexFileName);
      const versions = [...index.profiles.values()].reduce((sum, entries) => sum + entries.length, 0);
      const counts = `${plural(index.profiles.size, 'profile')}, ${plural(versions, 'version')}`;
      if (flags.check === true) {
        if (readIfPresent(target) !== text) {
          throw new PruneError('CP_REGISTRY_INVALID', `${target} is not current (${counts} found)`, { hint: `run conda-prune registry build ${directory} and commit the result` });
        }
        emit(`${target} is current: ${counts}.\n`, undefined);
        return;
      }
      writeFileAtomic(target, text);
      emit(`Wrote ${target}: ${counts}.\n`, undefined);
    });
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
