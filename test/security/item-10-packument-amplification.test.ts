/**
 * Issue 10, item 10: packument amplification. Each hostile document is generated as a stream by a
 * registry on 127.0.0.1 and reviewed through the real npm client; the review must stay under 30 s and
 * grow this process's resident memory by well under the 400 MB target (sampled while it runs).
 */
import { manifest, reviewAgainst, startHostileRegistry, type Body, type HostileRegistry } from './hostile.js';

const TIME = { created: '2024-01-01T00:00:00.000Z', '1.0.0': '2025-01-01T00:00:00.000Z', '1.0.1': '2026-03-29T00:00:00.000Z' };
const head = (o: Record<string, unknown>) => JSON.stringify(o).slice(1, -1);

/** prefix, then `count` items joined by `sep` (generated in batches), then suffix. */
function* stream(prefix: string, count: number, item: (i: number) => string, suffix: string, sep = ','): Iterable<string> {
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

const v100 = JSON.stringify(manifest('bloat', '1.0.0'));
/** Version 1.0.1's manifest, cut open just after `"<field>":` (its value follows). */
const open101 = (field: string) => {
  const text = JSON.stringify(manifest('bloat', '1.0.1', { [field]: 0 }));
  return text.slice(0, text.lastIndexOf(`"${field}":0`) + field.length + 3);
};
const v101 = (extra: Record<string, unknown>) => JSON.stringify(manifest('bloat', '1.0.1', extra));
const tail = `},"time":${JSON.stringify(TIME)}}`;
const top = '{"name":"bloat","dist-tags":{"latest":"1.0.1"},"versions":{';

const DOCS: Array<[string, Body]> = [
  // one version with 10^7 dependencies (about 130 MB)
  ['1e7 dependencies in one version', () => stream(`${top}"1.0.0":${v100},"1.0.1":${open101('dependencies')}{`, 10_000_000, (i) => `"d${i}":"1"`, `}}${tail}`)],
  // 10^6 versions (each with its own integrity, as real ones have), the one under review last
  ['1e6 versions', () => stream(top, 1_000_000, (i) => `"0.0.${i}":{"version":"0.0.${i}","dist":{"integrity":"sha512-${String(i).padStart(86, 'A')}=="},"_npmUser":{"name":"m"}}`, `,"1.0.0":${v100},"1.0.1":${v101({ scripts: { postinstall: 'node x.js' } })}${tail}`)],
  // 5·10^6 time entries
  ['5e6 time entries', () => stream(`${top}"1.0.0":${v100},"1.0.1":${v101({ scripts: { postinstall: 'node x.js' } })}},"time":{${head(TIME)},`, 5_000_000, (i) => `"9.${i}.0":"2025-01-01T00:00:00.000Z"`, '}}')],
  // a 200 MB postinstall script
  ['a 200 MB script string', () => stream(`${top}"1.0.0":${v100},"1.0.1":${open101('scripts')}{"postinstall":"`, 20_000, () => 'x'.repeat(10_000), `"}}${tail}`, '')],
  // nesting a million levels deep in a field lockwarden never reads
  ['deep nesting', () => stream(`${top}"1.0.0":${v100},"1.0.1":${open101('readme')}`, 1000, () => '['.repeat(1000), `0${']'.repeat(1_000_000)}}${tail}`, '')],
  // 20,000 versions with 200 distinct dependencies each (over the budget of kept data)
  ['2e4 versions x 200 distinct dependencies', () => stream(top, 20_000, (i) => `"0.1.${i}":{"version":"0.1.${i}","dependencies":{${Array.from({ length: 200 }, (_, j) => `"dep-${i}-${j}":"^${j}.0.0"`).join(',')}}}`, `,"1.0.0":${v100},"1.0.1":${v101({ scripts: { postinstall: 'node x.js' } })}${tail}`)],
];

describe('item 10: packument amplification', () => {
  let server: HostileRegistry;
  afterEach(async () => server?.close());

  it.each(DOCS)('%s: bounded in time and memory, and the check fails or flags the payload', async (label, body) => {
    server = await startHostileRegistry({ bloat: body });
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const t0 = Date.now();
    let r;
    try {
      r = await reviewAgainst(server.url, [{ name: 'bloat', version: '1.0.0' }], [{ name: 'bloat', version: '1.0.1' }]);
    } finally {
      clearInterval(timer);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const wall = Date.now() - t0;
    const grew = Math.round((peak - before) / 2 ** 20);
    process.stdout.write(`${label}: ${wall} ms, RSS ${Math.round(before / 2 ** 20)} → ${Math.round(peak / 2 ** 20)} MiB (+${grew})\n`);
    expect(wall).toBeLessThan(30_000);
    expect(grew).toBeLessThan(250);
    // never a pass: either the payload is flagged or the package is failed closed with the reason
    expect(r.conclusion).toBe('failure');
  }, 120_000);
});
