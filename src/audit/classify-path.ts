/**
 * Tells what a file is from its prefix-relative path, independent of any profile: tests, sources,
 * headers, docs… The path decides everything except files in executable folders, where only the
 * first bytes tell a compiled tool (ELF) from an entry-point script.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { auditCategories, type AuditCategory } from './types.ts';

/** A category, or `sniff` when only the file's first bytes can tell. */
export type PathVerdict = AuditCategory | 'sniff';

/**
 * Builds the classifier. Self-contained (the patterns live inside) so that the audit's lstat
 * worker can build the same function from its source and classify paths beside the lstat calls.
 */
export function createPathClassifier(): (path: string) => PathVerdict {
  // Checked in this order; the first that matches wins, so a licence inside tests/ stays metadata
  // and a header inside tests/ counts as tests.
  const metadata = /^conda-meta\/|^\.conda-prune\/|\.(?:dist|egg)-info(?:\/|$)|(?:^|\/)(?:licen[cs]es?|share\/licenses)\/|(?:^|\/)(?:LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$/i;
  const sanitizers = /(?:^|\/)lib(?:a|hwa|l|t|ub|m)san(?:\.so|_preinit\.o|\.a)[^/]*$/;
  // `testing` is left out on purpose: numpy.testing and pandas._testing are imported at run time.
  const tests = /(?:^|\/)(?:tests?|__tests__|unittests|idle_test|testsuite)\/|(?:^|\/)(?:test_[^/]*|[^/]*_test|conftest)\.py$/;
  const bytecode = /(?:^|\/)__pycache__\/|\.py[co]$/;
  const sourcemaps = /\.(?:m?js|cjs|css|ts)\.map$/;
  const staticLibs = /\.a$/;
  const headers = /(?:^|\/)include\/|\.(?:h|hh|hpp|hxx|h\+\+|cuh|pxd)$/;
  const sources = /\.(?:c|cc|cpp|cxx|c\+\+|pyx|pxi|f|for|f77|f90|f95|cu|rs|go|java)$/i;
  const buildFiles = /\.(?:la|pc|prl|o|cmake)$|(?:^|\/)(?:pkgconfig|cmake|aclocal)\/|^lib\/python[^/]+\/config-[^/]+\/|(?:^|\/)Makefile[^/]*$/;
  const docs = /^(?:share\/)?(?:doc|docs|man|info|gtk-doc|help)\/|(?:^|\/)(?:docs?|examples?|demos?|samples)\/|(?:^|\/)(?:README|CHANGELOG|CHANGES|HISTORY|NEWS)(?:\.(?:md|rst|txt))?$|\.(?:md|rst|ipynb)$/i;
  // Build and developer tools that are scripts, so the ELF sniff would call them runtime.
  const scriptTools = /^bin\/(?:[^/]+-config|2to3[^/]*|idle[^/]*|pydoc[^/]*)$/;
  const toolchain = /^libexec\/|^lib\/gcc\/|^[^/]+-conda-linux-gnu\//;
  // Folders of executables: an ELF file there is a tool, a script is an entry point.
  const executables = /^(?:s?bin)\/[^/]+$|\/bin\/[^/.]+$/;
  const interpreter = /^bin\/python[0-9.]*$/;
  return (path) => {
    if (metadata.test(path)) return 'metadata';
    if (sanitizers.test(path)) return 'sanitizers';
    if (tests.test(path)) return 'tests';
    if (bytecode.test(path)) return 'bytecode';
    if (sourcemaps.test(path)) return 'sourcemaps';
    if (staticLibs.test(path)) return 'static-libs';
    if (headers.test(path)) return 'headers';
    if (sources.test(path)) return 'sources';
    if (buildFiles.test(path)) return 'build-files';
    if (docs.test(path)) return 'docs';
    if (scriptTools.test(path) || toolchain.test(path)) return 'tools';
    if (interpreter.test(path)) return 'runtime';
    if (executables.test(path)) return 'sniff';
    return 'runtime';
  };
}

/** Every verdict classifyPath returns. */
export const pathVerdicts: readonly PathVerdict[] = [...auditCategories, 'sniff'];

/** Returns the category the path alone tells, or `sniff` for a file in an executable folder. */
export const classifyPath = createPathClassifier();

/**
 * Builds the classifier of a file's first bytes: an ELF executable is a tool, anything else (a
 * script) runs the env's code. Self-contained, so the lstat worker can build it from its source.
 */
export function createContentClassifier(): (head: Uint8Array) => AuditCategory {
  return (head) => (head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46 ? 'tools' : 'runtime');
}

/** Classifies first bytes: an ELF executable is a tool, anything else (a script) runs the env's code. */
export const classifyFirstBytes = createContentClassifier();

/** Reads the first four bytes of a file and classifies them; an unreadable file counts as runtime. */
export function classifyByContent(absolutePath: string): AuditCategory {
  const head = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = openSync(absolutePath, 'r');
    const read = readSync(fd, head, 0, 4, 0);
    return classifyFirstBytes(head.subarray(0, read));
  } catch {
    return 'runtime';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
