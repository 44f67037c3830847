/**
 * The hostile packuments of issue 10 item 10, generated as streams (never held whole): one version
 * with 10^7 dependencies, 10^6 versions, 5·10^6 time entries, a 200 MB script, a million levels of
 * nesting, and many versions of distinct dependencies. Shared by test/security and bench.
 */
import { manifest, type Body } from './hostile-registry.js';

/** prefix, then `count` items joined by `sep` (generated in batches), then suffix. */
export function* stream(prefix: string, count: number, item: (i: number) => string, suffix: string, sep = ','): Iterable<string> {
  yield prefix;
  let batch = '';
  for (let i = 0; i < count; i++) {
    batch += (i === 0 ? '' : sep) + item(i);
    if (batch.length >= 1 << 18) {
      yield batch;
      batch = '';
    }
  }
  yield batch + suffix;
}

export interface HostileDocument {
  /** Short name (the bench's argument). */
  key: string;
  label: string;
  body: Body;
}

const TIME = { created: '2024-01-01T00:00:00.000Z', '1.0.0': '2025-01-01T00:00:00.000Z', '1.0.1': '2026-03-29T00:00:00.000Z' };
const v100 = JSON.stringify(manifest('bloat', '1.0.0'));
const v101 = (extra: Record<string, unknown>) => JSON.stringify(manifest('bloat', '1.0.1', extra));
const payload = v101({ scripts: { postinstall: 'node x.js' } });
/** Version 1.0.1's manifest, cut open just after `"<field>":` (its value follows). */
const open101 = (field: string) => {
  const text = JSON.stringify(manifest('bloat', '1.0.1', { [field]: 0 }));
  return text.slice(0, text.lastIndexOf(`"${field}":0`) + field.length + 3);
};
const tail = `},"time":${JSON.stringify(TIME)}}`;
const top = '{"name":"bloat","dist-tags":{"latest":"1.0.1"},"versions":{';

/** Documents for package `bloat`, reviewed as 1.0.0 → 1.0.1; `spreadVersions` sizes the last one. */
export function hostilePackuments(spreadVersions: number): HostileDocument[] {
  const spreadDeps = (i: number) => Array.from({ length: 200 }, (_, j) => `"dep-${i}-${j}":"^${j}.0.0"`).join(',');
  return [
    // one version with 10^7 dependencies (about 130 MB)
    {
      key: 'deps',
      label: '1e7 dependencies in one version',
      body: () => stream(`${top}"1.0.0":${v100},"1.0.1":${open101('dependencies')}{`, 10_000_000, (i) => `"d${i}":"1"`, `}}${tail}`),
    },
    // 10^6 versions (each with its own integrity, as real ones have), the one under review last
    {
      key: 'versions',
      label: '1e6 versions',
      body: () =>
        stream(
          top,
          1_000_000,
          (i) => `"0.0.${i}":{"version":"0.0.${i}","dist":{"integrity":"sha512-${String(i).padStart(86, 'A')}=="},"_npmUser":{"name":"m"}}`,
          `,"1.0.0":${v100},"1.0.1":${payload}${tail}`,
        ),
    },
    // 5·10^6 time entries
    {
      key: 'time',
      label: '5e6 time entries',
      body: () =>
        stream(
          `${top}"1.0.0":${v100},"1.0.1":${payload}},"time":{${JSON.stringify(TIME).slice(1, -1)},`,
          5_000_000,
          (i) => `"9.${i}.0":"2025-01-01T00:00:00.000Z"`,
          '}}',
        ),
    },
    // a 200 MB postinstall script
    {
      key: 'script',
      label: 'a 200 MB script string',
      body: () => stream(`${top}"1.0.0":${v100},"1.0.1":${open101('scripts')}{"postinstall":"`, 20_000, () => 'x'.repeat(10_000), `"}}${tail}`, ''),
    },
    // nesting a million levels deep in a field lockwarden never reads
    {
      key: 'nesting',
      label: 'deep nesting',
      body: () => stream(`${top}"1.0.0":${v100},"1.0.1":${open101('readme')}`, 1000, () => '['.repeat(1000), `0${']'.repeat(1_000_000)}}${tail}`, ''),
    },
    // many versions with 200 distinct dependencies each (over the budget of kept data)
    {
      key: 'spread',
      label: `${spreadVersions} versions x 200 distinct dependencies`,
      body: () =>
        stream(top, spreadVersions, (i) => `"0.1.${i}":{"version":"0.1.${i}","dependencies":{${spreadDeps(i)}}}`, `,"1.0.0":${v100},"1.0.1":${payload}${tail}`),
    },
  ];
}
