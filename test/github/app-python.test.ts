/**
 * The App on Python lockfiles: the same PR flow as for npm (check run with annotations, one sticky
 * comment), against the fixture package index, including requirements files with `-r` includes read
 * from the repository at each side's commit.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FULL, pullRequestEvent, root, setUpPull, startHarness, type Harness } from './harness.js';

const py = (scenario: string, side: 'base' | 'head', file: string) => readFileSync(path.join(root, 'examples', 'pypi', scenario, side, file), 'utf8');
const NOW = new Date(JSON.parse(readFileSync(path.join(root, 'examples', 'pypi', 'litellm', 'scenario.json'), 'utf8')).now);
let h: Harness;

afterEach(async () => {
  if (h) {
    await h.close();
    h.fake.assertClean();
  }
});

async function openPull(base: Record<string, string>, head: Record<string, string>, config?: string) {
  const pr = setUpPull(h, base, head, config !== undefined ? { config } : {});
  await h.deliver('pull_request', pullRequestEvent('opened', { number: pr.number, base: pr.base, head: pr.head }));
  await h.idle();
  return pr;
}

const runsFor = (sha: string) => h.fake.checkRuns.filter((r) => r.head_sha === sha && r.name === 'lockwarden');

describe('Python lockfiles in pull requests', () => {
  it('litellm 1.82.8 in poetry.lock and in an included requirements file fails the check, annotated, with the .pth named in the comment', async () => {
    h = await startHarness({ now: NOW });
    const prod = (s: 'base' | 'head') => `# production\n-r common.txt\n${s === 'head' ? '# bumped\n' : ''}`;
    const pr = await openPull(
      {
        'services/api/poetry.lock': py('litellm', 'base', 'poetry.lock'),
        'requirements/common.txt': py('litellm', 'base', 'requirements.txt'),
        'requirements/prod.txt': prod('base'),
      },
      {
        'services/api/poetry.lock': py('litellm', 'head', 'poetry.lock'),
        'requirements/common.txt': py('litellm', 'head', 'requirements.txt'),
        'requirements/prod.txt': prod('head'),
      },
    );
    const [run] = runsFor(pr.head);
    expect(run!.status).toBe('completed');
    expect(run!.conclusion).toBe('failure');
    const lite = run!.output.annotations.filter((a) => a.title?.startsWith('litellm 1.82.6 → 1.82.8'));
    // one annotation per lockfile: the include's change is not repeated for prod.txt
    expect(lite.map((a) => a.path).sort()).toEqual(['requirements/common.txt', 'services/api/poetry.lock']);
    const poetryLines = py('litellm', 'head', 'poetry.lock').split('\n');
    const poetryAnn = lite.find((a) => a.path === 'services/api/poetry.lock')!;
    expect(poetryLines.slice(poetryAnn.start_line - 1, poetryAnn.start_line + 1).join('\n')).toContain('name = "litellm"');
    const reqLines = py('litellm', 'head', 'requirements.txt').split('\n');
    expect(reqLines[lite.find((a) => a.path === 'requirements/common.txt')!.start_line - 1]).toMatch(/^litellm==1\.82\.8/);
    const comments = h.fake.comments.filter((c) => c.repo === FULL && c.issue === pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('litellm_init.pth');
    expect(comments[0]!.body).toMatch(/pth-file-added/);
    // wheels were listed with range requests; only content analysis downloads a wheel whole, and only a small one
    const wheelReads = h.index.requests.filter((r) => r.path.endsWith('.whl'));
    expect(wheelReads.filter((r) => r.range !== undefined).length).toBeGreaterThan(0);
    for (const r of wheelReads.filter((q) => q.range === undefined)) expect(h.index.fileByPath(r.path)!.bytes.length).toBeLessThanOrEqual(1024 * 1024);
  });

  it('a requirements file that pins nothing passes, saying what was not reviewed', async () => {
    h = await startHarness({ now: NOW });
    const pr = await openPull({ 'requirements.txt': 'requests>=2\n' }, { 'requirements.txt': 'requests>=2\nflask\n' });
    const [run] = runsFor(pr.head);
    expect(run!.conclusion).toBe('success');
    expect(run!.output.summary).toMatch(/not reviewed/);
    expect(run!.output.summary).toContain('flask');
    expect(h.index.requests).toEqual([]);
  });

  it('an include that leaves the repository fails the check naming the file and line', async () => {
    h = await startHarness({ now: NOW });
    const pr = await openPull({ 'requirements.txt': 'six==1.16.0\n' }, { 'requirements.txt': 'six==1.16.0\n-r ../../etc/passwd\n' });
    const [run] = runsFor(pr.head);
    expect(run!.conclusion).toBe('failure');
    expect(run!.output.summary).toMatch(/requirements\.txt:2/);
  });

  it('ignores a repository config that names another index, and says so', async () => {
    h = await startHarness({ now: NOW });
    const pr = await openPull(
      { 'poetry.lock': py('litellm', 'base', 'poetry.lock') },
      { 'poetry.lock': py('litellm', 'head', 'poetry.lock') },
      'python:\n  indexUrl: http://127.0.0.1:9/simple/\n',
    );
    const [run] = runsFor(pr.head);
    expect(run!.conclusion).toBe('failure'); // reviewed against the operator's index
    expect(run!.output.summary).toMatch(/python\.indexUrl is not used by the App/);
    expect(h.index.requests.length).toBeGreaterThan(0);
  });
});
