/**
 * Builds dist/conda-prune: a standalone executable that needs no Node installed (Node's
 * single-executable-application support), then smoke-tests it and prints its size and start-up
 * time. Any failure stops the script with a non-zero exit code.
 *
 *   npm run build:sea   (builds dist/conda-prune.mjs first, whose plan the executable must match)
 *
 * Steps: a CommonJS variant of the bundle (Node 20 runs only CommonJS as the injected main
 * script), a preparation blob from `node --experimental-sea-config`, a copy of this node binary
 * with its symbol table stripped (12 MB less; V8 needs none), the blob injected with postject, and the result run from an
 * empty directory. Linux and macOS; the executable runs on the OS and CPU it was built on.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '../fixtures/demo.ts';
import { bundleCli, root } from './bundle.ts';

/** Node looks for this fuse in its own binary to know a blob was injected. */
const seaFuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const executable = join(root, 'dist', 'conda-prune');
const esmBundle = join(root, 'dist', 'conda-prune.mjs');

// src/cli.ts starts itself only when process.argv[1] is its own file, which never holds in a single
// executable (argv[1] is the name it was called by), so this entry calls main itself.
const seaEntry = `
import { main } from './src/cli.ts';

// A reader that stops early (\`| head\`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
`;

interface PostjectApi {
  inject(file: string, resource: string, data: Buffer, options: { sentinelFuse: string; machoSegmentName?: string; overwrite?: boolean }): Promise<void>;
}

/** Runs a command to completion and throws with its output when it fails. */
function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000, ...options });
  if (result.error !== undefined || result.status !== 0) {
    const why = result.error?.message ?? `exit status ${result.status ?? result.signal}`;
    throw new Error(`${command} ${args.join(' ')} failed (${why})\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
  return result;
}

/** Tells whether a command can be found on PATH. */
function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Bundles the CLI as CommonJS and turns it into a preparation blob; returns the blob's path. */
async function prepareBlob(workDirectory: string): Promise<string> {
  const main = join(workDirectory, 'conda-prune.cjs');
  // import.meta does not exist in CommonJS; the modules that read it do so only when nothing was
  // embedded (version, profiles) or inside a try (cli.ts's entry check), so undefined is safe.
  await bundleCli({ format: 'cjs', outfile: main, entrySource: seaEntry, define: { 'import.meta.url': 'undefined' } });
  const blob = join(workDirectory, 'conda-prune.blob');
  const config = join(workDirectory, 'sea-config.json');
  // The code cache saves compiling the bundle at each start; it is tied to this node's V8 build,
  // which the executable is a copy of.
  writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }, null, 2));
  run(process.execPath, ['--experimental-sea-config', config], { cwd: workDirectory });
  return blob;
}

/** Copies this node binary, injects the blob and moves the result to dist/conda-prune. */
async function injectBlob(blob: string, workDirectory: string): Promise<void> {
  const target = join(workDirectory, 'conda-prune');
  copyFileSync(process.execPath, target);
  chmodSync(target, 0o755);
  if (process.platform === 'linux' && onPath('strip')) run('strip', [target]);
  if (process.platform === 'darwin') run('codesign', ['--remove-signature', target]);
  else if (process.platform !== 'linux') throw new Error(`building the executable on ${process.platform} is not supported by this script (Linux and macOS are)`);
  const { inject } = createRequire(import.meta.url)('postject') as PostjectApi;
  await inject(target, 'NODE_SEA_BLOB', readFileSync(blob), {
    sentinelFuse: seaFuse,
    ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
  });
  // macOS refuses to run a binary whose signature no longer matches; an ad-hoc one is enough locally.
  if (process.platform === 'darwin') run('codesign', ['--sign', '-', target]);
  renameSync(target, executable);
}

/** Runs the executable from an empty directory with nothing but PATH in its environment. */
function runExecutable(args: string[], cwd: string): SpawnSyncReturns<string> {
  return run(executable, args, { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
}

/** Checks that the executable reports the version and plans exactly what the bundle plans. */
async function smokeTest(workDirectory: string): Promise<void> {
  const empty = mkdtempSync(join(workDirectory, 'empty-'));
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const reported = runExecutable(['--version'], empty);
  if (reported.stdout.trim() !== version || reported.stderr !== '') {
    throw new Error(`--version printed ${JSON.stringify(reported.stdout)} and ${JSON.stringify(reported.stderr)} on stderr; expected ${version}`);
  }
  const demo = join(workDirectory, 'demo-env');
  await generateDemo(demo);
  const text = runExecutable(['plan', demo], empty);
  if (!text.stdout.startsWith(`conda-prune plan: ${demo}\n`) || !/^Total: \d+ files/m.test(text.stdout)) {
    throw new Error(`plan printed an unexpected report:\n${text.stdout}${text.stderr}`);
  }
  const entriesOf = (stdout: string): string => JSON.stringify((JSON.parse(stdout) as { entries: unknown[] }).entries);
  const fromExecutable = entriesOf(runExecutable(['plan', demo, '--format', 'json'], empty).stdout);
  const fromBundle = entriesOf(run(process.execPath, [esmBundle, 'plan', demo, '--format', 'json']).stdout);
  if (fromExecutable !== fromBundle) throw new Error('the executable plans different entries than dist/conda-prune.mjs on the demo env');
  if (fromExecutable === '[]') throw new Error('the executable planned nothing on the demo env');
  const missing = spawnSync(executable, ['plan', join(empty, 'no-env')], { cwd: empty, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  if (missing.status !== 2 || !missing.stderr.startsWith('error CP_')) {
    throw new Error(`plan of a missing env exited ${missing.status} with ${JSON.stringify(missing.stderr)}; expected exit 2 and a CP_ error`);
  }
}

/** Returns the median wall time of `runs` runs of the command, in milliseconds. */
function medianStartMs(command: string, args: string[], runs = 7): number {
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    run(command, args);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(runs / 2)] as number);
}

const workDirectory = mkdtempSync(join(tmpdir(), 'conda-prune-sea-'));
try {
  const blob = await prepareBlob(workDirectory);
  await injectBlob(blob, workDirectory);
  await smokeTest(workDirectory);
  const megabytes = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`;
  console.log(`built ${executable}: ${megabytes(statSync(executable).size)} (node itself: ${megabytes(statSync(process.execPath).size)})`);
  console.log(`smoke test passed: --version, and plan on the demo env equal to dist/conda-prune.mjs's`);
  const seaMs = medianStartMs(executable, ['--version']);
  const nodeMs = medianStartMs(process.execPath, [esmBundle, '--version']);
  console.log(`start-up (--version, median of 7): ${seaMs} ms standalone, ${nodeMs} ms node dist/conda-prune.mjs`);
} catch (error) {
  rmSync(executable, { force: true });
  console.error(`build-sea failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  rmSync(workDirectory, { recursive: true, force: true });
}
