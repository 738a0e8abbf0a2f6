/**
 * The normalised shape of conda-prune.yaml, as the commands use it.
 */
import type { Risk } from '../profiles/types.ts';

/** The config file's name, looked for in the working directory. */
export const configFileName = 'conda-prune.yaml';

/** A validated config file. */
export interface PruneConfig {
  /** Absolute path of the file; relative references and registry paths resolve against its directory. */
  file: string;
  directory: string;
  /** Registry name to the absolute URL of its root, ending in `/`. */
  registries: Record<string, string>;
  preset?: string;
  profiles: string[];
  /** `PROFILE/RULE` or `PROFILE` names to leave out. */
  disable: string[];
  /** Globs no rule may remove, for every package. */
  keep: string[];
  maxRisk?: Risk;
  verify: { imports: string[]; run: string[] };
}
