/**
 * The cooldown through the CLI, against the fixture registry on 127.0.0.1: semver 7.7.3 (published
 * 2025-10-06 16:30:27 UTC) two hours old is held (neutral, exit 0, with the clear time and the release to
 * pin); the same change reviewed after the clear time passes.
 */
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { startFixtureRegistry } from '../../test-support/fixture-registry.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const lock = (side: 'base' | 'head') => path.join(root, 'examples', 'benign', side, 'package-lock.json');
const HELD = '2025-10-06T18:30:00Z';
const CLEARED = '2025-10-08T16:31:00Z';

let registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
beforeAll(async () => {
  registry = await startFixtureRegistry();
});
afterAll(() => registry.close());

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['review', lock('base'), lock('head'), '--registry', registry.url, '--quiet', ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home' },
    cwd: root,
  });
  return { code, stdout, stderr };
}

describe('lockwarden review: the cooldown', () => {
  it('holds a two-hour-old release: neutral, exit 0, the clear time and the release to pin', async () => {
    const r = await run(['--now', HELD, '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.conclusion).toBe('neutral');
    expect(json.cooldown).toEqual({
      conclusion: 'neutral',
      clearsAt: '2025-10-08T16:30:27.791Z',
      held: [
        {
          ecosystem: 'npm',
          name: 'semver',
          version: '7.7.3',
          lockfile: lock('head'),
          line: expect.any(Number),
          publishedAt: '2025-10-06T16:30:27.791Z',
          clearsAt: '2025-10-08T16:30:27.791Z',
          alternative: { version: '7.7.2', publishedAt: '2025-05-12T17:24:50.016Z', sameLine: true },
        },
      ],
    });
  });

  it('says so in the text report: the headline, the clear time and the alternative', async () => {
    const r = await run(['--now', HELD]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('WARN Waiting for 1 package to age: clears at 2025-10-08 16:31 UTC');
    expect(r.stdout).toMatch(/cooldown semver@7\.7\.3 \(.*:\d+\) clears at 2025-10-08 16:31 UTC; or pin 7\.7\.2 \(published 2025-05-12\)/);
  });

  it('passes once the release has aged', async () => {
    const r = await run(['--now', CLEARED, '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.conclusion).toBe('success');
    expect(json.cooldown).toBeUndefined();
  });

  it('fails while held with cooldown.conclusion: failure (exit 1), and markdown lists the hold', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-cool-'));
    await writeFile(path.join(dir, 'lw.yml'), 'cooldown:\n  window: 48h\n  conclusion: failure\n');
    const r = await run(['--now', HELD, '--config', path.join(dir, 'lw.yml'), '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('lockwarden: Waiting for 1 package to age: clears at 2025-10-08 16:31 UTC');
    expect(r.stdout).toMatch(/\*\*Cooldown \(1\):\*\*/);
    expect(r.stdout).toMatch(/`semver` `7\.7\.3` .*clears at 2025-10-08 16:31 UTC; or pin `7\.7\.2` \(published 2025-05-12\)/);
  });
});
