/**
 * Builds dist/conda-prune.mjs: the whole CLI in one file that runs with plain `node` and no
 * node_modules, with the shipped profiles and the version inside it. One file also starts about
 * twice as fast as the module tree, which Node must resolve and compile file by file.
 *
 *   npx tsx scripts/bundle.ts   (part of npm run build)
 */
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PruneError, formatIssue } from '../src/errors.ts';
import { loadProfile } from '../src/profiles/load-profile.ts';
import type { EmbeddedProfile } from '../src/profiles/builtin-profiles.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const profilesDirectory = join(root, 'profiles');
const outfile = join(root, 'dist', 'conda-prune.mjs');

/** Validates a shipped profile with the runtime's own loader and embeds the result. */
function embed(name: string): EmbeddedProfile {
  const text = readFileSync(join(profilesDirectory, `${name}.yaml`), 'utf8');
  try {
    const profile = loadProfile({ kind: 'builtin', name }, [name]);
    return { text, profile: { ...profile, source: { ...profile.source, location: `builtin:${name}.yaml` } } };
  } catch (error) {
    if (error instanceof PruneError) throw new Error(`${error.message}\n${error.issues.map(formatIssue).join('\n')}`);
    throw error;
  }
}

const profiles = Object.fromEntries(
  readdirSync(profilesDirectory)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => name.slice(0, -'.yaml'.length))
    .map((name) => [name, embed(name)]),
);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

await build({
  entryPoints: [join(root, 'src', 'cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Whitespace and syntax only: identifiers stay, so a stack trace of a bug still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  banner: {
    // Bundled CommonJS dependencies (commander, fast-glob) call require; ESM has none of its own.
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  define: {
    __CONDA_PRUNE_BUILTIN_PROFILES__: JSON.stringify(profiles),
    __CONDA_PRUNE_VERSION__: JSON.stringify(version),
  },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
