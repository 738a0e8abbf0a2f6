/**
 * The example Dockerfiles in docker/, built without a Docker engine: their instructions are read
 * as Docker reads them (line continuations, ARG and ENV, RUN --mount) and replayed in order,
 * each stage in a temporary root that stands for its filesystem. RUN lines run with bash, the
 * paths they name moved into that root; COPY and ADD copy between roots, the build context and
 * stand-in downloads. What cannot run here is replaced by the smallest honest stand-in: mamba
 * and conda lay out the real python fixture env at their `-p` target, a release download is the
 * bundle, and a base image provides only the tools it is known for. conda-prune is the real
 * bundle. The point is to prove the commands, paths and flags are right.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPythonEnvTemplate } from '../../fixtures/python-env/template.ts';
import { cliPath, runCli } from '../helpers/run-cli.ts';
import { createTempDirectories } from '../helpers/small-env.ts';

const repository = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(repository, 'package.json'), 'utf8')) as { version: string }).version;
const temp = createTempDirectories();

/** One Dockerfile instruction, continuation lines joined, with its leading `--flag=value`s. */
interface Instruction {
  keyword: string;
  flags: Array<[string, string]>;
  rest: string;
}

/** Splits a Dockerfile into instructions as the Docker frontend does. */
function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    // Comment lines are dropped even in the middle of a continued instruction.
    if (/^\s*#/.test(line) || (pending === '' && line.trim() === '')) continue;
    const continued = /^(.*)\\\s*$/.exec(line);
    if (continued !== null) {
      pending += `${continued[1]} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    const [, keyword = '', body = ''] = /^(\S+)\s*(.*)$/s.exec(whole) ?? [];
    const flags: Array<[string, string]> = [];
    let rest = body;
    for (let match = /^--([\w-]+)=(\S+)\s+/.exec(rest); match !== null; match = /^--([\w-]+)=(\S+)\s+/.exec(rest)) {
      flags.push([match[1] as string, match[2] as string]);
      rest = rest.slice(match[0].length);
    }
    instructions.push({ keyword: keyword.toUpperCase(), flags, rest: rest.trim() });
  }
  return instructions;
}

/** Replaces `$NAME` and `${NAME}` as Docker does in FROM, COPY, ADD, ENV and ARG. */
function substitute(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => variables[(braced ?? bare) as string] ?? '');
}

/** Moves the absolute paths a RUN line or ENV value names into the stage's root. */
function moveIntoRoot(text: string, root: string): string {
  return text.replace(/(?<![\w.$}/-])\/(?:env|app|opt|usr\/local|tmp|report|root)(?=[/\s"':;&|)]|$)/g, (path) => `${root}${path}`);
}

/** A stage being built: its root stands for its filesystem. */
interface Stage {
  name: string;
  image: string;
  root: string;
  variables: Record<string, string>;
  entrypoint?: string[];
}

/** What a base image gives a stage: files in its root and the tools on its PATH. */
interface BaseImage {
  tools: string[];
  layOut?: (root: string) => Promise<void>;
}

/** A finished build: its stages by name (and index) and each RUN's output. */
interface Build {
  stages: Stage[];
  runs: Array<{ command: string; stdout: string; stderr: string }>;
}

let toolsRoot = '';
let downloads: Record<string, string> = {};
let templatePrefix = '';

/** Tools every stage of a Debian or Ubuntu based image has, taken from this machine. */
const systemTools = ['bash', 'sh', 'env', 'tar', 'gzip', 'mkdir', 'ln', 'rm', 'cp', 'mv', 'cat', 'ls', 'chmod', 'dirname', 'basename', 'uname', 'test', 'true', 'grep', 'sed', 'head', 'tail', 'wc'];

/** The base images the examples start from, and what this test lets them hold. */
function baseImage(reference: string): BaseImage | undefined {
  const withEnv = (path: string) => async (root: string) => copyTree(templatePrefix, join(root, path));
  if (reference.startsWith('condaforge/miniforge3:')) return { tools: ['system', 'miniforge'], layOut: withEnv('opt/conda') };
  if (reference.startsWith('node:20-')) return { tools: ['system', 'node'], layOut: async (root) => linkNode(join(root, 'usr/local/bin/node')) };
  if (reference.startsWith('gcr.io/distroless/')) return { tools: [] };
  if (reference === 'scratch') return { tools: [] };
  return undefined;
}

/** Copies a file, link or tree as `cp -a` does: links stay links, modes and times are kept. */
function copyTree(source: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  const copied = spawnSync('cp', ['-a', lstatSync(source).isDirectory() ? `${source}/.` : source, target], { encoding: 'utf8' });
  if (copied.status !== 0) throw new Error(`cp -a ${source} ${target}: ${copied.stderr}`);
}

function linkNode(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(process.execPath, path);
}

/** Replays a Dockerfile; throws with the output of the first step that fails. */
async function buildDockerfile(dockerfile: string, context: string): Promise<Build> {
  const work = temp.make('docker-build');
  const build: Build = { stages: [], runs: [] };
  const globals: Record<string, string> = {};
  const images = new Map<string, string>();
  // A stage's root, or a fresh root for an image: each FROM starts its own, COPY --from shares one.
  const stageRoot = async (reference: string, fresh = false): Promise<string> => {
    const stage = build.stages.find((candidate) => candidate.name === reference);
    if (stage !== undefined) return stage.root;
    const known = images.get(reference);
    if (known !== undefined && !fresh) return known;
    const image = baseImage(reference);
    if (image === undefined) throw new Error(`no stand-in for image ${reference}`);
    const root = join(work, `${build.stages.length}-${images.size}-${basename(reference).replace(/\W/g, '_')}`);
    mkdirSync(root, { recursive: true });
    await image.layOut?.(root);
    if (!fresh) images.set(reference, root);
    return root;
  };
  let stage: Stage | undefined;
  for (const { keyword, flags, rest } of parseDockerfile(readFileSync(dockerfile, 'utf8'))) {
    const flag = (name: string): string | undefined => flags.find(([key]) => key === name)?.[1];
    if (keyword === 'ARG') {
      const [, name = '', value] = /^(\w+)(?:=(.*))?$/.exec(rest) ?? [];
      const resolved = (value === undefined ? globals[name] : substitute(value, stage?.variables ?? globals)) ?? '';
      if (stage === undefined) globals[name] = resolved;
      else stage.variables[name] = resolved;
      continue;
    }
    if (keyword === 'FROM') {
      const [image = '', , name] = substitute(rest, globals).split(/\s+/);
      const root = await stageRoot(image, true);
      stage = { name: name ?? String(build.stages.length), image, root, variables: {} };
      build.stages.push(stage);
      continue;
    }
    if (stage === undefined) throw new Error(`${keyword} before FROM in ${dockerfile}`);
    const current: Stage = stage;
    if (keyword === 'ENV') {
      for (const [, name, value] of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g)) current.variables[name as string] = moveIntoRoot(substitute((value as string).replace(/^"|"$/g, ''), current.variables), current.root);
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      const words = substitute(rest, current.variables).split(/\s+/);
      const destination = join(current.root, words.pop() as string);
      const from = flag('from');
      for (const source of words) {
        const origin = /^https?:/.test(source) ? downloads[source] : from === undefined ? join(context, source) : join(await stageRoot(from), source);
        if (origin === undefined || !existsSync(origin)) throw new Error(`${keyword} ${source}: nothing to copy`);
        // A directory's contents go into the destination; a file goes into it when it is a directory.
        const into = lstatSync(origin).isDirectory() || !(destination.endsWith('/') || words.length > 1);
        const target = into ? destination : join(destination, basename(source));
        copyTree(origin, target);
        const mode = flag('chmod');
        if (mode !== undefined) chmodSync(target, Number.parseInt(mode, 8));
      }
    } else if (keyword === 'RUN') {
      await runStep(current, flags, rest, build, stageRoot);
    } else if (keyword === 'ENTRYPOINT') {
      current.entrypoint = (JSON.parse(rest) as string[]).map((word) => moveIntoRoot(word, current.root));
    }
  }
  return build;
}

/** Runs one RUN line with bash in the stage's root, with its --mount flags in place. */
async function runStep(stage: Stage, flags: Array<[string, string]>, command: string, build: Build, stageRoot: (reference: string) => Promise<string>): Promise<void> {
  const tools = baseImage(stage.image)?.tools ?? [];
  if (!tools.includes('system')) throw new Error(`RUN in ${stage.image}, which has no shell: ${command}`);
  const bound: string[] = [];
  for (const [name, value] of flags) {
    if (name !== 'mount') throw new Error(`RUN --${name} is not emulated`);
    const options = Object.fromEntries(value.split(',').map((pair) => pair.split('=') as [string, string]));
    const target = join(stage.root, options.target as string);
    if (options.type === 'cache') mkdirSync(target, { recursive: true });
    else if (options.type === 'bind') {
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(join(await stageRoot(options.from as string), options.source ?? '/'), target);
      bound.push(target);
    } else throw new Error(`RUN --mount=type=${options.type} is not emulated`);
  }
  const path = [join(stage.root, 'usr/local/bin'), ...tools.map((tool) => join(toolsRoot, tool))].join(':');
  const result = spawnSync('bash', ['-c', moveIntoRoot(command, stage.root)], {
    cwd: stage.root,
    encoding: 'utf8',
    env: { HOME: join(stage.root, 'root'), ...stage.variables, PATH: stage.variables.PATH ?? path },
    timeout: 600_000,
  });
  // A bind mount lasts one step and leaves nothing in the layer.
  for (const target of bound) rmSync(target);
  build.runs.push({ command, stdout: result.stdout, stderr: result.stderr });
  if (result.status !== 0) throw new Error(`RUN ${command}\nexited ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`);
}

/** Writes the stand-ins: system tools, node, and mamba/conda that lay out the fixture env. */
function writeTools(root: string): void {
  const which = (tool: string): string => spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
  mkdirSync(join(root, 'system'), { recursive: true });
  for (const tool of systemTools) symlinkSync(which(tool), join(root, 'system', tool));
  linkNode(join(root, 'node', 'node'));
  mkdirSync(join(root, 'miniforge'));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const template = join(repository, 'fixtures/python-env/template.ts');
  const standIn = `#!/bin/bash
# Stands in for mamba and conda: \`create\` lays out the real python fixture env at -p, offline.
set -euo pipefail
case "\${1:-}" in clean) exit 0 ;; env) shift ;; esac
[ "\${1:-}" = create ] || { echo "stand-in: unsupported command: $*" >&2; exit 64; }
shift
prefix='' spec=''
while [ $# -gt 0 ]; do
  case "$1" in
    -p|--prefix) prefix=$2; shift 2 ;;
    -f|--file) spec=$2; shift 2 ;;
    *) shift ;;
  esac
done
[ -n "$prefix" ] || { echo "stand-in: no -p PREFIX" >&2; exit 64; }
[ -f "$spec" ] || { echo "stand-in: no such file: $spec" >&2; exit 66; }
[ ! -e "$prefix" ] || { echo "stand-in: $prefix exists" >&2; exit 1; }
export PATH='${process.env.PATH ?? ''}' TMPDIR='${tmpdir()}'
exec ${process.execPath} --import ${tsx} --input-type=module -e "import { copyPythonEnv } from '${template}'; await copyPythonEnv(process.argv[1]);" -- "$prefix"
`;
  for (const name of ['mamba', 'conda']) writeFileSync(join(root, 'miniforge', name), standIn, { mode: 0o755 });
  mkdirSync(join(root, 'docker'));
  const docker = `#!/bin/bash
# Stands in for the docker CLI: a created container's filesystem holds the fixture env anywhere.
set -euo pipefail
case "$1" in
  create) [ -n "\${2:-}" ] && echo 0123456789ab ;;
  cp) [ "\${2%%:*}" = 0123456789ab ] && TMPDIR='${tmpdir()}' ${process.execPath} --import ${tsx} --input-type=module -e "import { copyPythonEnv } from '${template}'; await copyPythonEnv(process.argv[1]);" -- "$3" ;;
  rm) [ "$2" = 0123456789ab ] && echo "$2" >> '${join(root, 'docker', 'removed')}' ;;
  *) echo "stand-in: unsupported command: $*" >&2; exit 64 ;;
esac
`;
  writeFileSync(join(root, 'docker', 'docker'), docker, { mode: 0o755 });
}

/** Makes what the examples download: the npm package tarball and the release executable. */
function writeDownloads(root: string): Record<string, string> {
  // npm packs a package under package/; only the bundle matters to the examples.
  mkdirSync(join(root, 'package/dist'), { recursive: true });
  cpSync(cliPath, join(root, 'package/dist/conda-prune.mjs'));
  const tarball = join(root, `conda-prune-${version}.tgz`);
  const packed = spawnSync('tar', ['-czf', tarball, '-C', root, 'package'], { encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(packed.stderr);
  // The standalone executable is built and smoke-tested by scripts/build-sea.ts; here the same
  // program runs from the bundle, by an absolute node, as the builder has none.
  const executable = join(root, 'conda-prune-linux-x64');
  writeFileSync(executable, `#!/bin/sh\nexec ${process.execPath} ${cliPath} "$@"\n`, { mode: 0o755 });
  return {
    [`https://registry.npmjs.org/conda-prune/-/conda-prune-${version}.tgz`]: tarball,
    [`https://github.com/conda-prune/conda-prune/releases/download/v${version}/conda-prune-linux-x64`]: executable,
  };
}

function stageNamed(build: Build, name: string): Stage {
  const stage = build.stages.find((candidate) => candidate.name === name);
  if (stage === undefined) throw new Error(`no stage ${name}`);
  return stage;
}

/** Checks that the builder's /env was pruned and verified, with nothing left to plan. */
function expectPrunedEnv(build: Build): void {
  const env = join(stageNamed(build, 'build').root, 'env');
  // The layer rule: the step that prunes /env is the step that creates it.
  const prune = build.runs.find((run) => run.command.includes('conda-prune apply /env'));
  expect(prune?.command).toMatch(/^mamba env create .*-p \/env /);
  expect(prune?.stdout).toMatch(new RegExp(`^Pruned ${env}: [\\d,]+ files, .+ \\(verified\\)\\.$`, 'm'));
  const history = readFileSync(join(env, '.conda-prune/history.jsonl'), 'utf8').trim().split('\n');
  expect(history).toHaveLength(1);
  const replan = runCli(['plan', env, '--format', 'json']);
  expect(replan.status).toBe(0);
  expect(JSON.parse(replan.stdout).entries).toEqual([]);
  // apply fails only on a regression, so a check that could never pass would go unnoticed there:
  // the step's own --import and --run checks must pass on the pruned env by themselves.
  const command = prune?.command ?? '';
  const imports = [...command.matchAll(/--import (\S+)/g)].flatMap((match) => ['--import', match[1] as string]);
  const runs = [...command.matchAll(/--run "([^"]*)"/g)].flatMap((match) => ['--run', moveIntoRoot(match[1] as string, dirname(env))]);
  if (imports.length + runs.length > 0) {
    const checked = runCli(['verify', env, '--only-user-imports', ...imports, ...runs]);
    expect(checked.stdout).toMatch(/^OK /m);
    expect(checked.status).toBe(0);
  }
}

/** Checks what every service example promises: /env pruned, verified, and the runtime starts. */
function expectPrunedService(build: Build): void {
  expectPrunedEnv(build);
  // The runtime stage: only /env and the app were copied into it; its entry point loads the app.
  const runtime = build.stages.at(-1) as Stage;
  expect(runtime.image).toMatch(/^gcr\.io\/distroless\//);
  expect(lstatSync(join(runtime.root, 'env/.conda-prune/history.jsonl')).isFile()).toBe(true);
  const [program = '', ...args] = runtime.entrypoint ?? [];
  const started = spawnSync(program, [...args, '--check-config'], { encoding: 'utf8', env: { PATH: runtime.variables.PATH ?? '' }, timeout: 120_000 });
  expect(started.stderr).toBe('');
  expect(started.status).toBe(0);
}

beforeAll(async () => {
  templatePrefix = (await getPythonEnvTemplate()).prefix;
  toolsRoot = temp.make('docker-tools');
  writeTools(toolsRoot);
  downloads = writeDownloads(temp.make('docker-downloads'));
}, 900_000);
afterAll(() => temp.cleanup());

describe('the example Dockerfiles, replayed', () => {
  it('fastapi-distroless: creates, prunes and verifies /env in one RUN step; the runtime starts the app', async () => {
    const example = join(repository, 'docker/fastapi-distroless');
    const build = await buildDockerfile(join(example, 'Dockerfile'), example);
    expect(build.runs.map((run) => run.command.split(' ')[0])).toEqual(['mkdir', 'mamba']);
    expect(build.runs[0]?.stdout.trim()).toBe(version);
    expectPrunedService(build);
  }, 600_000);

  it('buildkit-cache: the same with a cache mount and the executable bind-mounted for one step', async () => {
    const context = join(repository, 'docker/fastapi-distroless');
    const build = await buildDockerfile(join(repository, 'docker/buildkit-cache/Dockerfile'), context);
    expect(build.runs).toHaveLength(1);
    expectPrunedService(build);
    const builder = stageNamed(build, 'build').root;
    expect(existsSync(join(builder, 'opt/conda/pkgs'))).toBe(true);
    expect(existsSync(join(builder, 'opt/conda-prune'))).toBe(false);
  }, 600_000);

  it("README's Use in a Dockerfile snippet: creates, prunes and verifies /env", async () => {
    const readme = readFileSync(join(repository, 'README.md'), 'utf8');
    const snippet = /## Use in a Dockerfile\n[\s\S]*?```dockerfile\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet).toContain('conda-prune apply /env');
    const dockerfile = join(temp.make('readme-dockerfile'), 'Dockerfile');
    writeFileSync(dockerfile, snippet as string);
    const build = await buildDockerfile(dockerfile, join(repository, 'docker/fastapi-distroless'));
    expectPrunedEnv(build);
    expect(lstatSync(join((build.stages.at(-1) as Stage).root, 'env/conda-meta')).isDirectory()).toBe(true);
  }, 600_000);

  it('audit-extracted-image: plans the env copied out of an image and writes the report, changing nothing', async () => {
    const example = join(repository, 'docker/audit-extracted-image');
    const build = await buildDockerfile(join(example, 'Dockerfile'), example);
    const report = stageNamed(build, 'report').root;
    const plan = JSON.parse(readFileSync(join(report, 'plan.json'), 'utf8')) as { prefix: string; entries: Array<{ path: string }> };
    expect(plan.entries.length).toBeGreaterThan(100);
    expect(readFileSync(join(report, 'remove.txt'), 'utf8').trim().split('\n')).toEqual(plan.entries.map((entry) => entry.path));
    expect(readFileSync(join(report, 'plan.md'), 'utf8')).toContain(plan.entries[0]?.path.split('/')[0]);
    const audited = join(stageNamed(build, 'audit').root, 'env');
    expect(plan.prefix).toBe(audited);
    expect(existsSync(join(audited, '.conda-prune'))).toBe(false);
    expect(plan.entries.every((entry) => existsSync(join(audited, entry.path)))).toBe(true);
  }, 600_000);

  it('audit-extracted-image/audit.sh: plans the env docker cp copies out of a created container, then cleans up', () => {
    const script = join(repository, 'docker/audit-extracted-image/audit.sh');
    const result = spawnSync(script, ['registry.example.com/team/service:1.4', '/opt/conda', '--format', 'json'], {
      encoding: 'utf8',
      env: { PATH: [join(toolsRoot, 'docker'), join(toolsRoot, 'system'), '/usr/bin', '/bin'].join(':'), TMPDIR: temp.make('audit-sh'), CONDA_PRUNE: `${process.execPath} ${cliPath}` },
      maxBuffer: 256 * 1024 * 1024,
      timeout: 300_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const plan = JSON.parse(result.stdout) as { prefix: string; entries: unknown[] };
    expect(plan.entries.length).toBeGreaterThan(100);
    expect(existsSync(dirname(plan.prefix))).toBe(false);
    expect(readFileSync(join(toolsRoot, 'docker', 'removed'), 'utf8')).toBe('0123456789ab\n');
  }, 300_000);
});
