/**
 * The process environments verify gives the env's interpreter and the user's commands, so that
 * nothing outside the prefix can satisfy an import and nothing is written back into it.
 */

// -I already ignores PYTHON* variables for the interpreter itself; they are cleared anyway because
// a `run` command starts python without -I, and a child of an import may do the same.
const pythonRedirects = ['PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP', 'PYTHONUSERBASE', 'PYTHONEXECUTABLE'];
// A library pruned from PREFIX/lib but found through these on this machine would pass here and
// fail in the image.
const loaderRedirects = ['LD_LIBRARY_PATH', 'LD_PRELOAD'];

/** Returns `base` without the variables that point python or the loader outside the prefix. */
export function isolatedEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const key of [...pythonRedirects, ...loaderRedirects]) delete env[key];
  env.PYTHONDONTWRITEBYTECODE = '1';
  env.PYTHONNOUSERSITE = '1';
  return env;
}

/** Returns the environment of a `run` command: isolated, the env's `bin/` first on PATH, CONDA_PREFIX set. */
export function commandEnv(base: NodeJS.ProcessEnv, prefix: string): NodeJS.ProcessEnv {
  const env = isolatedEnv(base);
  env.PATH = base.PATH === undefined || base.PATH === '' ? `${prefix}/bin` : `${prefix}/bin:${base.PATH}`;
  env.CONDA_PREFIX = prefix;
  return env;
}
