/** known-malicious evidence in the human reports: every advisory on a line, its text inert in Markdown and in the terminal. */
import type { Advisory, ReviewResult } from '../../src/model/index.js';
import { render } from '../../src/report/index.js';
import { knownMalicious } from '../../src/signals/known-malicious.js';
import { change, input } from '../signals/builders.js';

const hostile: Advisory = {
  id: 'MAL-2025-46969',
  aliases: ['GHSA-2v46-p5h4-248w'],
  source: 'osv',
  kind: 'malicious',
  summary: 'Malicious code in chalk ](https://evil.example) `x` <img src=x> \u001b[2J @everyone',
  published: '2025-09-08T17:11:19Z',
  affected: ['= 5.6.1'],
  url: 'https://github.com/advisories/GHSA-2v46-p5h4-248w',
};

function result(): ReviewResult {
  const c = change({ name: 'chalk', from: '5.6.0', to: '5.6.1', direct: true });
  const findings = knownMalicious.run({ ...input(c, null), advisories: [hostile] });
  return {
    changes: [
      {
        ecosystem: 'npm',
        name: 'chalk',
        from: '5.6.0',
        to: '5.6.1',
        kind: 'upgraded',
        lockfile: 'package-lock.json',
        line: 3,
        direct: true,
        directOf: [''],
        via: [],
        findings,
        severity: 'critical',
      },
    ],
    conclusion: 'failure',
    incomplete: [],
    summary: {
      lockfiles: ['package-lock.json'],
      changes: 1,
      needsRegistry: 1,
      analysed: 0,
      partiallyAnalysed: 0,
      offline: true,
      bySeverity: { critical: 1, high: 0, medium: 0, low: 0, info: 0 },
    },
    notes: [],
    unreviewed: [],
  } as ReviewResult;
}

describe('advisory evidence in reports', () => {
  it('lists ids, source, range, date and link in Markdown, the summary inside a code span', () => {
    const md = render(result(), 'markdown');
    const line = md.split('\n').find((l) => l.startsWith('- **known-malicious**:'))!;
    expect(line).toContain('`MAL-2025-46969`, `GHSA-2v46-p5h4-248w` (`osv`)');
    expect(line).toContain('affected `= 5.6.1` · published 2025-09-08');
    // the summary's link, HTML and mention sit inside one code span, where Markdown renders nothing
    const outside = line.replace(/``[^`].*?[^`]``|`[^`]*`/g, '');
    expect(outside).not.toMatch(/evil\.example|<img|@everyone/);
    expect(line).toMatch(/``Malicious code in chalk \]\(https:\/\/evil\.example\) `x` <img src=x> +\[2J @everyone``/);
    expect(md).not.toContain('\u001b');
  });

  it('keeps escape sequences out of the terminal', () => {
    const text = render(result(), 'text');
    expect(text).toContain('MAL-2025-46969, GHSA-2v46-p5h4-248w (osv)');
    expect(text).not.toContain('\u001b[2J');
  });
});
