/**
 * The import smoke test: imports modules with the env's own interpreter, isolated, and runs the
 * user's commands, and returns one check per module and per command.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { readEnvironment } from '../environment/read-environment.ts';
import { PruneError } from '../errors.ts';
import { commandEnv, isolatedEnv } from './child-env.ts';
import { importModules } from './import-modules.ts';
import { runCommand } from './run-command.ts';
import { verifySchemaVersion, type VerifyCheck, type VerifyOptions, type VerifyResult } from './types.ts';
import { mapLimit } from '../map-limit.ts';

const defaultTimeoutMs = 30_000;
// A dotted python name; anything else (a path, a space, a newline) would not be a module and
// could break the one-name-per-line protocol of the smoke script.
const moduleName = /^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*$/u;

/** Imports every module and runs every command of `options` in the env at `options.prefix`. */
export async function verifyEnvironment(options: VerifyOptions): Promise<VerifyResult> {
  const began = performance.now();
  const imports = [...new Set(options.imports)];
  const commands = [...new Set(options.run ?? [])];
  const bad = imports.filter((name) => !moduleName.test(name));
  if (bad.length > 0) {
    throw new PruneError('CP_VERIFY_BAD_IMPORT', `not a module name: ${bad.map((name) => JSON.stringify(name)).join(', ')}`, {
      hint: 'give dotted python module names, e.g. --import scipy.stats',
    });
  }
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? availableParallelism()));
  const environment = options.environment ?? readEnvironment(options.prefix);
  const executable = options.python ?? environment.python?.executable;
  // Commands alone need no interpreter of the env.
  const python = imports.length === 0 && executable === undefined ? undefined : resolvePython(environment.prefix, executable);

  const total = imports.length + commands.length;
  let done = 0;
  const progress = (): void => {
    done += 1;
    options.onProgress?.(done, total);
  };
  const base = process.env;
  const imported = await importModules(imports, {
    python: python ?? '',
    env: isolatedEnv(base),
    timeoutMs,
    concurrency,
    onCheck: progress,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const ran = await mapLimit(commands, concurrency, async (command) => {
    options.signal?.throwIfAborted();
    const check = await runCommand(command, { env: commandEnv(base, environment.prefix), timeoutMs, ...(options.signal === undefined ? {} : { signal: options.signal }) });
    progress();
    return check;
  });
  options.signal?.throwIfAborted();

  const checks: VerifyCheck[] = [...imports.map((name) => imported.checks.get(name) as VerifyCheck), ...ran];
  const version = imported.hello?.version;
  return {
    schemaVersion: verifySchemaVersion,
    prefix: environment.prefix,
    python: python === undefined ? 'none' : `${python} (${version ?? (imports.length === 0 ? 'not started' : 'did not start')})`,
    ok: checks.every((check) => check.ok),
    checks,
    durationMs: Math.round(performance.now() - began),
  };
}

function resolvePython(prefix: string, executable: string | undefined): string {
  if (executable === undefined) {
    throw new PruneError('CP_VERIFY_NO_PYTHON', `${prefix} has no python: no conda-meta record of a package named python`, {
      hint: 'verify needs the env\'s own interpreter; pass its path relative to the prefix (python: "bin/python3.11") or check only commands (no imports)',
    });
  }
  // Relative to the prefix, so that nothing outside the env is ever run as "the env's python".
  if (isAbsolute(executable) || executable.split(/[\\/]/).includes('..')) {
    throw new PruneError('CP_VERIFY_NO_PYTHON', `the interpreter ${executable} is not a path inside the prefix`, {
      hint: 'give the interpreter relative to the prefix, e.g. bin/python3.11',
    });
  }
  return join(prefix, executable);
}
