/**
 * Issue 10, item 10: packument amplification. Each hostile document is generated as a stream by a
 * registry on 127.0.0.1 and reviewed through the real npm client; the review must stay under 30 s and
 * grow this process's resident memory by well under the 400 MB target (sampled while it runs).
 */
import { hostilePackuments } from '../../test-support/hostile-packuments.js';
import { reviewAgainst, startHostileRegistry, type HostileRegistry } from '../../test-support/hostile-registry.js';

// 20,000 versions of the last document keep the file's run time reasonable (the bench runs 50,000)
const DOCS = hostilePackuments(20_000).map((d) => [d.label, d.body] as const);

describe('item 10: packument amplification', () => {
  let server: HostileRegistry;
  afterEach(async () => server?.close());

  it.each(DOCS)(
    '%s: bounded in time and memory, and the check fails or flags the payload',
    async (label, body) => {
      server = await startHostileRegistry({ bloat: body });
      (globalThis as { gc?: () => void }).gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      const t0 = Date.now();
      let r: Awaited<ReturnType<typeof reviewAgainst>>;
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
    },
    120_000,
  );
});
