/**
 * Turns what a command was asked (flags) and what the project says (conda-prune.yaml,
 * conda-prune.lock) into the options of resolveProfiles: flags win over the config, registry
 * profiles are located on disk first, and a lockfile, when there is one, pins every profile.
 */
import { join } from 'node:path';
import { PruneError } from '../errors.ts';
import { lockfileName, readLockfile, type Lockfile } from '../lockfile/lockfile.ts';
import { lockPins, pinnedRegistryVersion } from '../lockfile/lock-pins.ts';
import { parseReference } from '../profiles/reference.ts';
import type { SelectionOptions } from '../profiles/resolve-profiles.ts';
import type { Risk } from '../profiles/types.ts';
import type { FetchOptions } from '../registry/fetch-resource.ts';
import { locateRegistryProfiles } from '../registry/locate-registry-profiles.ts';
import { loadConfig } from './find-config.ts';
import type { PruneConfig } from './types.ts';

/**
 * How the lockfile takes part: `use` resolves from it when present (offline for registry
 * profiles) and from the registries otherwise; `lock` keeps what it pins and resolves the rest;
 * `update` resolves everything again, ignoring it.
 */
export type LockMode = 'use' | 'lock' | 'update';

/** Inputs of prepareSelection. */
export interface PrepareOptions {
  cwd: string;
  /** --config; else conda-prune.yaml in cwd when present. */
  configFile?: string;
  preset?: string;
  profiles?: string[];
  maxRisk?: Risk;
  disable?: string[];
  cacheDirectory: string;
  fetch?: FetchOptions;
  lockMode?: LockMode;
  /** With `update`, only these registry references are resolved again (all when empty). */
  update?: string[];
}

/** The merged selection, ready for resolveProfiles / planPrefix, with what the commands report. */
export interface PreparedSelection extends SelectionOptions {
  config?: PruneConfig;
  lockfilePath: string;
  lockfile?: Lockfile;
  /** Modules and commands the config adds to the smoke test. */
  verify: { imports: string[]; run: string[] };
}

/** Merges flags, config and lockfile, and locates every registry profile the selection reaches. */
export async function prepareSelection(options: PrepareOptions): Promise<PreparedSelection> {
  const config = loadConfig(options.cwd, options.configFile);
  const registries = config?.registries ?? {};
  const lockfilePath = join(config?.directory ?? options.cwd, lockfileName);
  const mode = options.lockMode ?? 'use';
  const lockfile = readLockfile(lockfilePath);
  const flagProfiles = options.profiles ?? [];
  // The config's relative references are relative to the config file, the flags' to cwd.
  const fromConfig = (reference: string): string => rebase(reference, config, options.cwd);
  const preset = options.preset ?? (config?.preset === undefined ? undefined : fromConfig(config.preset));
  const profiles = flagProfiles.length > 0 ? flagProfiles : (config?.profiles ?? []).map(fromConfig);
  const maxRisk = options.maxRisk ?? config?.maxRisk;
  const prepared: PreparedSelection = {
    cwd: options.cwd,
    profiles,
    registries,
    disable: [...new Set([...(config?.disable ?? []), ...(options.disable ?? [])])],
    keep: config?.keep ?? [],
    lockfilePath,
    verify: config?.verify ?? { imports: [], run: [] },
    ...(preset === undefined ? {} : { preset }),
    ...(maxRisk === undefined ? {} : { maxRisk }),
    ...(config === undefined ? {} : { config }),
    ...(lockfile === undefined ? {} : { lockfile }),
  };
  const pinning = mode === 'update' && (options.update ?? []).length === 0 ? undefined : lockfile;
  if (pinning !== undefined) prepared.pins = lockPins(pinning, lockfilePath);
  const roots = [...(preset !== undefined || profiles.length === 0 ? [preset ?? 'default'] : []), ...profiles];
  prepared.located = await locateRegistryProfiles({
    roots,
    cwd: options.cwd,
    registries,
    context: { cache: options.cacheDirectory, fetch: options.fetch ?? {}, indexes: new Map() },
    pinned: (reference, via) => {
      if (pinning === undefined || (mode === 'update' && options.update?.includes(reference) === true)) return undefined;
      // Only `use` is frozen: locking and updating may reach the registry for what is not pinned.
      return pinnedRegistryVersion(pinning, reference, registries, mode === 'use', via);
    },
  });
  return prepared;
}

function rebase(reference: string, config: PruneConfig | undefined, cwd: string): string {
  if (config === undefined || config.directory === cwd) return reference;
  try {
    const parsed = parseReference(reference, config.directory, new Set(Object.keys(config.registries)));
    return parsed.kind === 'file' ? parsed.path : reference;
  } catch (error) {
    // Reported again, with its chain, when the selection is resolved.
    if (error instanceof PruneError) return reference;
    throw error;
  }
}
