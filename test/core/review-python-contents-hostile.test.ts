/**
 * Issue 14: hostile wheels in a review — a member that does not match RECORD, no RECORD, a path
 * leaving site-packages, a decompression bomb, a central directory that lies, a member outside
 * RECORD, a name twice — each refused with a note and a failed check, read whole or by range.
 */
import { deflateRawSync } from 'node:zlib';
import type { FixtureIndex } from '../../test-support/fixture-index.js';
import { project, type RawMember, rawZip, reviewPair, startIndex, wheelMembers, wheelRelease } from './python-contents-fixtures.js';

const DI = 'evilpkg-1.0.1.dist-info';
const good = 'def run():\n    return 1\n';
const files = (): Record<string, string> => ({ 'evilpkg/__init__.py': good, 'evilpkg/net.py': 'import socket\n', [`${DI}/METADATA`]: 'Name: evilpkg\n' });

const CASES: Array<[string, () => RawMember[], RegExp]> = [
  [
    'a member whose bytes differ from its RECORD hash',
    () => {
      const m = wheelMembers(DI, files());
      // the same size as the bytes RECORD hashed, other content
      m[1] = { ...m[1]!, data: Buffer.from('import pty   \n') };
      return m;
    },
    /does not match its RECORD hash/,
  ],
  ['no RECORD', () => wheelMembers(DI, files(), null), /no \.dist-info\/RECORD/],
  [
    'a path leaving site-packages',
    () => {
      const f = { ...files(), '../evil.pth': 'import os\n' };
      return wheelMembers(DI, f);
    },
    /outside its directory/,
  ],
  [
    'a decompression bomb member',
    () => {
      const zeros = Buffer.alloc(50 * 1024 * 1024);
      const m = wheelMembers(DI, { ...files(), 'evilpkg/data.py': zeros });
      const i = m.findIndex((x) => x.name === 'evilpkg/data.py');
      m[i] = { ...m[i]!, stored: deflateRawSync(zeros, { level: 9 }) };
      return m;
    },
    /decompression bomb/,
  ],
  [
    'a central directory pointing a member at another member’s data',
    () => {
      const m = wheelMembers(DI, files());
      m[1] = { ...m[1]!, offsetOf: 0 };
      return m;
    },
    /overlaps another member|local header names another file/,
  ],
  [
    'a central directory whose size disagrees with RECORD',
    () => {
      const m = wheelMembers(DI, files());
      m[1] = { ...m[1]!, declaredSize: 4 };
      return m;
    },
    /RECORD says .* bytes, the central directory 4/,
  ],
  [
    'a member outside RECORD',
    () => {
      const m = wheelMembers(DI, files());
      return [{ name: 'evilpkg/hidden.py', data: Buffer.from('import os\nos.system("id")\n') }, ...m];
    },
    /not in RECORD/,
  ],
  [
    'a name twice',
    () => {
      const m = wheelMembers(DI, files());
      return [{ name: 'evilpkg/net.py', data: Buffer.from('import os\n') }, ...m];
    },
    /twice/,
  ],
];

describe.each([
  ['read whole', {}],
  ['read by range', { wholeWheelBytes: 0 }],
])('hostile wheels, %s', (_how, opts) => {
  let index: FixtureIndex | undefined;
  afterEach(async () => {
    await index?.close();
  });

  it.each(CASES)('%s: a note, the check fails closed, no crash', async (_what, build, reason) => {
    // the index serves (and lists the hashes of) the hostile 1.0.1 wheel
    index = await startIndex(
      [
        project('evilpkg', {
          '1.0.0': wheelRelease('2026-03-01T10:00:00Z', { 'evilpkg/net.py': 'import socket\n' }),
          '1.0.1': wheelRelease('2026-03-05T10:00:00Z', { 'evilpkg/net.py': 'import socket\n' }),
        }),
      ],
      { replaceFile: (f) => (f.version === '1.0.1' ? rawZip(build()) : undefined) },
    );
    const r = await reviewPair(index, 'evilpkg', '1.0.0', '1.0.1', opts);
    expect(r.conclusion).toBe('failure');
    const gap = r.incomplete.find((i) => i.name === 'evilpkg' && i.version === '1.0.1');
    expect(gap).toMatchObject({ failClosed: true });
    expect(gap!.reason).toMatch(reason);
    expect(r.notes.some((n) => n.kind === 'content-not-analysed' && n.package === 'evilpkg' && reason.test(n.message))).toBe(true);
  });
});
