/** A TTL cache of advisory answers, keyed by source and `ecosystem:name@version`, bounded in entries (oldest out first). */

export const DEFAULT_ADVISORY_TTL_MS = 3_600_000;
const MAX_ENTRIES = 200_000;

export class TtlCache<V> {
  private readonly map = new Map<string, { value: V; expires: number }>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  /** The value kept for `key` within the TTL (counted as a hit), else undefined (a miss). */
  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (e && e.expires > this.now()) {
      this.hits++;
      return e.value;
    }
    if (e) this.map.delete(key);
    this.misses++;
    return undefined;
  }

  set(key: string, value: V): void {
    if (this.ttlMs <= 0) return;
    this.map.delete(key);
    this.map.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  get size(): number {
    return this.map.size;
  }
}
