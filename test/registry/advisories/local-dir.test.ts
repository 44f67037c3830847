/** The local advisory directory: the malicious-packages layout, bad files counted, links out of the directory not followed. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Advisories } from '../../../src/registry/advisories/index.js';
import { ADVISORY_DIR } from '../../helpers/advisories.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lockwarden-advisories-'));
  cpSync(ADVISORY_DIR, path.join(tmp, 'data'), { recursive: true });
  // a bad file, a record without affected packages, and a record outside the directory linked in
  writeFileSync(path.join(tmp, 'data', 'osv', 'broken.json'), '{ not json');
  writeFileSync(path.join(tmp, 'data', 'osv', 'empty.json'), JSON.stringify({ id: 'MAL-0' }));
  mkdirSync(path.join(tmp, 'outside'));
  writeFileSync(
    path.join(tmp, 'outside', 'MAL-9999-1.json'),
    JSON.stringify({
      id: 'MAL-9999-1',
      summary: 'Malicious code in left-pad (npm)',
      affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, versions: ['1.3.0'] }],
    }),
  );
  symlinkSync(path.join(tmp, 'outside', 'MAL-9999-1.json'), path.join(tmp, 'data', 'osv', 'linked.json'));
  symlinkSync(path.join(tmp, 'outside'), path.join(tmp, 'data', 'osv', 'linked-dir'));
  symlinkSync(path.join(tmp, 'data', 'osv', 'malicious'), path.join(tmp, 'data', 'osv', 'loop'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a local directory of OSV records', () => {
  it('finds malicious versions and vulnerabilities offline, by normalised name', async () => {
    const c = new Advisories({ directory: path.join(tmp, 'data') });
    const r = await c.lookup(
      [
        { ecosystem: 'npm', name: 'chalk', version: '5.6.1' },
        { ecosystem: 'npm', name: 'chalk', version: '5.6.2' },
        { ecosystem: 'npm', name: 'ua-parser-js', version: '0.8.0' },
        { ecosystem: 'npm', name: 'flatmap-stream', version: '0.1.1' },
        { ecosystem: 'pypi', name: 'Requests', version: '2.30.0' },
      ],
      {},
      { offline: true },
    );
    expect(r.results.get('npm:chalk@5.6.1')!.map((a) => [a.id, a.source, a.kind])).toEqual([['MAL-2025-46969', 'local', 'malicious']]);
    expect(r.results.get('npm:chalk@5.6.2')).toEqual([]);
    expect(r.results.get('npm:ua-parser-js@0.8.0')!.map((a) => a.affected)).toEqual([['= 0.8.0', '>= 0.8.0, < 0.8.1']]);
    expect(
      r.results
        .get('npm:flatmap-stream@0.1.1')!
        .map((a) => a.id)
        .sort(),
    ).toEqual(['GHSA-mh6f-8j2x-4483', 'MAL-2025-20690']);
    expect(r.results.get('pypi:requests@2.30.0')!.map((a) => a.kind)).toEqual(['vulnerability']);
  });

  it('counts bad files, and does not follow links that leave the directory', async () => {
    const c = new Advisories({ directory: path.join(tmp, 'data') });
    const r = await c.lookup([{ ecosystem: 'npm', name: 'left-pad', version: '1.3.0' }], {});
    expect(r.results.get('npm:left-pad@1.3.0')).toEqual([]);
    expect(r.dropped).toEqual([{ source: 'local', count: 2 }]);
  });

  it('names a missing directory as unavailable', async () => {
    const r = await new Advisories({ directory: path.join(tmp, 'nope') }).lookup([{ ecosystem: 'npm', name: 'chalk', version: '5.6.1' }], {});
    expect(r.unavailable).toEqual([{ source: 'local', reason: 'advisory directory not readable: ENOENT', packages: 1 }]);
  });
});
