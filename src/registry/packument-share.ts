/**
 * Per-document sharing of equal values. A packument repeats the same people, dependency lists,
 * ranges and scripts across hundreds of versions; keeping one copy of each makes the slim document
 * several times smaller. Shared objects are read-only by convention, like the whole slim document.
 * `bytes` estimates the memory kept (new strings, new objects and their sharing keys, with V8's
 * per-string and per-entry overhead), for the document's budget.
 */
import type { Person } from '../model/index.js';

export class Share {
  private readonly strings = new Map<string, string>();
  private readonly objects = new Map<string, unknown>();
  /** Approximate bytes kept so far (string characters plus a little per object). */
  bytes = 0;

  str(v: string): string {
    if (v.length > 256) {
      this.bytes += v.length + 24;
      return v;
    }
    const got = this.strings.get(v);
    if (got !== undefined) return got;
    this.strings.set(v, v);
    // the string and its entry in this map
    this.bytes += v.length + 64;
    return v;
  }

  /** `entries`: properties of the object made, each a slot of about 48 bytes. */
  obj<T>(key: string, make: () => T, entries = 2): T {
    const got = this.objects.get(key) as T | undefined;
    if (got !== undefined) return got;
    const made = make();
    this.objects.set(key, made);
    this.bytes += key.length + 64 + entries * 48;
    return made;
  }

  person(p: { name: string; email?: string | null | undefined } | string): Person {
    let name: string;
    let email: string | undefined;
    if (typeof p === 'string') {
      const m = /^\s*([^<]*?)\s*(?:<([^>]*)>)?\s*$/.exec(p);
      name = m?.[1] ?? p;
      email = m?.[2] || undefined;
    } else {
      name = p.name;
      email = p.email || undefined;
    }
    return this.obj(JSON.stringify(['p', name, email ?? null]), () =>
      email !== undefined ? { name: this.str(name), email: this.str(email) } : { name: this.str(name) },
    );
  }
}
