/**
 * Runs a bench tool's main when the file is the script node was started with, printing an
 * expected failure (missing folder, DEST not empty) as a message instead of a stack.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Calls `main` with the arguments when `moduleUrl` is the started script, and sets the exit code. */
export function runAsScript(moduleUrl: string, main: (args: string[]) => number): void {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(resolve(process.argv[1])).href) return;
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
