/**
 * yarn classic entries that record only the `#<sha1>` fragment of `resolved` (no `integrity` line, as
 * older yarn wrote them) are checked against the registry's `dist.shasum`. Hand-edited variants of
 * the real axios yarn.lock.
 */
import { reviewEditedHead } from './format-review.js';

const ENTRY = /(form-data@\^4\.0\.5:\n {2}version "4\.0\.5"\n {2}resolved "[^"#]+#)([0-9a-f]{40})("\n) {2}integrity [^\n]+\n/;

async function reviewHead(edit: (text: string) => string) {
  const report = await reviewEditedHead('yarn-v1', 'yarn.lock', edit);
  return report.changes.find((c) => c.name === 'form-data')!;
}

type F = { signal: string; severity: string; evidence: Record<string, unknown> };

describe('yarn classic #sha1 fragments', () => {
  it('a fragment the registry does not publish (no integrity line) is an integrity mismatch', async () => {
    const c = await reviewHead((t) => t.replace(ENTRY, `$1${'0'.repeat(40)}$3`));
    const f = (c.findings as F[]).find((x) => x.signal === 'integrity-mismatch');
    expect(f).toMatchObject({ severity: 'critical', evidence: { algorithm: 'sha1', lockfileSha1Fragment: true, weakAlgorithmOnly: true } });
  });

  it('the real fragment alone matches the registry shasum', async () => {
    const c = await reviewHead((t) => t.replace(ENTRY, '$1$2$3'));
    expect((c.findings as F[]).map((x) => x.signal)).not.toContain('integrity-mismatch');
  });
});
