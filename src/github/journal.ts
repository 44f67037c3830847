/**
 * A small journal of check runs this process set in progress, so a restart can finish them:
 * a check left `in_progress` would block a required check forever.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface JournalEntry {
  installationId: number;
  owner: string;
  repo: string;
  checkRunId: number;
}

export interface Journal {
  add(e: JournalEntry): Promise<void>;
  remove(checkRunId: number): Promise<void>;
  entries(): Promise<JournalEntry[]>;
}

export function memoryJournal(): Journal {
  const m = new Map<number, JournalEntry>();
  return {
    add: async (e) => void m.set(e.checkRunId, e),
    remove: async (id) => void m.delete(id),
    entries: async () => [...m.values()],
  };
}

/** Persisted as one JSON file in `dir`; writes are serialised and atomic (write + rename). */
export function fileJournal(dir: string): Journal {
  const file = path.join(dir, 'in-progress-check-runs.json');
  let cache: Map<number, JournalEntry> | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  async function load(): Promise<Map<number, JournalEntry>> {
    if (cache) return cache;
    cache = new Map();
    try {
      const data: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (Array.isArray(data)) {
        for (const e of data) {
          if (
            e &&
            typeof e === 'object' &&
            Number.isInteger(e.checkRunId) &&
            Number.isInteger(e.installationId) &&
            typeof e.owner === 'string' &&
            typeof e.repo === 'string'
          ) {
            cache.set(e.checkRunId, { installationId: e.installationId, owner: e.owner, repo: e.repo, checkRunId: e.checkRunId });
          }
        }
      }
    } catch {
      // no journal yet, or unreadable: start empty
    }
    return cache;
  }

  function save(mutate: (m: Map<number, JournalEntry>) => void): Promise<void> {
    const next = chain.then(async () => {
      const m = await load();
      mutate(m);
      await mkdir(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify([...m.values()]));
      await rename(tmp, file);
    });
    chain = next.catch(() => {});
    return next;
  }

  return {
    add: (e) => save((m) => m.set(e.checkRunId, e)),
    remove: (id) => save((m) => m.delete(id)),
    entries: async () => {
      await chain;
      return [...(await load()).values()];
    },
  };
}
