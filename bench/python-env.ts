/**
 * The benchmark env with a real interpreter: the python fixture (Debian's CPython 3.11 with
 * numpy, scipy, pandas, scikit-learn and a FastAPI stack, as conda packages), for the verify
 * scenario, which sparse replicas cannot run.
 */
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyPythonEnv, getPythonEnvTemplate } from '../fixtures/python-env/template.ts';
import type { ReadyEnv } from './envs.ts';

/** Copies the python fixture template into `root/python-fixture` (again) and describes it. */
export async function preparePythonEnv(root: string, log: (line: string) => void): Promise<ReadyEnv> {
  const prefix = join(root, 'python-fixture');
  const started = performance.now();
  log('preparing python-fixture (the real-python fixture env) …');
  const template = await getPythonEnvTemplate();
  rmSync(prefix, { recursive: true, force: true });
  await copyPythonEnv(prefix);
  const facts = countTree(prefix);
  return {
    ...facts,
    packages: readdirSync(join(prefix, 'conda-meta')).filter((name) => name.endsWith('.json')).length,
    diskBytes: facts.apparentBytes,
    buildMs: performance.now() - started,
    builtAt: new Date().toISOString(),
    definition: { id: 'python-fixture', title: `python fixture env (CPython ${template.info.pythonVersion})`, kind: 'python' },
    prefix,
    reused: template.cached,
  };
}

function countTree(root: string): { files: number; links: number; directories: number; apparentBytes: number } {
  const counts = { files: 0, links: 0, directories: 0, apparentBytes: 0 };
  const walk = (directory: string): void => {
    for (const name of readdirSync(directory)) {
      const path = join(directory, name);
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) counts.links++;
      else if (stats.isDirectory()) {
        counts.directories++;
        walk(path);
      } else {
        counts.files++;
        counts.apparentBytes += stats.size;
      }
    }
  };
  walk(root);
  return counts;
}
