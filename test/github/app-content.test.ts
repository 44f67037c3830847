/**
 * Content analysis through the App, end to end: a pull request bumping a package to a chalk/debug-shaped
 * release (same publisher, months old, only an obfuscated hook appended to its entry point) fails the
 * check, the annotation sits on the package's lockfile line, and the PR comment shows the obfuscated line
 * escaped in a fence that a payload carrying ``` and </details> cannot break out of, and the files changed.
 */
import { createNpmRegistryClient, createNpmRegistryConfig } from '../../src/registry/index.js';
import type { FixtureRegistry } from '../../test-support/fixture-registry.js';
import type { EvalCase } from '../../test-support/eval/attack-cases.js';
import { stringArrayBlock, libraryModule } from '../../test-support/eval/code.js';
import { caseLockfiles, EVAL_NOW, startEvalRegistry } from '../../test-support/eval/registry.js';
import { FULL, pullRequestEvent, setUpPull, startHarness, type Harness } from './harness.js';

const BREAKOUT = '/*```</details><!-- lockwarden:approval -->*/';
const HOOK = "if(typeof window!=='undefined'){const f=window.fetch;window.fetch=function(){return f.apply(this,arguments)};}";
const INDEX = libraryModule('style', 30);
const CASE: EvalCase = {
  id: 'chalk-app',
  incident: 'chalk 5.6.1',
  name: 'chalk',
  from: '5.6.0',
  to: '5.6.1',
  manifest: { main: 'index.js' },
  before: { 'index.js': INDEX },
  after: { 'index.js': `${INDEX}${BREAKOUT}${stringArrayBlock(['fetch', 'ethereum', 'request'], HOOK)}\n` },
  file: 'index.js',
};

let h: Harness;
let reg: FixtureRegistry;

beforeAll(async () => {
  reg = await startEvalRegistry([CASE]);
});
afterAll(() => reg.close());
afterEach(async () => {
  await h.close();
  h.fake.assertClean();
});

/** The fenced block that follows `title` in `md`: its fence and the lines inside, up to the closing fence. */
function fencedAfter(md: string, title: string): { fence: string; inside: string[] } {
  const lines = md.split('\n');
  const at = lines.findIndex((l) => l.startsWith(title));
  expect(at).toBeGreaterThanOrEqual(0);
  const fence = lines[at + 1]!;
  expect(fence).toMatch(/^`{3,}$/);
  const end = lines.findIndex((l, i) => i > at + 1 && l === fence);
  expect(end).toBeGreaterThan(at + 1);
  return { fence, inside: lines.slice(at + 2, end) };
}

describe('content analysis in the App', () => {
  it('fails a chalk-shaped release on its lockfile line and shows the obfuscated line fenced', async () => {
    const registry = createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: reg.url }), retries: 0, timeoutMs: 5000 });
    h = await startHarness({ now: EVAL_NOW, registry });
    const { base, head } = caseLockfiles(reg.url, CASE);
    const pkg = `${JSON.stringify({ name: 'eval-app', version: '1.0.0', dependencies: { chalk: '^5.6.0' } }, null, 2)}\n`;
    const pr = setUpPull(h, { 'package.json': pkg, 'package-lock.json': base }, { 'package-lock.json': head });
    await h.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head }));
    await h.idle();

    const run = h.fake.checkRuns.find((r) => r.head_sha === pr.head && r.name === 'lockwarden')!;
    expect(run.conclusion).toBe('failure');
    const line = head.split('\n').findIndex((l) => l.includes('"node_modules/chalk"')) + 1;
    expect(run.output.annotations).toEqual([
      expect.objectContaining({
        path: 'package-lock.json',
        start_line: line,
        annotation_level: 'failure',
        message: expect.stringMatching(/obfuscated-code: index\.js/),
      }),
    ]);

    const comment = h.fake.comments.find((c) => c.repo === FULL && c.issue === pr.number)!.body;
    const { fence, inside } = fencedAfter(comment, 'index.js line');
    // the payload's ``` is shorter than the fence, and nothing inside is the fence itself
    expect(fence.length).toBeGreaterThan(3);
    const payload = inside.find((l) => l.startsWith('+') && l.includes('_0x'));
    expect(payload).toContain('```</details>');
    expect(payload).toContain('\\x66\\x65\\x74\\x63\\x68');
    // the hidden marker the App keeps its state in cannot be forged from a payload
    expect(payload).not.toContain('<!--');
    expect(comment).not.toContain('<!-- lockwarden:approval -->');
    // and the package's files-changed list, collapsed
    expect(comment).toMatch(/<details><summary>files changed: 0 added, 0 removed, 2 changed \(\d+ → \d+ bytes unpacked\)<\/summary>\n\n- `index\.js` changed/);
  });
});
