/**
 * Tells from a prefix-relative path alone whether a file may be ELF, so the shared-library guard
 * reads a few hundred files of a 10,000-file environment instead of all of them. Most of an env
 * is python source, bytecode, data and headers, which the name rules out; a file the name cannot
 * tell about (no extension, or in bin/, sbin/, libexec/) costs one read of its head.
 */

// `libz.so`, `libz.so.1`, `libz.so.1.3.1`, `_multiarray_umath.cpython-311-x86_64-linux-gnu.so`;
// not `libstdc++.so.6.0.30-gdb.py`.
const SHARED_OBJECT_NAME = /\.so(?:\.[0-9]+)*$/;

// Node's native addons are shared objects by another name.
const OTHER_ELF_NAME = /\.node$/;

// Folders whose files a loader never maps, however they are named (terminfo alone holds
// thousands of extension-less files).
const NON_ELF_TOP = new Set(['conda-meta', 'include', 'share', 'man', 'etc', 'ssl', 'info', 'doc', 'docs', 'mkspecs', 'var', 'Library']);

const NON_ELF_SEGMENT = /(?:^|\/)(?:__pycache__|[^/]+\.(?:dist-info|egg-info))\//;

// Extensions that are never a loadable ELF file; anything else outside bin/ is ruled out too
// unless it has no extension at all.
const NON_ELF_EXTENSION = new Set(
  (
    'py pyc pyo pyi pyx pxd pxi pth txt md rst html htm css js mjs cjs map ts json yaml yml toml cfg ini conf xml ' +
    'h hh hpp hxx c cc cpp cxx f f90 f77 for inc pc cmake la a o lib mo po gz bz2 xz lzma zst zip tar whl ' +
    'png jpg jpeg gif svg ico bmp csv tsv dat npy npz mat pkl sav wav typed tcl tk pl pm sh bash csh fish zsh ' +
    'bat ps1 cmd decTest pem crt mod in tpl tmpl sql db'
  ).split(' '),
);

/** Tells whether a file name is a shared object's: `*.so` or `*.so.N[.N...]`. */
export function isSharedObjectName(path: string): boolean {
  return SHARED_OBJECT_NAME.test(path);
}

/** Tells whether the file at a prefix-relative path may be an ELF file that the loader maps. */
export function mayBeElf(path: string): boolean {
  if (SHARED_OBJECT_NAME.test(path) || OTHER_ELF_NAME.test(path)) return true;
  const slash = path.indexOf('/');
  const top = slash === -1 ? '' : path.slice(0, slash);
  if (NON_ELF_TOP.has(top) || NON_ELF_SEGMENT.test(path)) return false;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const extension = dot <= 0 ? '' : name.slice(dot + 1);
  if (NON_ELF_EXTENSION.has(extension)) return false;
  // Executables carry any name there (`python3.11`); elsewhere an ELF file has no extension.
  if (top === 'bin' || top === 'sbin' || top === 'libexec') return true;
  return extension === '';
}
