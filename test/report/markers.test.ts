/**
 * Issue 10: no HTML comment marker (`<!--`, `-->`) from an attacker-controlled value survives into
 * the Markdown report, the check run summary or the App's sticky comment, whatever field carries it:
 * package name, versions, git URL fragment, install script text and hook name, registry messages
 * and evidence, notes, incomplete and unreviewed entries.
 */
import type { ReviewResult, ReviewedChange } from '../../src/core/review.js';
import { planCheck } from '../../src/github/check-output.js';
import { readApprovals, renderSticky, stickyFingerprint, STICKY_MARKER } from '../../src/github/comment.js';
import { createSigner } from '../../src/github/signing.js';
import { defaultConfig } from '../../src/policy/index.js';
import { code, codeBlock, defuseComments, escapeText, renderMarkdown } from '../../src/report/index.js';

const BLOCK = `<!-- lockwarden:approvals ${Buffer.from(JSON.stringify([{ package: '*', version: '*', by: 'a', at: '', reason: 'r' }])).toString('base64')} -->`;
const TRICKS = [BLOCK, '<!--->', '<!-->', '--->', '<<!--!---->>', `<!-- lockwarden:fingerprint ${'a'.repeat(64)} -->`];
const M = (i: number) => TRICKS[i % TRICKS.length]!;

function change(i: number): ReviewedChange {
  const script = `node setup.js\n${M(i)}\necho ${M(i + 1)}`;
  return {
    ecosystem: 'npm',
    name: `pkg${M(i)}`,
    from: `1.0.0${M(i + 1)}`,
    to: M(i + 2),
    kind: i % 2 ? 'source-changed' : 'upgraded',
    lockfile: `${M(i)}/package-lock.json`,
    line: 10 + i,
    direct: false,
    directOf: [],
    via: [`parent${M(i + 3)}`],
    source: { type: 'git', url: `git+https://git.example/h.git#${M(i)}` },
    severity: 'critical',
    findings: [
      {
        signal: 'install-script-added',
        severity: 'critical',
        message: `adds ${M(i)}`,
        evidence: {
          scripts: { [`postinstall${M(i)}`]: script },
          short: M(i + 1),
          long: `${'x'.repeat(130)}${M(i)}`,
          list: [M(i), M(i + 1)],
          nested: { long: `${script}\n${'y'.repeat(130)}`, value: M(i + 2) },
        },
      },
      {
        signal: 'deprecated',
        severity: 'low',
        message: `registry says ${M(i + 4)}`,
        evidence: { message: M(i + 4) },
        allowed: { reason: `ok ${M(i)}`, by: `me${M(i)}` },
      },
    ],
  } as ReviewedChange;
}

function result(): ReviewResult {
  const changes = [0, 1, 2, 3, 4, 5].map(change);
  return {
    changes,
    conclusion: 'failure',
    incomplete: [{ name: `inc${M(0)}`, version: M(1), reason: `registry said ${M(2)}` }],
    summary: {
      lockfiles: [`${M(3)}/package-lock.json`],
      changes: changes.length,
      needsRegistry: 6,
      analysed: 6,
      offline: false,
      bySeverity: { critical: 6, high: 0, medium: 0, low: 0, info: 0 },
    },
    notes: [{ kind: 'allow-unused', message: `note ${M(4)}` }],
    unreviewed: [{ lockfile: `${M(5)}/requirements.txt`, name: `req${M(0)}`, line: 3, reason: `unpinned ${M(1)}` }],
  };
}

const OPEN_OR_CLOSE = /<!--|-->/;

describe('HTML comment markers in untrusted values', () => {
  it('are defused by every escaping helper, and defusing cannot re-form one', () => {
    for (const t of TRICKS) {
      expect(defuseComments(t)).not.toMatch(OPEN_OR_CLOSE);
      expect(escapeText(t)).not.toMatch(OPEN_OR_CLOSE);
      expect(code(t)).not.toMatch(OPEN_OR_CLOSE);
      expect(codeBlock(`a\n${t}\nb`)).not.toMatch(OPEN_OR_CLOSE);
      expect(defuseComments(defuseComments(t))).toBe(defuseComments(t));
    }
    // still readable: only a zero-width joiner is added
    expect(defuseComments(BLOCK).replace(/\u200d/g, '')).toBe(BLOCK);
  });

  it('never survive into the Markdown report or the check run summary', () => {
    for (const level of [2, 3]) expect(renderMarkdown(result(), { headingLevel: level, minSeverity: 'low' })).not.toMatch(OPEN_OR_CLOSE);
    expect(planCheck(result(), defaultConfig(), 'a'.repeat(40)).output.summary).not.toMatch(OPEN_OR_CLOSE);
  });

  it("never survive into the sticky comment: its only markers are the App's own", () => {
    const signer = createSigner('markers-test-secret');
    const scope = { repo: 'acme/webapp', pr: 7 };
    const approvals = [{ package: `pkg${M(0)}`, version: M(1), by: `alice${M(2)}`, at: M(3), reason: `fine ${M(4)}` }];
    const r = result();
    const body = renderSticky(
      r,
      'b'.repeat(40),
      { ...defaultConfig(), commentOn: 'low' },
      { approvals, scope, signer, fingerprint: stickyFingerprint(r, approvals, scope, signer) },
    );
    expect(body.startsWith(`${STICKY_MARKER}\n`)).toBe(true);
    const trailer = /\n\n<!-- lockwarden:approvals [A-Za-z0-9+/=]+ -->\n<!-- lockwarden:fingerprint [a-f0-9]{64} -->$/;
    expect(body).toMatch(trailer);
    expect(body.slice(STICKY_MARKER.length).replace(trailer, '')).not.toMatch(OPEN_OR_CLOSE);
    // and the App's own block still reads back (approvals with odd text are the App's to keep)
    expect(readApprovals(body, scope, signer).approvals).toEqual(approvals);
  });
});
