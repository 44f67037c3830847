/**
 * A company-style mirror on 127.0.0.1 for the thin-registry tests (issue 11, items 2 and 4): documents
 * without `_npmUser`, `maintainers` or attestations, platform packages missing their newest version,
 * an unpublished version, a version never listed, and a document without `time`.
 */
import { startHostileRegistry, type HostileRegistry } from '../../test-support/hostile-registry.js';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const DAY = 86_400_000;
const at = (i: number) => new Date(T0 + i * 30 * DAY).toISOString();

export interface VersionOpts {
  thin?: boolean;
  provenance?: boolean;
}

/** A version manifest: full (publisher, maintainers) unless thin; with attestations when asked. */
export function version(name: string, v: string, opts: VersionOpts = {}): Record<string, unknown> {
  const dist: Record<string, unknown> = {
    integrity: `sha512-${Buffer.from(`${name}@${v}`).toString('base64')}`,
    shasum: 'a'.repeat(40),
    tarball: `http://mirror.example/${name}/-/x-${v}.tgz`,
  };
  if (opts.provenance) dist['attestations'] = { url: 'http://mirror.example/att', provenance: { predicateType: 'https://slsa.dev/provenance/v1' } };
  const full = opts.thin
    ? {}
    : { _npmUser: { name: 'maintainer', email: 'maintainer@mail.example' }, maintainers: [{ name: 'maintainer', email: 'maintainer@mail.example' }] };
  return { name, version: v, dist, ...full };
}

/** A document with these versions published 30 days apart from 2025-01-01; `time` extras and overrides. */
export function doc(
  name: string,
  versions: ReadonlyArray<[string, VersionOpts?]>,
  extra: { time?: Record<string, unknown> | null; latest?: string } = {},
): string {
  const time: Record<string, unknown> = { created: at(0) };
  for (const [i, [v]] of versions.entries()) time[v] = at(i + 1);
  time['modified'] = at(versions.length + 1);
  Object.assign(time, extra.time ?? {});
  const body: Record<string, unknown> = {
    name,
    'dist-tags': { latest: extra.latest ?? versions[versions.length - 1]![0] },
    versions: Object.fromEntries(versions.map(([v, o]) => [v, version(name, v, o)])),
  };
  if (extra.time !== null) body['time'] = time;
  return JSON.stringify(body);
}

export const PLATFORMS = ['darwin-arm64', 'linux-x64-gnu', 'win32-x64-msvc'] as const;
export const binding = (p: string) => `@oxc-minify/binding-${p}`;

/** The mirror: thin documents, a full one, and the version-not-found cases. */
export function startMirror(): Promise<HostileRegistry> {
  const thin = { thin: true };
  const docs: Record<string, string> = {
    'thin-lib': doc('thin-lib', [
      ['1.0.0', thin],
      ['1.1.0', thin],
    ]),
    'full-lib': doc('full-lib', [['1.0.0'], ['1.1.0']]),
    // had provenance, lost it: trust-downgrade, even from a thin mirror
    'lost-prov': doc('lost-prov', [
      ['1.0.0', { thin: true, provenance: true }],
      ['1.0.1', thin],
    ]),
    'gone-ver': doc('gone-ver', [['1.0.0'], ['1.0.2']], { time: { '1.0.1': at(2) } }),
    'gone-pkg': JSON.stringify({ name: 'gone-pkg', time: { created: at(0), modified: at(3), unpublished: { time: at(3), versions: ['1.0.0', '1.0.1'] } } }),
    'never-ver': doc('never-ver', [['1.0.0'], ['2.0.0']]),
    'no-time': doc('no-time', [['1.0.0'], ['2.0.0']], { time: null }),
  };
  for (const p of PLATFORMS) docs[binding(p)] = doc(binding(p), [['0.105.0'], ['0.106.0']]);
  return startHostileRegistry(docs);
}
