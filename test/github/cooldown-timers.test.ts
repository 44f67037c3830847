/** The cooldown timers and their store on their own: the cap, a damaged file, long waits, retries. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { COOLDOWN_FILE, fileCooldownStore, memoryCooldownStore, type CooldownEntry } from '../../src/github/cooldown-store.js';
import { CooldownTimers, RETRY_MS, type FireOutcome } from '../../src/github/cooldown-timers.js';

const NOW = new Date('2026-12-06T12:00:00Z');
const sha = (n: number) => n.toString(16).padStart(40, '0');
const entry = (n: number, clearsAt = '2026-12-08T12:00:00.000Z'): CooldownEntry => ({
  installationId: 1,
  owner: 'acme',
  repo: 'webapp',
  pullNumber: n,
  headSha: sha(n),
  clearsAt,
});
const log = () => {
  const lines: string[] = [];
  return { lines, info: (_o: object, m: string) => void lines.push(m), warn: (_o: object, m: string) => void lines.push(m) };
};

describe('cooldown store', () => {
  it('keeps at most its cap, dropping the oldest, and the timers log it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-cool-store-'));
    const l = log();
    const timers = new CooldownTimers({ store: fileCooldownStore(dir, 3), now: () => NOW, fire: async () => 'queued', log: l as never });
    for (const n of [1, 2, 3, 4]) await timers.hold(entry(n));
    const saved = JSON.parse(await readFile(path.join(dir, COOLDOWN_FILE), 'utf8')) as CooldownEntry[];
    expect(saved.map((e) => e.pullNumber)).toEqual([2, 3, 4]);
    expect(l.lines).toContain('cooldown timer dropped: too many timers');
    expect(timers.armed).toBe(3);
    timers.stop();
  });

  it('one entry per pull request head: a new head of the same PR is another entry, the same head replaces', async () => {
    const store = memoryCooldownStore();
    await store.put(entry(7));
    await store.put({ ...entry(7), clearsAt: '2026-12-09T00:00:00.000Z' });
    await store.put({ ...entry(7), headSha: sha(99) });
    expect((await store.entries()).map((e) => [e.headSha, e.clearsAt])).toEqual([
      [sha(7), '2026-12-09T00:00:00.000Z'],
      [sha(99), '2026-12-08T12:00:00.000Z'],
    ]);
  });

  it('reads back only well-formed entries from a damaged file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lw-cool-store-'));
    await writeFile(
      path.join(dir, COOLDOWN_FILE),
      JSON.stringify([entry(1), { ...entry(2), headSha: 'not-a-sha' }, { ...entry(3), owner: '../etc' }, { ...entry(4), clearsAt: 'soon' }, null, 5]),
    );
    expect((await fileCooldownStore(dir).entries()).map((e) => e.pullNumber)).toEqual([1]);
    await writeFile(path.join(dir, COOLDOWN_FILE), '{not json');
    expect(await fileCooldownStore(dir).entries()).toEqual([]);
  });
});

describe('cooldown timers', () => {
  it('a window longer than setTimeout can wait (2^31-1 ms) does not fire early', async () => {
    const fired: CooldownEntry[] = [];
    const timers = new CooldownTimers({
      store: memoryCooldownStore(),
      now: () => NOW,
      fire: async (e) => {
        fired.push(e);
        return 'queued';
      },
      log: log() as never,
    });
    await timers.hold(entry(1, new Date(NOW.getTime() + 40 * 86_400_000).toISOString()));
    await new Promise((r) => setTimeout(r, 200));
    expect(fired).toEqual([]);
    expect(timers.armed).toBe(1);
    timers.stop();
  });

  it('a re-run that cannot start (GitHub down) is retried later, then succeeds', async () => {
    let now = new Date('2026-12-08T12:05:00Z');
    const outcomes: (FireOutcome | Error)[] = [new Error('503'), 'queued'];
    const calls: CooldownEntry[] = [];
    const store = memoryCooldownStore();
    const timers = new CooldownTimers({
      store,
      now: () => now,
      fire: async (e) => {
        calls.push(e);
        const o = outcomes.shift()!;
        if (o instanceof Error) throw o;
        return o;
      },
      log: log() as never,
    });
    await store.put(entry(1));
    expect(await timers.fireDue()).toBe(1);
    expect((await store.entries())[0]).toMatchObject({ attempts: 1, retryAt: new Date(now.getTime() + RETRY_MS).toISOString() });
    expect(await timers.fireDue()).toBe(0); // not yet
    now = new Date(now.getTime() + RETRY_MS);
    expect(await timers.fireDue()).toBe(1);
    expect(calls).toHaveLength(2);
    expect(await store.entries()).toEqual([]);
    timers.stop();
  });
});
