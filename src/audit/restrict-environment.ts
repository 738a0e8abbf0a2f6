/**
 * Narrows an environment to some of its paths, keeping every package at its index, so a planner
 * stage can run again over just those paths and its candidates still point at the real packages.
 */
import type { Environment, Package } from '../environment/types.ts';

/** Returns a view of the environment whose packages list only the given paths. */
export function restrictEnvironment(environment: Environment, keep: ReadonlySet<string>): Environment {
  const packages = environment.packages.map((pkg) => restrictPackage(pkg, keep));
  const view: Environment = {
    prefix: environment.prefix,
    realPrefix: environment.realPrefix,
    packages,
    problems: environment.problems,
    // Asked only when a stage needs them; the original builds its index once either way.
    get owners() {
      return environment.owners;
    },
    get sharedOwners() {
      return environment.sharedOwners;
    },
  };
  if (environment.python !== undefined) view.python = environment.python;
  return view;
}

function restrictPackage(pkg: Package, keep: ReadonlySet<string>): Package {
  const indexes: number[] = [];
  pkg.paths.forEach((path, index) => {
    if (keep.has(path)) indexes.push(index);
  });
  const restricted: Package = {
    name: pkg.name,
    version: pkg.version,
    build: pkg.build,
    channel: pkg.channel,
    source: pkg.source,
    recordPath: pkg.recordPath,
    paths: indexes.map((index) => pkg.paths[index] as string),
    // Record entries are reached through the original, which parses its paths_data lazily.
    get files() {
      return indexes.map((index) => pkg.fileAt(index));
    },
    fileAt(index) {
      return pkg.fileAt(indexes[index] as number);
    },
  };
  if (pkg.writer !== undefined) restricted.writer = pkg.writer;
  if (pkg.noarch !== undefined) restricted.noarch = pkg.noarch;
  return restricted;
}
