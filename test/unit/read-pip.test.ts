/*
 * RECORD lines below follow what pip writes (PEP 376 / the wheel spec): CSV with the path
 * relative to site-packages, `sha256=<urlsafe base64 without padding>` and a size, the RECORD
 * line itself left empty, and paths with commas quoted. The digests are real: each was computed
 * from the bytes named beside it, and its hex form is written out independently.
 */
import { describe, expect, it } from 'vitest';
import { normalizeDistributionName, parseRecordCsv } from '../../src/environment/read-pip.ts';
import type { PackageFile } from '../../src/environment/types.ts';

const SITE = 'lib/python3.11/site-packages';

/** sha256("pip\n"), the INSTALLER file pip writes. */
const PIP_INSTALLER = { b64: 'zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg', hex: 'ceebae7b8927a3227e5303cf5e0f1f7b34bb542ad7250ac03fbcde36ec2f1508' };
/** sha256("x=2\n"): its base64url form holds both `-` and `_`, which plain base64 reads differently. */
const URLSAFE = { b64: 'e1GdMngD-r1MdOG5kzYOjUi0FHcaEtCoaNbt98_sULs', hex: '7b519d327803fabd4c74e1b993360e8d48b414771a12d0a868d6edf7cfec50bb' };
/** sha256 of zero bytes. */
const EMPTY = { b64: '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU', hex: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' };

function parse(text: string, sitePackages = SITE): { files: PackageFile[]; unsafe: string[] } {
  const unsafe: string[] = [];
  const files = parseRecordCsv(text, sitePackages, unsafe);
  return { files, unsafe };
}

describe('parseRecordCsv', () => {
  const record = [
    `requests-2.32.3.dist-info/INSTALLER,sha256=${PIP_INSTALLER.b64},4`,
    `requests-2.32.3.dist-info/RECORD,,`,
    `requests/__init__.py,sha256=${URLSAFE.b64},4`,
    `requests/__pycache__/__init__.cpython-311.pyc,,`,
    `requests/empty.typed,sha256=${EMPTY.b64},0`,
    '',
  ].join('\n');

  it('makes every path prefix-relative under site-packages, in RECORD order', () => {
    const { files, unsafe } = parse(record);
    expect(unsafe).toEqual([]);
    expect(files.map((file) => file.path)).toEqual([
      `${SITE}/requests-2.32.3.dist-info/INSTALLER`,
      `${SITE}/requests-2.32.3.dist-info/RECORD`,
      `${SITE}/requests/__init__.py`,
      `${SITE}/requests/__pycache__/__init__.cpython-311.pyc`,
      `${SITE}/requests/empty.typed`,
    ]);
    expect(files.every((file) => file.pathType === 'hardlink')).toBe(true);
  });

  it('turns the urlsafe base64 digest into hex and reads the size', () => {
    const { files } = parse(record);
    expect(files[0]).toEqual({ path: `${SITE}/requests-2.32.3.dist-info/INSTALLER`, pathType: 'hardlink', sha256: PIP_INSTALLER.hex, size: 4 });
    expect(files[2]).toEqual({ path: `${SITE}/requests/__init__.py`, pathType: 'hardlink', sha256: URLSAFE.hex, size: 4 });
    expect(files[4]).toMatchObject({ sha256: EMPTY.hex, size: 0 });
  });

  it("leaves hash and size unset for RECORD's own line and for pyc files pip did not hash", () => {
    const { files } = parse(record);
    expect(files[1]).toEqual({ path: `${SITE}/requests-2.32.3.dist-info/RECORD`, pathType: 'hardlink' });
    expect(files[3]).toEqual({ path: `${SITE}/requests/__pycache__/__init__.cpython-311.pyc`, pathType: 'hardlink' });
  });

  it('reads quoted paths that contain commas and doubled quotes', () => {
    const { files } = parse(
      [`"odd,name/__init__.py",sha256=${URLSAFE.b64},4`, `"odd,name/say ""hi"".txt",,`, `"odd,name/a,b,c.dat",sha256=${EMPTY.b64},0`].join('\n'),
    );
    expect(files).toEqual([
      { path: `${SITE}/odd,name/__init__.py`, pathType: 'hardlink', sha256: URLSAFE.hex, size: 4 },
      { path: `${SITE}/odd,name/say "hi".txt`, pathType: 'hardlink' },
      { path: `${SITE}/odd,name/a,b,c.dat`, pathType: 'hardlink', sha256: EMPTY.hex, size: 0 },
    ]);
  });

  it('resolves entry points written as ../../../bin/x to bin/x', () => {
    const { files, unsafe } = parse(`../../../bin/normalizer,sha256=${URLSAFE.b64},287\n`);
    expect(unsafe).toEqual([]);
    expect(files).toEqual([{ path: 'bin/normalizer', pathType: 'hardlink', sha256: URLSAFE.hex, size: 287 }]);
  });

  it('resolves Windows entry points (../../Scripts/x.exe) against Lib/site-packages', () => {
    const { files, unsafe } = parse(`../../Scripts/pip.exe,sha256=${URLSAFE.b64},108411\r\npip/__init__.py,,\r\n`, 'Lib/site-packages');
    expect(unsafe).toEqual([]);
    expect(files.map((file) => file.path)).toEqual(['Scripts/pip.exe', 'Lib/site-packages/pip/__init__.py']);
  });

  it('reports paths that climb out of the prefix or are absolute, and drops them', () => {
    const { files, unsafe } = parse(
      [
        `../../../../etc/passwd,sha256=${EMPTY.b64},0`,
        `/usr/bin/python3,,`,
        `pkg/../../../../../../root/.ssh/authorized_keys,,`,
        `pkg/__init__.py,sha256=${EMPTY.b64},0`,
      ].join('\n'),
    );
    expect(unsafe).toEqual(['../../../../etc/passwd', '/usr/bin/python3', 'pkg/../../../../../../root/.ssh/authorized_keys']);
    expect(files.map((file) => file.path)).toEqual([`${SITE}/pkg/__init__.py`]);
  });

  it('reads CRLF line endings and skips blank lines and lines without a path', () => {
    const { files } = parse(`\r\npkg/a.py,sha256=${EMPTY.b64},0\r\n\r\n,,\r\npkg/b.py,,\r\n`);
    expect(files.map((file) => file.path)).toEqual([`${SITE}/pkg/a.py`, `${SITE}/pkg/b.py`]);
    expect(files[0]?.size).toBe(0);
  });

  it('ignores a hash of another algorithm and a size that is not a number', () => {
    const { files } = parse(`pkg/a.py,md5=1B2M2Y8AsgTpgAmY7PhCfg,12kb\n`);
    expect(files).toEqual([{ path: `${SITE}/pkg/a.py`, pathType: 'hardlink' }]);
  });

  it('uses the site-packages it is given, e.g. a free-threaded python', () => {
    const { files } = parse(`pkg/a.py,,\n`, 'lib/python3.13t/site-packages');
    expect(files[0]?.path).toBe('lib/python3.13t/site-packages/pkg/a.py');
  });
});

describe('normalizeDistributionName', () => {
  it.each([
    ['Scikit_Learn', 'scikit-learn'],
    ['scikit-learn', 'scikit-learn'],
    ['PyYAML', 'pyyaml'],
    ['zope.interface', 'zope-interface'],
    ['Foo__Bar-._baz', 'foo-bar-baz'],
    ['typing_extensions', 'typing-extensions'],
  ])('normalises %s to %s', (name, expected) => {
    expect(normalizeDistributionName(name)).toBe(expected);
  });
});
