/**
 * Writes a plan as an exclude list for a packer, so the same decisions can be applied while
 * packing (conda-pack, tar) instead of by deleting: every removed path, and every directory the
 * removals would leave empty, spelled so the tool matches exactly that path and nothing else.
 */
import type { Plan } from '../plan/types.ts';

/** Formats `export` writes. */
export type ExclusionFormat = 'paths' | 'tar' | 'conda-pack';

/** Every export format, for option validation. */
export const exclusionFormats: readonly ExclusionFormat[] = ['paths', 'tar', 'conda-pack'];

/** Renders the plan's removals as an exclude list in the given format, one per line. */
export function renderExclusions(plan: Plan, format: ExclusionFormat): string {
  const paths = format === 'paths' ? plan.entries.map((entry) => entry.path) : [...plan.entries.map((entry) => entry.path), ...plan.directories];
  const lines = paths.map((path) => {
    switch (format) {
      case 'paths':
        return path;
      // Member names of `tar -C PREFIX -cf out.tar .`, matched literally and from the start:
      // use with `--anchored --no-wildcards --exclude-from=FILE`.
      case 'tar':
        return `./${path}`;
      // conda-pack matches --exclude with Python's fnmatch on the path relative to the prefix:
      // `*`, `?` and `[` are escaped as one-character classes, so each pattern is that path only.
      case 'conda-pack':
        return `--exclude=${path.replace(/[[*?]/g, (char) => `[${char}]`)}`;
    }
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
