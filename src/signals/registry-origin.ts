/**
 * Which host a locked tarball URL downloads from, and whether that is the registry's. Only the text
 * is parsed (WHATWG rules, as Node's package managers parse it); nothing is ever fetched.
 */
import type { Lockfile } from '../model/index.js';
import type { RegistryOrigins } from './types.js';

const memo = new Map<string, string | null>();
const MEMO_MAX = 4096;

/** `scheme://authority` as written: the part of a URL that decides its origin. */
function authorityPrefix(url: string): string | undefined {
  const lower = url.slice(0, 8).toLowerCase();
  const start = lower.startsWith('https://') ? 8 : lower.startsWith('http://') ? 7 : -1;
  if (start < 0) return undefined;
  let end = start;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 47 || c === 92 || c === 63 || c === 35) break; // / \ ? #
    end++;
  }
  return url.slice(0, end);
}

/** The origin (`https://host[:port]`, lower case, no credentials) of an http(s) URL, else undefined. */
export function originOf(url: string): string | undefined {
  const prefix = authorityPrefix(url.trim());
  if (prefix === undefined) return undefined;
  let origin = memo.get(prefix);
  if (origin === undefined) {
    try {
      const u = new URL(`${prefix}/`);
      origin = u.host === '' ? null : `${u.protocol}//${u.host}`;
    } catch {
      origin = null;
    }
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(prefix, origin);
  }
  return origin ?? undefined;
}

/** The URL as evidence: credentials removed (they are secrets, not data), cut to a sane length. */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url.trim());
    u.username = '';
    u.password = '';
    return u.href.slice(0, 500);
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//').slice(0, 500);
  }
}

/** Origins the base lockfile downloads its registry packages from (the repository already trusts those). */
export function registryOriginsOf(lockfile: Lockfile | null): Set<string> {
  const out = new Set<string>();
  if (!lockfile) return out;
  for (const p of lockfile.packages) {
    const url = p.source.url;
    if (p.source.type !== 'registry' || url === undefined) continue;
    const o = originOf(url);
    if (o !== undefined) out.add(o);
  }
  return out;
}

/**
 * For a lockfile with no base side to trust (a new one): the origin most of its registry packages
 * download from, when more than half use it. A project whose whole lockfile names one registry (the
 * public default while the review reads a mirror) is not an injection; one package elsewhere still is.
 */
export function dominantRegistryOrigin(lockfile: Lockfile | null): Set<string> {
  const counts = new Map<string, number>();
  let total = 0;
  for (const p of lockfile?.packages ?? []) {
    if (p.source.type !== 'registry') continue;
    // every registry package counts (pnpm and yarn berry record no URL for most): one URL is no majority
    total++;
    const o = p.source.url !== undefined ? originOf(p.source.url) : undefined;
    if (o !== undefined) counts.set(o, (counts.get(o) ?? 0) + 1);
  }
  for (const [origin, n] of counts) if (n * 2 > total) return new Set([origin]);
  return new Set();
}

export interface ForeignSource {
  host: string;
  origin: string;
  /** Over plain http (readable and replaceable by anyone on the path). */
  plainHttp: boolean;
  /** There was a registry origin to compare with (online, or a base side with registry URLs); false: an https URL that may be the registry's. */
  compared: boolean;
}

/**
 * The URL's origin when it is not one of the registry's: another host, or plain http where the
 * registry is not itself served over http on that host. Undefined: a registry origin, no URL, or
 * no origins given (the caller knows nothing to compare with).
 */
export function foreignSource(url: string, origins: RegistryOrigins | undefined): ForeignSource | undefined {
  const origin = originOf(url);
  if (origin === undefined || origins === undefined) return undefined;
  const trusted = new Set([...origins.base, ...(origins.allowed ?? [])]);
  if (origins.configured !== undefined) trusted.add(origins.configured);
  if (trusted.has(origin)) return undefined;
  const plainHttp = origin.startsWith('http:');
  const host = origin.slice(origin.indexOf('//') + 2);
  const sameHost = [...trusted].some((o) => o.slice(o.indexOf('//') + 2) === host);
  // https on a host the registry uses over http is no downgrade.
  if (!plainHttp && sameHost) return undefined;
  return { host, origin, plainHttp, compared: trusted.size > 0 };
}
