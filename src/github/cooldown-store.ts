/**
 * The App's cooldown timers on disk: one entry per pull request head held by the cooldown, kept in
 * the state directory beside the journal (one JSON file, written atomically), so a restart re-arms them.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface CooldownEntry {
  installationId: number;
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  /** When the last held release clears (ISO). */
  clearsAt: string;
  /** Set after a failed re-run attempt: when to try again (ISO). */
  retryAt?: string;
  /** Failed re-run attempts so far. */
  attempts?: number;
}

/** Most entries kept: beyond it the oldest are dropped (and logged by the caller). */
export const MAX_COOLDOWN_ENTRIES = 10_000;
export const COOLDOWN_FILE = 'cooldown-timers.json';

export function pullKey(owner: string, repo: string, pullNumber: number): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}#${pullNumber}`;
}

export function entryKey(e: Pick<CooldownEntry, 'owner' | 'repo' | 'pullNumber' | 'headSha'>): string {
  return `${pullKey(e.owner, e.repo, e.pullNumber)}@${e.headSha}`;
}

export interface CooldownStore {
  /** Adds or replaces the entry of that head; returns the entries dropped over the cap. */
  put(e: CooldownEntry): Promise<CooldownEntry[]>;
  /** Removes entries matching `match` (by key); returns them. */
  remove(match: (e: CooldownEntry) => boolean): Promise<CooldownEntry[]>;
  entries(): Promise<CooldownEntry[]>;
}

const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** An entry read back from the file, or undefined when it is not one (a damaged file loses only that entry). */
function readEntry(v: unknown): CooldownEntry | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const e = v as Record<string, unknown>;
  const ok =
    Number.isSafeInteger(e['installationId']) &&
    Number.isSafeInteger(e['pullNumber']) &&
    typeof e['owner'] === 'string' &&
    NAME.test(e['owner']) &&
    typeof e['repo'] === 'string' &&
    NAME.test(e['repo']) &&
    typeof e['headSha'] === 'string' &&
    /^[0-9a-f]{40}$/.test(e['headSha']) &&
    typeof e['clearsAt'] === 'string' &&
    !Number.isNaN(Date.parse(e['clearsAt']));
  if (!ok) return undefined;
  const out: CooldownEntry = {
    installationId: e['installationId'] as number,
    owner: e['owner'] as string,
    repo: e['repo'] as string,
    pullNumber: e['pullNumber'] as number,
    headSha: e['headSha'] as string,
    clearsAt: e['clearsAt'] as string,
  };
  if (typeof e['retryAt'] === 'string' && !Number.isNaN(Date.parse(e['retryAt']))) out.retryAt = e['retryAt'];
  if (Number.isSafeInteger(e['attempts'])) out.attempts = e['attempts'] as number;
  return out;
}

export function memoryCooldownStore(max = MAX_COOLDOWN_ENTRIES): CooldownStore {
  return mapStore(
    async () => new Map(),
    async () => {},
    max,
  );
}

/** Persisted as `cooldown-timers.json` in `dir`; writes are serialised and atomic (write + rename). */
export function fileCooldownStore(dir: string, max = MAX_COOLDOWN_ENTRIES): CooldownStore {
  const file = path.join(dir, COOLDOWN_FILE);
  const load = async () => {
    const m = new Map<string, CooldownEntry>();
    try {
      const data: unknown = JSON.parse(await readFile(file, 'utf8'));
      for (const v of Array.isArray(data) ? data : []) {
        const e = readEntry(v);
        if (e) m.set(entryKey(e), e);
      }
    } catch {
      // no file yet, or unreadable: start empty
    }
    return m;
  };
  const save = async (m: Map<string, CooldownEntry>) => {
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify([...m.values()]));
    await rename(tmp, file);
  };
  return mapStore(load, save, max);
}

function mapStore(load: () => Promise<Map<string, CooldownEntry>>, save: (m: Map<string, CooldownEntry>) => Promise<void>, max: number): CooldownStore {
  let cache: Promise<Map<string, CooldownEntry>> | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  // one change at a time, each saved before the next starts
  function change<T>(mutate: (m: Map<string, CooldownEntry>) => { out: T; changed: boolean }): Promise<T> {
    const next = chain.then(async () => {
      cache ??= load();
      const m = await cache;
      const { out, changed } = mutate(m);
      if (changed) await save(m);
      return out;
    });
    chain = next.catch(() => {});
    return next;
  }
  return {
    put: (e) =>
      change((m) => {
        const key = entryKey(e);
        m.delete(key); // re-inserted last: the newest
        m.set(key, e);
        const dropped: CooldownEntry[] = [];
        for (const [k, old] of m) {
          if (m.size <= max) break;
          m.delete(k);
          dropped.push(old);
        }
        return { out: dropped, changed: true };
      }),
    remove: (match) =>
      change((m) => {
        const gone = [...m.entries()].filter(([, e]) => match(e));
        for (const [k] of gone) m.delete(k);
        return { out: gone.map(([, e]) => e), changed: gone.length > 0 };
      }),
    entries: async () => {
      await chain;
      cache ??= load();
      return [...(await cache).values()];
    },
  };
}
