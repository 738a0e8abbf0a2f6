/**
 * The benchmark environments under bench/envs/: what each one is, and building it only when its
 * generator inputs (source code, count, seed, corpus) changed since the stamp written beside it.
 *
 * Stale envs are renamed into bench/envs/.trash/ and purged at the very end of a run: ext4 skips
 * recently deleted inodes when it allocates new ones (`recently_deleted()` in
 * `find_inode_bit`), which made building 60,000 files right after deleting 60,000 others take
 * 20–50 s instead of 2–4 s on the bench VM.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReplica } from './replica.ts';
import { buildSynthetic, DEFAULT_SEED } from './synthetic.ts';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

/** Where the replica's records come from. */
export interface CorpusSource {
  /** corpus.tar.xz, unpacked on demand; or a conda-meta folder used as is. */
  tarball?: string;
  metaDir?: string;
  /** Folder under conda-meta/ inside the tarball. */
  folder: string;
}

/** One environment the benchmarks run on. */
export interface EnvDefinition {
  id: string;
  title: string;
  kind: 'replica' | 'synthetic' | 'python';
  /** Listed paths for synthetic envs. */
  count?: number;
  corpus?: CorpusSource;
}

/** Facts about a built environment, kept in its stamp. */
export interface EnvFacts {
  files: number;
  links: number;
  directories: number;
  /** Records in conda-meta/. */
  packages: number;
  apparentBytes: number;
  diskBytes: number;
  buildMs: number;
  builtAt: string;
}

/** An environment ready to benchmark. */
export interface ReadyEnv extends EnvFacts {
  definition: EnvDefinition;
  prefix: string;
  /** True when the stamp matched and nothing was built this run. */
  reused: boolean;
}

interface Stamp extends EnvFacts {
  key: string;
}

/** Returns the envs of the standard run: the corpus replica and the synthetic scaling series. */
export function standardEnvs(): EnvDefinition[] {
  const metaDir = process.env.BENCH_CORPUS_META;
  // QualsKAT is the largest whole env in the corpus whose records all parse (60,987 paths).
  const replica: EnvDefinition =
    metaDir !== undefined && metaDir !== ''
      ? { id: 'replica-custom', title: `replica of ${metaDir}`, kind: 'replica', corpus: { metaDir, folder: '' } }
      : {
          id: 'replica-qualskat',
          title: 'replica of AndreasGrosz__QualsKAT (conda 24.5, py3.10)',
          kind: 'replica',
          corpus: { tarball: process.env.BENCH_CORPUS ?? '/work/shared/corpus/corpus.tar.xz', folder: 'AndreasGrosz__QualsKAT' },
        };
  return [
    replica,
    { id: 'synthetic-10k', title: 'synthetic 10k', kind: 'synthetic', count: 10_000 },
    { id: 'synthetic-60k', title: 'synthetic 60k', kind: 'synthetic', count: 60_000 },
    { id: 'synthetic-300k', title: 'synthetic 300k', kind: 'synthetic', count: 300_000 },
  ];
}

/** Builds each env whose stamp is missing or stale and returns all of them. */
export function ensureEnvs(root: string, definitions: readonly EnvDefinition[], log: (line: string) => void): ReadyEnv[] {
  mkdirSync(root, { recursive: true });
  return definitions.map((definition) => {
    const prefix = join(root, definition.id);
    const stampPath = join(root, `${definition.id}.stamp.json`);
    const key = inputKey(definition);
    const stamp = readStamp(stampPath);
    if (stamp?.key === key && existsSync(join(prefix, 'conda-meta'))) {
      log(`reusing ${definition.id} (stamp matches)`);
      return { ...stamp, definition, prefix, reused: true };
    }
    if (existsSync(prefix)) moveToTrash(root, prefix);
    log(`building ${definition.id} …`);
    const facts = build(definition, prefix);
    writeFileSync(stampPath, `${JSON.stringify({ key, ...facts }, null, 2)}\n`);
    log(`built ${definition.id}: ${facts.files} files, ${facts.links} links in ${(facts.buildMs / 1000).toFixed(1)} s`);
    return { ...facts, definition, prefix, reused: false };
  });
}

/** Deletes what earlier rebuilds moved aside; call once no more envs will be built. */
export function purgeTrash(root: string): void {
  rmSync(join(root, '.trash'), { recursive: true, force: true });
}

function moveToTrash(root: string, prefix: string): void {
  const trash = join(root, '.trash');
  mkdirSync(trash, { recursive: true });
  renameSync(prefix, join(trash, `${Date.now()}-${prefix.split('/').pop() ?? 'env'}`));
}

function build(definition: EnvDefinition, prefix: string): EnvFacts {
  const builtAt = new Date().toISOString();
  if (definition.kind === 'synthetic') {
    const result = buildSynthetic(definition.count ?? 0, prefix, { seed: DEFAULT_SEED });
    return { ...result.write, packages: result.packages, diskBytes: diskUsage(prefix), buildMs: result.buildMs, builtAt };
  }
  const corpus = definition.corpus as CorpusSource;
  if (corpus.metaDir !== undefined) {
    const result = buildReplica(corpus.metaDir, prefix);
    return { ...result.write, packages: result.records, diskBytes: diskUsage(prefix), buildMs: result.buildMs, builtAt };
  }
  const scratch = mkdtempSync(join(tmpdir(), 'bench-corpus-'));
  try {
    const member = `conda-meta/${corpus.folder}`;
    const untar = spawnSync('tar', ['xJf', corpus.tarball as string, '-C', scratch, member], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (untar.status !== 0) throw new Error(`cannot unpack ${member} from ${corpus.tarball}: ${untar.stderr.toString()}`);
    const result = buildReplica(join(scratch, member), prefix);
    return { ...result.write, packages: result.records, diskBytes: diskUsage(prefix), buildMs: result.buildMs, builtAt };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Hashes everything that decides an env's content: the generator sources and its inputs. */
function inputKey(definition: EnvDefinition): string {
  const hash = createHash('sha256');
  const sources = definition.kind === 'synthetic' ? /^(synthetic.*|env-writer)\.ts$/ : /^(replica.*|env-writer)\.ts$/;
  for (const name of readdirSync(BENCH_DIR).filter((n) => sources.test(n)).sort()) {
    hash.update(name).update(readFileSync(join(BENCH_DIR, name)));
  }
  hash.update(JSON.stringify({ kind: definition.kind, count: definition.count, seed: DEFAULT_SEED }));
  const corpus = definition.corpus;
  if (corpus?.tarball !== undefined) {
    const stat = statSync(corpus.tarball);
    hash.update(`${corpus.tarball}:${corpus.folder}:${stat.size}:${stat.mtimeMs}`);
  }
  if (corpus?.metaDir !== undefined) {
    for (const name of readdirSync(corpus.metaDir).sort()) hash.update(`${name}:${statSync(join(corpus.metaDir, name)).size}`);
  }
  return hash.digest('hex');
}

function readStamp(path: string): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/** Returns the bytes the prefix occupies on disk (du -s -B1), or NaN when du fails. */
function diskUsage(prefix: string): number {
  const du = spawnSync('du', ['-s', '-B1', prefix], { encoding: 'utf8' });
  return du.status === 0 ? Number(du.stdout.split('\t')[0]) : NaN;
}
