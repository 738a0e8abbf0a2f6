/**
 * Builds dist/conda-prune.mjs: the whole CLI in one file that runs with plain `node` and no
 * node_modules, with the shipped profiles and the version inside it. One file also starts about
 * twice as fast as the module tree, which Node must resolve and compile file by file.
 * scripts/build-sea.ts reuses bundleCli for the CommonJS variant a single executable needs.
 *
 *   npx tsx scripts/bundle.ts   (part of npm run build)
 */
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { PruneError, formatIssue } from '../src/errors.ts';
import { loadProfile } from '../src/profiles/load-profile.ts';
import { isProfileFileName, type EmbeddedProfile } from '../src/profiles/builtin-profiles.ts';

/** The package root, one level above scripts/. */
export const root = fileURLToPath(new URL('..', import.meta.url));
const profilesDirectory = join(root, 'profiles');

/** What varies between the ESM bundle and the CommonJS one. */
export interface BundleTarget {
  format: 'esm' | 'cjs';
  outfile: string;
  /** Module source to start from instead of src/cli.ts, resolved from the package root. */
  entrySource?: string;
  /** Extra constants to replace, on top of the embedded profiles and version. */
  define?: Record<string, string>;
}

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

/** Returns the constants every bundle carries: the validated shipped profiles and the version. */
export function embeddedConstants(): Record<string, string> {
  const profiles = Object.fromEntries(
    readdirSync(profilesDirectory)
      .filter(isProfileFileName)
      .sort()
      .map((name) => name.slice(0, -'.yaml'.length))
      .map((name) => [name, embed(name)]),
  );
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return {
    // A string for JSON.parse, not an object literal: V8 scans a string literal far faster than it
    // parses 300 KB of object syntax, and the bundle parses it only when a builtin is needed.
    __CONDA_PRUNE_BUILTIN_PROFILES__: JSON.stringify(JSON.stringify(profiles)),
    __CONDA_PRUNE_VERSION__: JSON.stringify(version),
  };
}

/** Bundles the CLI with its dependencies and embedded profiles into one executable file. */
export async function bundleCli(target: BundleTarget): Promise<void> {
  const entry: Pick<BuildOptions, 'entryPoints' | 'stdin'> =
    target.entrySource === undefined
      ? { entryPoints: [join(root, 'src', 'cli.ts')] }
      : { stdin: { contents: target.entrySource, resolveDir: root, sourcefile: 'entry.ts', loader: 'ts' } };
  await build({
    ...entry,
    outfile: target.outfile,
    bundle: true,
    platform: 'node',
    format: target.format,
    target: 'node20',
    // Whitespace and syntax only: identifiers stay, so a stack trace of a bug still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'eof',
    ...(target.format === 'esm'
      ? {
          banner: {
            // Bundled CommonJS dependencies (commander, fast-glob) call require; ESM has none of its own.
            js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
          },
        }
      : {}),
    define: { ...embeddedConstants(), ...target.define },
    logLevel: 'warning',
  });
  chmodSync(target.outfile, 0o755);
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) await bundleCli({ format: 'esm', outfile: join(root, 'dist', 'conda-prune.mjs') });
