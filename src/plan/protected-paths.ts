/**
 * Paths no rule may remove, whatever a profile says: licences, package metadata, `.pth` files,
 * the interpreter, entry-point scripts and conda's own records. Checked in the planner itself, so
 * a hostile or careless profile cannot get past it.
 */
import type { PathType } from '../environment/types.ts';

const protectedPattern = new RegExp(
  [
    // Licences must ship with the binaries they cover.
    String.raw`(?:^|/)(?:licen[cs]e|copying|notice)[^/]*$`,
    String.raw`(?:^|/)licen[cs]es?/`,
    // Metadata importlib.metadata, pip and conda read at runtime.
    String.raw`\.dist-info/`,
    String.raw`\.egg-info(?:/|$)`,
    String.raw`\.pth$`,
    String.raw`^bin/python[^/]*$`,
    String.raw`^python(?:w)?\.exe$`,
    String.raw`^conda-meta/`,
    String.raw`^\.conda-prune/`,
  ].join('|'),
  'i',
);

const entryPointTypes = new Set<PathType>(['unix_python_entry_point', 'windows_python_entry_point_script', 'windows_python_entry_point_exe']);

/**
 * Returns why a path may never be pruned, or undefined when rules may consider it. conda-meta/
 * is open only to a lastStep rule (`allowCondaMeta`), which validation confines to it.
 */
export function protectionReason(path: string, pathType: PathType, allowCondaMeta = false): string | undefined {
  if (entryPointTypes.has(pathType)) return 'entry-point script';
  const match = protectedPattern.exec(path);
  if (match === null) return undefined;
  const text = match[0].toLowerCase();
  if (allowCondaMeta && text.startsWith('conda-meta/')) return undefined;
  if (text.includes('dist-info') || text.includes('egg-info')) return 'package metadata';
  if (text.endsWith('.pth')) return '.pth file';
  if (text.startsWith('bin/python') || text.startsWith('python')) return 'the interpreter';
  if (text.startsWith('conda-meta/')) return 'conda-meta record';
  if (text.startsWith('.conda-prune/')) return "conda-prune's own state";
  return 'licence';
}
