/*
 * Python packages below list the interpreter paths their real records list (conda-forge linux,
 * the free-threaded 3.13t build from conda's own tests, and a win-64 python from
 * defaults), trimmed to the files that decide the layout.
 */
import { describe, expect, it } from 'vitest';
import { describePython } from '../../src/environment/python-info.ts';
import type { Package } from '../../src/environment/types.ts';

function python(version: string, paths: string[]): Package {
  return {
    name: 'python',
    version,
    build: 'h0_cpython',
    channel: 'conda-forge',
    source: 'conda',
    recordPath: `conda-meta/python-${version}-h0_cpython.json`,
    writer: 'conda',
    paths,
    files: paths.map((path) => ({ path, pathType: 'hardlink' })),
    fileAt: (index) => ({ path: paths[index] as string, pathType: 'hardlink' }),
  };
}

describe('describePython', () => {
  it('returns undefined when the env has no python', () => {
    expect(describePython(undefined, undefined)).toBeUndefined();
    expect(describePython(undefined, 'lib/python3.12/site-packages')).toBeUndefined();
  });

  it('derives lib/python3.11 and its site-packages from the version', () => {
    const info = describePython(python('3.11.15', ['bin/python', 'bin/python3', 'bin/python3.11', 'lib/python3.11/os.py']), undefined);
    expect(info).toEqual({
      version: '3.11.15',
      sitePackages: 'lib/python3.11/site-packages',
      stdlib: 'lib/python3.11',
      executable: 'bin/python3.11',
    });
  });

  it('keeps a two-digit minor version whole (3.10, not 3.1)', () => {
    const info = describePython(python('3.10.16', ['bin/python3.1', 'bin/python3.10', 'lib/python3.10/os.py']), undefined);
    expect(info).toMatchObject({ sitePackages: 'lib/python3.10/site-packages', stdlib: 'lib/python3.10', executable: 'bin/python3.10' });
  });

  it('reads python 2.7 the same way', () => {
    expect(describePython(python('2.7.15', ['bin/python2.7']), undefined)).toMatchObject({
      sitePackages: 'lib/python2.7/site-packages',
      stdlib: 'lib/python2.7',
      executable: 'bin/python2.7',
    });
  });

  it('lets python_site_packages_path win, and takes the stdlib from it', () => {
    const info = describePython(python('3.13.2', ['bin/python3', 'bin/python3.13t', 'lib/python3.13t/os.py']), 'lib/python3.13t/site-packages');
    expect(info).toEqual({
      version: '3.13.2',
      sitePackages: 'lib/python3.13t/site-packages',
      stdlib: 'lib/python3.13t',
      executable: 'bin/python3.13t',
    });
  });

  it('picks an interpreter the free-threaded record lists when it lists both names', () => {
    // The real 3.13t record lists bin/python3.13 and bin/python3.13t; either runs the build.
    const info = describePython(
      python('3.13.2', ['bin/python', 'bin/python3', 'bin/python3.13', 'bin/python3.13t', 'lib/python3.13t/os.py']),
      'lib/python3.13t/site-packages',
    );
    expect(['bin/python3.13', 'bin/python3.13t']).toContain(info?.executable);
  });

  it('falls back to bin/python3, then bin/python, when no versioned name is listed', () => {
    expect(describePython(python('3.12.7', ['bin/python3', 'bin/python']), undefined)?.executable).toBe('bin/python3');
    expect(describePython(python('3.12.7', ['bin/python']), undefined)?.executable).toBe('bin/python');
  });

  it('names bin/pythonX.Y when the record lists no interpreter at all', () => {
    // A constructor record may list no bin/ entry; the conventional name is still right.
    expect(describePython(python('3.12.3', ['lib/python3.12/os.py']), undefined)?.executable).toBe('bin/python3.12');
  });

  it('uses the Windows layout when the record lists python.exe', () => {
    const info = describePython(python('3.7.0', ['DLLs/_asyncio.pyd', 'Lib/os.py', 'Lib/site-packages/README.txt', 'python.exe', 'pythonw.exe']), undefined);
    expect(info).toEqual({ version: '3.7.0', sitePackages: 'Lib/site-packages', stdlib: 'Lib', executable: 'python.exe' });
  });

  it('keeps the Windows layout when python_site_packages_path names it', () => {
    const info = describePython(python('3.13.1', ['Lib/os.py', 'python.exe']), 'Lib/site-packages');
    expect(info).toMatchObject({ sitePackages: 'Lib/site-packages', stdlib: 'Lib', executable: 'python.exe' });
  });

  it('returns undefined for a version it cannot read', () => {
    expect(describePython(python('', ['bin/python']), undefined)).toBeUndefined();
    expect(describePython(python('three', ['bin/python']), undefined)).toBeUndefined();
  });
});
