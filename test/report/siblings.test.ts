/**
 * Sibling grouping in the Markdown report (issue 11, item 4) and the check run's title for a review
 * that could not check everything: groups only what carries no payload.
 */
import type { ReviewResult, ReviewedChange } from '../../src/core/review.js';
import { planCheck } from '../../src/github/check-output.js';
import { defaultConfig } from '../../src/policy/index.js';
import { renderMarkdown } from '../../src/report/index.js';
import { groupSiblings, isGroup } from '../../src/report/siblings.js';
import { NO_ATTESTATIONS, NO_PUBLISHER } from '../../src/signals/coverage.js';

function change(name: string, signal: string, to = '0.107.0'): ReviewedChange {
  return {
    ecosystem: 'npm',
    name,
    from: '0.106.0',
    to,
    kind: 'upgraded',
    lockfile: 'package-lock.json',
    line: 1,
    direct: false,
    directOf: [],
    via: [],
    findings: [{ signal, severity: 'high', message: `${name}: ${signal}`, evidence: {} }],
    severity: 'high',
  };
}

function result(changes: ReviewedChange[], over: Partial<ReviewResult> = {}): ReviewResult {
  return {
    changes,
    conclusion: 'failure',
    incomplete: [],
    notes: [],
    summary: {
      lockfiles: ['package-lock.json'],
      changes: changes.length,
      needsRegistry: changes.length,
      analysed: changes.length,
      partiallyAnalysed: 0,
      offline: false,
      bySeverity: { critical: 0, high: changes.length, medium: 0, low: 0, info: 0 },
    },
    ...over,
  };
}

describe('groupSiblings', () => {
  it('groups a scope with the same version-not-found, at the place of the first', () => {
    const list = [change('lone', 'version-not-found', '1.0.0'), ...['a-x', 'a-y', 'a-z'].map((p) => change(`@oxc-minify/binding-${p}`, 'version-not-found'))];
    const out = groupSiblings(list);
    expect(out).toHaveLength(2);
    expect(isGroup(out[1]!) && out[1].pattern).toBe('@oxc-minify/binding-a-*');
  });

  it('never groups payload findings (install scripts differ per package), other versions, or unrelated names', () => {
    expect(groupSiblings(['x', 'y', 'z'].map((p) => change(`@esbuild/${p}`, 'install-script-added'))).some(isGroup)).toBe(false);
    expect(
      groupSiblings([
        change('@s/a', 'version-not-found', '1.0.0'),
        change('@s/b', 'version-not-found', '1.0.1'),
        change('@s/c', 'version-not-found', '1.0.2'),
      ]).some(isGroup),
    ).toBe(false);
    expect(groupSiblings(['left', 'right', 'up'].map((n) => change(n, 'version-not-found'))).some(isGroup)).toBe(false);
    expect(
      groupSiblings(['esbuild-linux', 'esbuild-darwin', 'esbuild-win'].map((n) => change(n, 'version-not-found')))
        .filter(isGroup)
        .map((g) => g.pattern),
    ).toEqual(['esbuild-*']);
  });
});

describe('check run for a thin registry', () => {
  it('the title says what was not checked', () => {
    const ok = { ...change('thin-lib', 'x'), findings: [], severity: null };
    const notes = [
      { kind: 'signals-not-evaluated' as const, signals: ['publisher-changed'], packages: 1, reason: NO_PUBLISHER, message: 'm' },
      { kind: 'signals-not-evaluated' as const, signals: ['trust-downgrade', 'provenance-source-changed'], packages: 1, reason: NO_ATTESTATIONS, message: 'm' },
    ];
    const r = result([ok], {
      conclusion: 'success',
      notes,
      summary: { ...result([ok]).summary, analysed: 0, partiallyAnalysed: 1, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } },
    });
    const plan = planCheck(r, defaultConfig(), 'a'.repeat(40));
    expect(plan.output.title).toBe(
      'No risky dependency changes (1 change reviewed) · publisher and provenance not checked for 1 package: the registry does not publish them',
    );
    expect(plan.output.summary).toContain('publisher and provenance not checked');
    expect(renderMarkdown(r)).toContain('0 of 1 changed registry packages analysed against the registry (1 more partially');
  });
});
