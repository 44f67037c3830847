/** The cooldown in the reports: the headline, the check run's title and the escaped hold list. */
import { planCheck } from '../../src/github/check-output.js';
import type { ReviewResult } from '../../src/model/index.js';
import { parseConfig } from '../../src/policy/index.js';
import { renderMarkdown, renderText, verdict } from '../../src/report/index.js';
import { clearTime } from '../../src/report/cooldown.js';

function held(names: string[], conclusion: 'neutral' | 'failure' = 'neutral'): ReviewResult {
  const held = names.map((name, i) => ({
    ecosystem: 'npm' as const,
    name,
    version: '1.0.1',
    lockfile: 'package-lock.json',
    line: 10 + i,
    publishedAt: '2026-12-06T12:00:00.000Z',
    clearsAt: `2026-12-08T1${i}:00:30.000Z`,
    ...(i === 0 ? { alternative: { version: '1.0.0', publishedAt: '2026-11-01T00:00:00.000Z', sameLine: true } } : {}),
  }));
  return {
    changes: names.map((name, i) => ({
      ecosystem: 'npm',
      name,
      from: '1.0.0',
      to: '1.0.1',
      kind: 'upgraded',
      lockfile: 'package-lock.json',
      line: 10 + i,
      direct: true,
      directOf: [''],
      via: [],
      severity: 'low',
      findings: [{ signal: 'release-too-new', severity: 'low', message: 'too new', evidence: { expiresAt: held[i]!.clearsAt } }],
    })),
    conclusion,
    incomplete: [],
    summary: {
      lockfiles: ['package-lock.json'],
      changes: names.length,
      needsRegistry: names.length,
      analysed: names.length,
      offline: false,
      bySeverity: { critical: 0, high: 0, medium: 0, low: names.length, info: 0 },
    },
    notes: [],
    cooldown: { held, clearsAt: held[held.length - 1]!.clearsAt, conclusion },
  };
}

describe('cooldown in reports', () => {
  it('rounds the clear time up to the minute', () => {
    expect(clearTime('2026-12-08T14:00:00.000Z')).toBe('2026-12-08 14:00 UTC');
    expect(clearTime('2026-12-08T14:00:00.001Z')).toBe('2026-12-08 14:01 UTC');
  });

  it('titles the check run "Waiting for N packages to age: clears at <the last time>"', () => {
    const plan = planCheck(held(['a', 'b']), parseConfig(''), 'f'.repeat(40));
    expect(plan.conclusion).toBe('neutral');
    expect(plan.output.title).toBe('Waiting for 2 packages to age: clears at 2026-12-08 11:01 UTC');
    expect(plan.output.summary).toContain('**Cooldown (2):**');
    expect(plan.output.summary).toContain('`a` `1.0.1` (`package-lock.json` line 10): clears at 2026-12-08 10:01 UTC; or pin `1.0.0` (published 2026-11-01)');
    expect(verdict(held(['a']), 'medium').title).toBe('Waiting for 1 package to age: clears at 2026-12-08 10:01 UTC');
  });

  it('escapes a hostile package name in the hold list (Markdown and terminal)', () => {
    const r = held(['@everyone <img src=x onerror=alert(1)>', '\u001b[2Jevil']);
    const md = renderMarkdown(r);
    // inside code spans only: no HTML, no mention
    expect(md).toContain('- `@everyone <img src=x onerror=alert(1)>` `1.0.1`');
    expect(md.split('<img').length).toBe(md.split('`@everyone <img').length);
    const text = renderText(r);
    expect(text).not.toContain('\u001b[2J');
    expect(text).toContain('cooldown ');
  });
});
