/**
 * `lockwarden review --base-dir A --head-dir B`: two checkouts compared by relative path, against the
 * fixture registry on 127.0.0.1; the same change gives the same JSON as --git. Symbolic links are not
 * followed out of a tree, and the walk's bounds fail closed.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFixtureRegistry } from '../../test-support/fixture-registry.js';
import { cli, root, tempDir, TestRepo, writeTree, type Files } from './git-repo.js';

const ex = (scenario: string, side: 'base' | 'head') => readFileSync(path.join(root, 'examples', scenario, side, 'package-lock.json'), 'utf8');
const AXIOS_NOW = JSON.parse(readFileSync(path.join(root, 'examples', 'axios', 'scenario.json'), 'utf8')).now as string;
const SECRET = 'ghp_secretCredentialToken0123456789';

interface JsonReport {
  changes: Array<{ name: string; lockfile: string }>;
  conclusion: string;
  incomplete: Array<{ name: string; reason: string; failClosed?: boolean }>;
  summary: { lockfiles: string[] };
  notes: Array<{ kind: string; message: string }>;
}

let registry: Awaited<ReturnType<typeof startFixtureRegistry>>;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  registry = await startFixtureRegistry();
});
afterAll(async () => {
  await registry.close();
});
beforeEach(async () => {
  tmp = await tempDir('dirs');
});
afterEach(async () => {
  await tmp.remove();
});

async function trees(base: Files, head: Files): Promise<void> {
  await writeTree(path.join(tmp.dir, 'base'), base);
  await writeTree(path.join(tmp.dir, 'head'), head);
}

const reviewDirs = (extra: string[] = ['--offline']) => cli(['review', '--base-dir', 'base', '--head-dir', 'head', '--format', 'json', ...extra], tmp.dir);

describe('review --base-dir --head-dir', () => {
  it('gives the same JSON as --git for the same change', async () => {
    const base: Files = {
      'packages/a/package-lock.json': ex('axios', 'base'),
      'packages/b/package-lock.json': ex('benign', 'base'),
      'requirements.txt': '-r common.txt\n',
      'common.txt': 'six==1.16.0\n',
      'README.md': 'a\n',
    };
    const head: Files = {
      ...base,
      'packages/a/package-lock.json': ex('axios', 'head'),
      'packages/b/package-lock.json': ex('benign', 'head'),
      'common.txt': 'six==1.17.0\n',
    };
    await trees(base, head);
    // the checkouts' own clutter is not walked
    await writeTree(path.join(tmp.dir, 'head'), { 'node_modules/x/package-lock.json': ex('demo', 'head'), '.git/package.json': '{}' });
    const repo = await TestRepo.create(path.join(tmp.dir, 'repo'));
    await repo.commit(base);
    await repo.commit(head);
    const args = ['--registry', registry.url, '--now', AXIOS_NOW];
    const [git, dirs] = [await cli(['review', '--git', 'HEAD~1..HEAD', '--format', 'json', ...args], repo.dir), await reviewDirs(args)];
    expect(dirs.stderr).toBe('');
    expect([dirs.code, git.code]).toEqual([1, 1]);
    expect(JSON.parse(dirs.stdout)).toEqual(JSON.parse(git.stdout));
    const report = JSON.parse(dirs.stdout) as JsonReport;
    expect(report.summary.lockfiles).toEqual(['packages/a/package-lock.json', 'packages/b/package-lock.json', 'requirements.txt']);
    expect(report.changes.find((c) => c.name === 'six')!.lockfile).toBe('common.txt');
  });

  it('does not follow a directory link leading outside the tree', async () => {
    const outside = path.join(tmp.dir, 'outside');
    await writeTree(outside, {
      'package-lock.json': ex('axios', 'head'),
      '.npmrc': `//registry.example/:_authToken=${SECRET}\n`,
      'requirements.txt': `token==${SECRET}\n`,
    });
    await trees({ 'package-lock.json': ex('axios', 'base') }, { 'package-lock.json': ex('axios', 'base'), vendor: { link: outside } });
    const r = await reviewDirs();
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.changes).toEqual([]);
    expect(report.summary.lockfiles).toEqual([]);
    expect(report.notes.map((n) => n.message)).toContain('no lockfile or settings file changed between base and head');
    expect(r.stdout).not.toContain(SECRET);
  });

  it('fails closed on a lockfile that is a link, and refuses an include whose link leads out of the side', async () => {
    const outside = path.join(tmp.dir, 'outside');
    await writeTree(outside, { 'package-lock.json': ex('axios', 'head'), 'common.txt': `token==${SECRET}\n` });
    await trees({ 'package-lock.json': ex('axios', 'base') }, { 'package-lock.json': { link: path.join(outside, 'package-lock.json') } });
    const r = await reviewDirs();
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as JsonReport).incomplete).toEqual([
      { name: 'package-lock.json', version: null, reason: 'a symbolic link, not followed (head): not reviewed', failClosed: true },
    ]);
    await trees(
      { 'requirements.txt': 'six==1.16.0\n' },
      { 'package-lock.json': null, 'requirements.txt': 'six==1.16.0\n-r common.txt\n', 'common.txt': { link: path.join(outside, 'common.txt') } },
    );
    const inc = await reviewDirs();
    expect(inc.code).toBe(2);
    expect(inc.stderr).toMatch(/requirements\.txt:2: -r common\.txt: a symbolic link leads outside the repository: not read/);
    expect(inc.stdout + inc.stderr).not.toContain(SECRET);
  });

  it('fails closed when a tree is deeper than the walk goes', async () => {
    const deep = `${Array.from({ length: 21 }, (_, i) => `d${i}`).join('/')}/package-lock.json`;
    await trees({ 'package-lock.json': ex('axios', 'base') }, { 'package-lock.json': ex('axios', 'base'), [deep]: ex('axios', 'head') });
    const r = await reviewDirs();
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as JsonReport).incomplete).toEqual([
      {
        name: '--head-dir head',
        version: null,
        reason: `folders deeper than 20 levels were not compared (first: ${deep.split('/').slice(0, 21).join('/')}): the change cannot be reviewed whole`,
        failClosed: true,
      },
    ]);
  });

  it('refuses a directory that does not exist (exit 2)', async () => {
    await mkdir(path.join(tmp.dir, 'base'));
    await writeFile(path.join(tmp.dir, 'file'), 'x');
    const r = await cli(['review', '--base-dir', 'base', '--head-dir', 'file'], tmp.dir);
    expect([r.code, r.stderr]).toEqual([2, 'lockwarden: --head-dir file: not a directory\n']);
  });
});
