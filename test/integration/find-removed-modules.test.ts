/**
 * Which modules a plan removes on purpose: pip under the aggressive preset's pip/package rule is
 * one; numpy losing its tests is not, and neither is a module a generic profile's broad glob
 * takes whole.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCondaRecords } from '../../fixtures/lib/conda-records.ts';
import { readEnvironment } from '../../src/environment/read-environment.ts';
import { createPlan } from '../../src/plan/create-plan.ts';
import { resolveProfiles } from '../../src/profiles/resolve-profiles.ts';
import { discoverModules } from '../../src/verify/discover-modules.ts';
import { findRemovedModules } from '../../src/verify/find-removed-modules.ts';
import { createTempDirectories, put, sp } from '../helpers/small-env.ts';

const temp = createTempDirectories();
afterAll(() => temp.cleanup());

async function writeEnv(): Promise<string> {
  const prefix = join(temp.make('removed-modules'), 'env');
  const python = ['bin/python3.11', 'lib/python3.11/os.py'];
  const pip = [`${sp}/pip/__init__.py`, `${sp}/pip/_internal/main.py`, `${sp}/pip/__pycache__/__init__.cpython-311.pyc`, `${sp}/pip-23.0.1.dist-info/METADATA`, `${sp}/pip-23.0.1.dist-info/top_level.txt`];
  const numpy = [`${sp}/numpy/__init__.py`, `${sp}/numpy/core/multiarray.py`, `${sp}/numpy/tests/test_basic.py`];
  const six = [`${sp}/six.py`, `${sp}/six-1.16.0.dist-info/METADATA`];
  for (const path of [...python, ...pip, ...numpy, ...six]) put(prefix, path, 100);
  writeFileSync(join(prefix, `${sp}/pip-23.0.1.dist-info/top_level.txt`), 'pip\n');
  await writeCondaRecords(
    prefix,
    [
      { name: 'python', version: '3.11.9', build: 'hab00c5b_0_cpython', files: python },
      { name: 'pip', version: '23.0.1', build: 'pyhd8ed1ab_0', noarch: 'python', files: pip },
      { name: 'numpy', version: '1.26.4', build: 'py311h64a7726_0', files: numpy },
      { name: 'six', version: '1.16.0', build: 'pyh6c4a22f_0', noarch: 'python', files: six },
    ],
    { writer: 'conda' },
  );
  return prefix;
}

describe('findRemovedModules', () => {
  it('names pip, which its own profile removes whole, and not numpy, which only loses its tests', async () => {
    const prefix = await writeEnv();
    const environment = readEnvironment(prefix);
    const plan = await createPlan(environment, resolveProfiles({ preset: 'aggressive', cwd: prefix }));
    expect(plan.entries.map((entry) => entry.path)).toEqual(expect.arrayContaining([`${sp}/pip/__init__.py`, `${sp}/numpy/tests/test_basic.py`]));
    const discovered = discoverModules(environment);
    expect(discovered.map((found) => found.module)).toEqual(['numpy', 'pip', 'six']);
    // Package profiles come before generic ones, so pip's own rule takes its bytecode too.
    expect(findRemovedModules(discovered, environment, plan)).toEqual([{ module: 'pip', package: 'pip', rules: ['pip/package'] }]);
  });

  it('never counts a module a generic profile takes whole as removed on purpose', async () => {
    const prefix = await writeEnv();
    const profile = join(prefix, '..', 'broad.yaml');
    writeFileSync(
      profile,
      [
        'apiVersion: conda-prune/v1',
        'name: broad',
        'version: "1.0.0"',
        'description: a glob far too broad',
        'appliesTo:',
        '  package: "*"',
        'rules:',
        '  - id: single-file-modules',
        '    category: sources',
        '    risk: safe',
        '    reason: none worth having',
        '    remove:',
        '      - "{site-packages}/*.py"',
        '',
      ].join('\n'),
    );
    const environment = readEnvironment(prefix);
    const plan = await createPlan(environment, resolveProfiles({ profiles: [profile], cwd: prefix }));
    expect(plan.entries.map((entry) => entry.path)).toEqual([`${sp}/six.py`]);
    expect(findRemovedModules(discoverModules(environment), environment, plan)).toEqual([]);
  });
});
