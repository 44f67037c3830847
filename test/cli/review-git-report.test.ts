/**
 * The text and Markdown reports of a change touching several lockfiles (--git): routine changes are
 * listed under the lockfile they come from, as each risky change already names its own.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cli, root, tempDir, TestRepo } from './git-repo.js';

const ex = (scenario: string, side: 'base' | 'head') => readFileSync(path.join(root, 'examples', scenario, side, 'package-lock.json'), 'utf8');

let tmp: Awaited<ReturnType<typeof tempDir>>;
let repo: TestRepo;

beforeAll(async () => {
  tmp = await tempDir('git-report');
  repo = await TestRepo.create(path.join(tmp.dir, 'repo'));
  await repo.commit({ 'web/package-lock.json': ex('benign', 'base'), 'api/package-lock.json': ex('demo', 'base') });
  await repo.commit({ 'web/package-lock.json': ex('benign', 'head'), 'api/package-lock.json': ex('demo', 'head') });
});
afterAll(async () => {
  await tmp.remove();
});

/** The lines of `out` from the one matching `start` on. */
const from = (out: string, start: RegExp) => out.split('\n').slice(out.split('\n').findIndex((l) => start.test(l)));

describe('reports of several lockfiles', () => {
  it('text: routine changes under their lockfile', async () => {
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'text'], repo.dir);
    const lines = from(r.stdout, /routine change/);
    const api = lines.indexOf('  api/package-lock.json:');
    const web = lines.indexOf('  web/package-lock.json:');
    expect(api).toBeGreaterThan(0);
    expect(web).toBeGreaterThan(api);
    expect(lines.slice(web + 1).some((l) => /^ {4}semver 7\./.test(l))).toBe(true);
  });

  it('markdown: a row naming each lockfile before its routine changes', async () => {
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'markdown'], repo.dir);
    const rows = from(r.stdout, /routine change/);
    const web = rows.indexOf('| **`web/package-lock.json`** | | |');
    expect(rows.indexOf('| **`api/package-lock.json`** | | |')).toBeGreaterThan(0);
    expect(web).toBeGreaterThan(0);
    expect(rows.slice(web + 1).some((l) => l.startsWith('| `semver` |'))).toBe(true);
  });
});
