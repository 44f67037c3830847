/**
 * Test-only builders for slim Packuments, Changes and SignalInputs, so each test states only what matters.
 * Times are relative to NOW unless a test passes absolute ISO times (incident-shaped tests).
 */
import type {
  Change,
  ChangeKind,
  Ecosystem,
  LockHash,
  LockPackage,
  PackageFlags,
  Packument,
  Person,
  ProvenanceSource,
  Source,
  VersionMeta,
  WheelListing,
} from '../../src/model/index.js';
import { DEFAULT_SIGNAL_OPTIONS, type SignalInput, type SignalOptions } from '../../src/signals/types.js';

export const NOW = new Date('2026-04-01T12:00:00.000Z');

export function hoursAgo(h: number, now: Date = NOW): string {
  return new Date(now.getTime() - h * 3_600_000).toISOString();
}
export function daysAgo(d: number, now: Date = NOW): string {
  return hoursAgo(d * 24, now);
}

export const SLSA = 'https://slsa.dev/provenance/v1';

/** Provenance only (published from CI with a token, `npm publish --provenance`). */
export function prov(): Pick<VersionMeta, 'attestations'> {
  return { attestations: { url: 'http://127.0.0.1/-/npm/v1/attestations/x', provenance: { predicateType: SLSA } } };
}

/** Trusted publishing (OIDC) with provenance: `_npmUser` is the CI identity. */
export function trusted(): Pick<VersionMeta, 'attestations' | 'trustedPublisher' | 'npmUser'> {
  return {
    ...prov(),
    npmUser: { name: 'GitHub Actions', email: 'npm-oidc-no-reply@github.com' },
    trustedPublisher: { id: 'github' },
  };
}

export function by(name: string): Pick<VersionMeta, 'npmUser'> {
  return { npmUser: { name, email: `${name}@example.test` } };
}

export function maint(...names: string[]): Pick<VersionMeta, 'maintainers'> {
  return { maintainers: names.map((n): Person => ({ name: n, email: `${n}@example.test` })) };
}

export type VersionSpec = Partial<VersionMeta> & { version: string };

/** One version: `scripts` defaults to none; pass `publishedAt` explicitly (or use `at`). */
export function ver(version: string, publishedAt: string | undefined, extra: Partial<VersionMeta> = {}): VersionSpec {
  return { version, ...(publishedAt !== undefined ? { publishedAt } : {}), ...extra };
}

export function packument(name: string, versions: VersionSpec[], extra: { created?: string; abbreviated?: boolean; latest?: string } = {}): Packument {
  const map = new Map<string, VersionMeta>();
  for (const v of versions) map.set(v.version, { scripts: {}, ...v });
  const times = versions
    .map((v) => v.publishedAt)
    .filter((t): t is string => typeof t === 'string')
    .sort();
  const latest = extra.latest ?? versions[versions.length - 1]?.version;
  const p: Packument = {
    name,
    versions: map,
    distTags: new Map(latest ? [['latest', latest]] : []),
    abbreviated: extra.abbreviated ?? false,
  };
  const created = extra.created ?? times[0];
  if (created !== undefined) p.created = created;
  return p;
}

const NO_FLAGS: PackageFlags = {
  dev: false,
  optional: false,
  devOptional: false,
  peer: false,
  hasInstallScript: false,
  bundled: false,
};

export function lockPkg(name: string, version: string, extra: Partial<Omit<LockPackage, 'flags'>> & { flags?: Partial<PackageFlags> } = {}): LockPackage {
  const { flags, ...rest } = extra;
  return {
    id: `node_modules/${name}`,
    name,
    version,
    source: { type: 'registry', url: `http://127.0.0.1:4873/${name}/-/${name.replace(/^@[^/]+\//, '')}-${version}.tgz` },
    flags: { ...NO_FLAGS, ...flags },
    line: 10,
    deps: [],
    ...rest,
  };
}

export interface ChangeSpec {
  name: string;
  from?: string | null;
  to: string | null;
  kind?: ChangeKind;
  direct?: boolean;
  via?: string[];
  nameInBase?: boolean;
  baseSource?: Source;
  headSource?: Source;
  baseIntegrity?: string;
  headIntegrity?: string;
  baseFlags?: Partial<PackageFlags>;
  headFlags?: Partial<PackageFlags>;
  ecosystem?: Ecosystem;
  headHashes?: LockHash[];
}

function cmp(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number(x));
  const pb = b.split(/[.-]/).map((x) => Number(x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return 0;
}

export function change(s: ChangeSpec): Change {
  const from = s.from ?? null;
  const to = s.to;
  const kind: ChangeKind =
    s.kind ?? (from === null ? 'added' : to === null ? 'removed' : from === to ? 'source-changed' : cmp(to, from) < 0 ? 'downgraded' : 'upgraded');
  const direct = s.direct ?? false;
  const c: Change = {
    ecosystem: s.ecosystem ?? 'npm',
    name: s.name,
    from,
    to,
    kind,
    lockfile: 'package-lock.json',
    line: 10,
    direct,
    directOf: direct ? [''] : [],
    via: direct ? [] : (s.via ?? ['parent']),
    nameInBase: s.nameInBase ?? from !== null,
  };
  if (from !== null) {
    c.base = lockPkg(s.name, from, {
      ...(s.baseSource ? { source: s.baseSource } : {}),
      ...(s.baseIntegrity ? { integrity: s.baseIntegrity } : {}),
      ...(s.baseFlags ? { flags: s.baseFlags } : {}),
    });
  }
  if (to !== null) {
    c.head = lockPkg(s.name, to, {
      ...(s.headSource ? { source: s.headSource } : {}),
      ...(s.headIntegrity ? { integrity: s.headIntegrity } : {}),
      ...(s.headFlags ? { flags: s.headFlags } : {}),
      ...(s.headHashes ? { hashes: s.headHashes } : {}),
    });
  }
  return c;
}

export function input(
  c: Change,
  p: Packument | null,
  extra: {
    now?: Date;
    options?: Partial<SignalOptions>;
    provenance?: Array<[string, ProvenanceSource | null]>;
    wheels?: Array<[string, WheelListing[]]>;
  } = {},
): SignalInput {
  return {
    change: c,
    packument: p,
    now: extra.now ?? NOW,
    options: { ...DEFAULT_SIGNAL_OPTIONS, ...extra.options },
    provenance: new Map(extra.provenance ?? []),
    wheels: new Map(extra.wheels ?? []),
  };
}

/** `count` versions `prefix.0` .. `prefix.(count-1)`, one every `everyDays` days, the last one `lastDaysAgo` days ago. */
export function series(prefix: string, count: number, lastDaysAgo: number, everyDays: number, extra: Partial<VersionMeta> = {}): VersionSpec[] {
  const out: VersionSpec[] = [];
  for (let i = 0; i < count; i++) {
    out.push(ver(`${prefix}.${i}`, daysAgo(lastDaysAgo + (count - 1 - i) * everyDays), extra));
  }
  return out;
}
