/**
 * Issue 14: Python contents in a real review — wheels by RECORD and range requests, small wheels and
 * sdists whole — against the fixture index on 127.0.0.1, through the engine with a poetry.lock.
 */
import { review } from '../../src/core/review.js';
import { defaultConfig } from '../../src/policy/index.js';
import { createPypiIndexClient, createPypiIndexConfig } from '../../src/registry/index.js';
import type { FixtureIndex } from '../../test-support/fixture-index.js';
import { readZipCentralDirectory } from '../../test-support/wheel.js';
import { PY_INIT, PY_MINER } from '../content/builders.js';
import { NOW, npm, poetryLock, project, reviewPair, sdistRelease, startIndex, wheelRelease } from './python-contents-fixtures.js';

const CONTENT = new Set(['obfuscated-code', 'new-capability', 'new-executable', 'install-script-payload']);
const contentFindings = (r: Awaited<ReturnType<typeof review>>, name: string) =>
  (r.changes.find((c) => c.name === name)?.findings ?? []).filter((f) => CONTENT.has(f.signal));
const RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

const proxyModule = ['import os', 'from typing import Any', '', 'def start(config: Any) -> None:', '    os.makedirs(config.dir, exist_ok=True)', ''].join('\n');
const blob = Buffer.from('print("defanged payload")\n'.repeat(80)).toString('base64');
const payload = `import base64\nexec(base64.b64decode("${blob}"))\n`;
const honest = `${proxyModule}\ndef stop(config: Any) -> None:\n    if os.path.isdir(config.dir):\n        os.rmdir(config.dir)\n`;
const PADDING = 1_300_000;

const litellm = project('litellm', {
  '1.82.5': wheelRelease(
    '2026-03-01T10:00:00Z',
    { 'litellm/proxy/proxy_server.py': proxyModule, 'litellm/utils.py': 'def helper():\n    return 1\n' },
    PADDING,
  ),
  '1.82.6': wheelRelease('2026-03-10T10:00:00Z', { 'litellm/proxy/proxy_server.py': honest, 'litellm/utils.py': 'def helper():\n    return 1\n' }, PADDING),
  '1.82.7': wheelRelease(
    '2026-03-12T10:00:00Z',
    { 'litellm/proxy/proxy_server.py': payload + honest, 'litellm/utils.py': 'def helper():\n    return 1\n' },
    PADDING,
  ),
});

describe('Python contents: a LiteLLM-shaped wheel read by RECORD and ranges', () => {
  let index: FixtureIndex;
  beforeAll(async () => {
    index = await startIndex([litellm]);
  });
  afterAll(async () => {
    await index.close();
  });

  it('fails 1.82.6 → 1.82.7 naming proxy_server.py, fetching only the changed members by range', async () => {
    index.requests.length = 0;
    const r = await reviewPair(index, 'litellm', '1.82.6', '1.82.7');
    expect(r.conclusion).toBe('failure');
    const found = contentFindings(r, 'litellm').filter((f) => RANK[f.severity] >= RANK.high);
    expect(found.map((f) => f.evidence['file'])).toContain('litellm/proxy/proxy_server.py');
    const note = r.notes.find((n) => n.kind === 'content-compared');
    expect(note?.message).toMatch(/litellm-1\.82\.7-py3-none-any\.whl \(RECORD and \d+ changed members? by range\)/);

    const wheels = index.requests.filter((q) => q.path.endsWith('.whl'));
    const contentReads = wheels.filter((q) => q.range !== undefined);
    expect(wheels.every((q) => q.status === 206)).toBe(true);
    // the padding member (1.3 MB, the same in both releases) is never fetched
    for (const v of ['1.82.6', '1.82.7']) {
      const file = index.projects.get('litellm')!.releases.find((x) => x.version === v)!.files[0]!;
      const pad = readZipCentralDirectory(file.bytes).find((e) => e.path.endsWith('_fixture_payload.bin'))!;
      const padStart = pad.localHeaderOffset + 30 + pad.path.length;
      for (const q of contentReads.filter((x) => x.path.endsWith(file.filename))) {
        const [start, end] = rangeOf(q.range!, file.bytes.length);
        // a tail read for the central directory may end up in the padding's last bytes, no more
        expect(Math.max(0, Math.min(end, padStart + pad.compressedSize) - Math.max(start, padStart))).toBeLessThan(16 * 1024);
      }
    }
    const fetched = wheels.reduce((n, q) => n + q.bytes, 0);
    const sizes = index.projects
      .get('litellm')!
      .releases.filter((x) => x.version !== '1.82.5')
      .reduce((n, x) => n + x.files[0]!.bytes.length, 0);
    expect(fetched).toBeLessThan(sizes / 10);
    expect(r.incomplete).toEqual([]);
  });

  it('passes the honest patch 1.82.5 → 1.82.6, having compared the two wheels', async () => {
    const r = await reviewPair(index, 'litellm', '1.82.5', '1.82.6');
    expect(contentFindings(r, 'litellm').filter((f) => RANK[f.severity] >= RANK.medium)).toEqual([]);
    expect(r.notes.some((n) => n.kind === 'content-compared' && /litellm 1\.82\.6 with 1\.82\.5: litellm-1\.82\.6-py3-none-any\.whl/.test(n.message))).toBe(
      true,
    );
    expect(r.incomplete).toEqual([]);
    expect(r.conclusion).not.toBe('failure');
  });

  it('checks and reads the whole wheel when the server ignores ranges and sends it all', async () => {
    index.ignoreRange = true;
    try {
      const r = await reviewPair(index, 'litellm', '1.82.6', '1.82.7');
      expect(r.conclusion).toBe('failure');
      expect(contentFindings(r, 'litellm').map((f) => f.evidence['file'])).toContain('litellm/proxy/proxy_server.py');
      const note = r.notes.find((n) => n.kind === 'content-compared');
      expect(note?.message).toMatch(/litellm-1\.82\.7-py3-none-any\.whl \(whole wheel, \d+ bytes\)/);
      // every byte the server sent for contents is counted
      const sizes = ['1.82.6', '1.82.7'].map((v) => index.projects.get('litellm')!.releases.find((x) => x.version === v)!.files[0]!.bytes.length);
      expect(note && note.kind === 'content-compared' ? note.bytes : 0).toBe(sizes[0]! + sizes[1]!);
      expect(r.incomplete).toEqual([]);
    } finally {
      index.ignoreRange = false;
    }
  });

  it('fails closed past the review’s content download budget', async () => {
    const r = await reviewPair(index, 'litellm', '1.82.6', '1.82.7', { maxReviewContentBytes: 4096 });
    expect(r.conclusion).toBe('failure');
    const gap = r.incomplete.find((i) => i.name === 'litellm');
    expect(gap).toMatchObject({ failClosed: true });
    expect(gap!.reason).toMatch(/content download budget/);
  });

  it('downloads nothing for contents on a second review of the same pair (members cached by digest)', async () => {
    const client = createPypiIndexClient({ config: createPypiIndexConfig({ indexUrl: index.simpleUrl }), retries: 0 });
    const base = poetryLock(index, [['litellm', '1.82.6']]);
    const head = poetryLock(index, [['litellm', '1.82.7']]);
    const run = () => review([{ file: 'poetry.lock', base, head }], { registry: npm, pypi: client, now: NOW, config: defaultConfig() });
    await run();
    index.requests.length = 0;
    const again = await run();
    expect(contentFindings(again, 'litellm').map((f) => f.evidence['file'])).toContain('litellm/proxy/proxy_server.py');
    // central directories, RECORDs and members all come from the cache
    expect(index.requests.filter((q) => q.path.endsWith('.whl'))).toEqual([]);
  });
});

function rangeOf(header: string, size: number): [number, number] {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header)!;
  if (m[1] === '') return [size - Number(m[2]), size - 1];
  return [Number(m[1]), m[2] === '' ? size - 1 : Number(m[2])];
}

const init = PY_INIT;
const miner = PY_MINER;

const cli = ['import sys', '', 'def main():', '    print(sys.argv)', ''].join('\n');
const cliSpawns = ['import subprocess', 'import sys', '', 'def main():', '    subprocess.run(["sh", "-c", sys.argv[1]])', ''].join('\n');
const SCRIPTS = '[console_scripts]\nclitool = clitool.cli:main\n';

describe('Python contents: small wheels whole, sdists when building from source', () => {
  let index: FixtureIndex;
  beforeAll(async () => {
    index = await startIndex([
      project('ultralytics', {
        '8.3.40': wheelRelease('2026-03-01T10:00:00Z', { 'ultralytics/utils/__init__.py': init }),
        '8.3.41': wheelRelease('2026-03-05T10:00:00Z', { 'ultralytics/utils/__init__.py': init + miner }),
      }),
      project('clitool', {
        '1.0.0': wheelRelease('2026-03-01T10:00:00Z', { 'clitool/cli.py': cli }, 0, SCRIPTS),
        '1.0.1': wheelRelease('2026-03-05T10:00:00Z', { 'clitool/cli.py': cliSpawns }, 0, SCRIPTS),
        '2.0.0': wheelRelease('2026-03-06T10:00:00Z', { 'clitool/cli.py': cli }),
        '2.0.1': wheelRelease('2026-03-07T10:00:00Z', { 'clitool/cli.py': cliSpawns }),
      }),
      project(
        'buildonly',
        {
          '2.0.0': sdistRelease('2026-03-01T10:00:00Z', { 'buildonly/core.py': init }),
          '2.0.1': sdistRelease('2026-03-05T10:00:00Z', { 'buildonly/core.py': miner + init }),
        },
        'buildonly',
      ),
    ]);
  });
  afterAll(async () => {
    await index.close();
  });

  it('fails an ultralytics-shaped release that downloads and runs a binary, reading the small wheels whole', async () => {
    index.requests.length = 0;
    const r = await reviewPair(index, 'ultralytics', '8.3.40', '8.3.41');
    expect(r.conclusion).toBe('failure');
    const f = contentFindings(r, 'ultralytics').find((x) => x.evidence['file'] === 'ultralytics/utils/__init__.py');
    expect(RANK[f!.severity]).toBeGreaterThanOrEqual(RANK.high);
    expect(f!.evidence['kinds']).toEqual(expect.arrayContaining(['process-exec', 'host:miner.attacker.example']));
    expect(r.notes.find((n) => n.kind === 'content-compared')?.message).toContain('whole wheel');
    expect(index.requests.filter((q) => q.path.endsWith('.whl') && q.range === undefined && q.status === 200)).toHaveLength(2);
  });

  it('weighs a capability in a console script’s module as an entry point (entry_points.txt)', async () => {
    const scripted = contentFindings(await reviewPair(index, 'clitool', '1.0.0', '1.0.1'), 'clitool').find((f) => f.evidence['file'] === 'clitool/cli.py');
    const plain = contentFindings(await reviewPair(index, 'clitool', '2.0.0', '2.0.1'), 'clitool').find((f) => f.evidence['file'] === 'clitool/cli.py');
    expect(scripted!.evidence['kinds']).toContain('entry-point');
    expect(plain!.evidence['kinds']).not.toContain('entry-point');
    expect(RANK[scripted!.severity]).toBeGreaterThan(RANK[plain!.severity]);
  });

  it('reads an sdist-only package from its sdist (the leading directory stripped)', async () => {
    const r = await reviewPair(index, 'buildonly', '2.0.0', '2.0.1');
    const f = contentFindings(r, 'buildonly').find((x) => x.evidence['file'] === 'buildonly/core.py');
    expect(f).toBeDefined();
    expect(f!.evidence['kinds']).toEqual(expect.arrayContaining(['process-exec']));
    expect(r.notes.find((n) => n.kind === 'content-compared')?.message).toMatch(/buildonly-2\.0\.1\.tar\.gz \(sdist/);
  });
});
