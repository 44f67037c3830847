/**
 * The CLI on yarn berry lockfiles produced by real yarn 4 against the fixture registry
 * (examples/<scenario>/formats/yarn-berry/, scripts/make-fixtures-yarn-berry.mjs): the signals fire
 * as they do on the npm lockfile of the same scenario.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { registry, review as reviewCli, root, summary, type JsonReport } from './format-review.js';

/** The JSON report; a review of these fixtures ends in success or failure, never a usage error. */
async function review(base: string, head: string, now: string): Promise<JsonReport> {
  const { code, report } = await reviewCli(base, head, now);
  expect([0, 1]).toContain(code);
  return report;
}

describe.each(['axios', 'event-stream'])('yarn berry lockfiles of the %s scenario', (scenario) => {
  const dir = path.join(root, 'examples', scenario);
  const yarn = (side: string) => path.join(dir, 'formats', 'yarn-berry', side, 'yarn.lock');
  const npm = (side: string) => path.join(dir, side, 'package-lock.json');

  it('give the same changes, signals and severities as the npm lockfiles', async () => {
    const meta = JSON.parse(await readFile(path.join(dir, 'scenario.json'), 'utf8')) as { now: string; expect: Record<string, string> };
    const fromYarn = await review(yarn('base'), yarn('head'), meta.now);
    const fromNpm = await review(npm('base'), npm('head'), meta.now);
    expect(fromYarn.changes.length).toBeGreaterThan(0);
    expect(summary(fromYarn)).toEqual(summary(fromNpm));
    expect(fromYarn.conclusion).toBe(fromNpm.conclusion);
    // the incident is flagged high or critical
    const flagged = fromYarn.changes.filter((c) => c.severity === 'high' || c.severity === 'critical');
    expect(flagged.length).toBeGreaterThan(0);
    // lines point at the entry keys of the yarn.lock
    const text = (await readFile(yarn('head'), 'utf8')).split('\n');
    for (const c of fromYarn.changes)
      if (c.kind !== 'removed') expect(text[c.line - 1]).toMatch(new RegExp(`^"${c.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}@npm:[^"]*":$`));
  });
});

describe('lockfile injection in a yarn berry lockfile', () => {
  it('a registry package swapped for a tarball URL at the same version is a high non-registry-source change, never fetched', async () => {
    const dir = path.join(root, 'examples', 'axios');
    const meta = JSON.parse(await readFile(path.join(dir, 'scenario.json'), 'utf8')) as { now: string };
    const head = await readFile(path.join(dir, 'formats', 'yarn-berry', 'head', 'yarn.lock'), 'utf8');
    const forged = head.replace('resolution: "form-data@npm:4.0.5"', 'resolution: "form-data@https://attacker.invalid/payload.tgz"');
    expect(forged).not.toBe(head);
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'lw-berry-'));
    await writeFile(path.join(tmp, 'yarn.lock'), forged);
    const before = registry.requests.length;
    const report = await review(path.join(dir, 'formats', 'yarn-berry', 'base', 'yarn.lock'), path.join(tmp, 'yarn.lock'), meta.now);
    const c = report.changes.find((x) => x.name === 'form-data')!;
    expect(c).toMatchObject({ from: '4.0.5', to: '4.0.5', kind: 'source-changed', severity: 'high' });
    expect(c.findings.map((f) => f.signal)).toContain('non-registry-source');
    // only the configured registry was asked (for names), never the lockfile's URL host
    for (const r of registry.requests.slice(before)) expect(JSON.stringify(r)).not.toContain('payload.tgz');
    expect(forged.split('\n')[c.line - 1]).toBe('"form-data@npm:^4.0.5":');
  });
});
