/**
 * The change set the --git and directory forms hand the engine: which settings files (guard rails)
 * are collected, read at both sides, and what fails closed instead. Checked at the seam, since the
 * engine's guard-rail checks are built separately.
 */
import path from 'node:path';
import { changeSetFromDirs } from '../../src/cli/from-dirs.js';
import { changeSetFromGit } from '../../src/cli/from-git.js';
import { tempDir, TestRepo, writeTree, type Files } from './git-repo.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeEach(async () => {
  tmp = await tempDir('change-set');
});
afterEach(async () => {
  await tmp.remove();
});

/** The change set of base → head, read both ways: from two commits and from two directories. */
async function bothWays(base: Files, head: Files) {
  const repo = await TestRepo.create(path.join(tmp.dir, 'repo'));
  await repo.commit(base);
  await repo.commit(head);
  await writeTree(path.join(tmp.dir, 'base'), base);
  await writeTree(path.join(tmp.dir, 'head'), { ...base, ...head });
  const git = await changeSetFromGit('HEAD~1..HEAD', { cwd: repo.dir, env: repo.env });
  const dirs = await changeSetFromDirs('base', 'head', tmp.dir);
  return { git, dirs };
}

describe('the change set of --git and the directories', () => {
  it('collects the changed settings files at both sides, and only those', async () => {
    const base: Files = {
      '.npmrc': 'ignore-scripts=true\n',
      'packages/a/.npmrc': 'ignore-scripts=true\n',
      '.github/lockwarden.yml': 'failOn: medium\n',
      'pyproject.toml': '[tool.uv]\n',
      'docs/lockwarden.yml': 'x\n',
      'README.md': 'a\n',
    };
    const head: Files = {
      '.npmrc': 'ignore-scripts=false\n',
      'packages/b/package.json': '{"scripts":{"postinstall":"node x.js"}}\n',
      '.github/lockwarden.yml': 'failOn: critical\n',
      'pyproject.toml': null,
      'docs/lockwarden.yml': 'y\n',
      'README.md': 'b\n',
    };
    const { git, dirs } = await bothWays(base, head);
    const expected = [
      { file: '.github/lockwarden.yml', base: 'failOn: medium\n', head: 'failOn: critical\n' },
      { file: '.npmrc', base: 'ignore-scripts=true\n', head: 'ignore-scripts=false\n' },
      { file: 'packages/b/package.json', base: null, head: '{"scripts":{"postinstall":"node x.js"}}\n' },
      { file: 'pyproject.toml', base: '[tool.uv]\n', head: null },
    ];
    expect(git.guardRailFiles).toEqual(expected);
    expect(git.notReviewed).toEqual([]);
    expect(git.lockfiles).toEqual([]);
    expect(dirs.guardRailFiles).toEqual(expected);
    expect(dirs.notReviewed).toEqual([]);
  });

  it('fails closed past the cap of settings files, and on a settings file that is a link', async () => {
    const head: Files = { '.npmrc': { link: '/etc/hostname' } };
    for (let i = 0; i <= 200; i++) head[`packages/p${String(i).padStart(3, '0')}/package.json`] = `{"name":"p${i}"}\n`;
    const { git, dirs } = await bothWays({ 'README.md': 'a\n' }, head);
    for (const set of [git, dirs]) {
      // 202 changed: the first 200 are read (.npmrc, refused, and p000 to p198), the last two are over the cap
      expect(set.guardRailFiles).toHaveLength(199);
      expect(set.notReviewed).toEqual([
        { name: 'packages/p199/package.json', version: null, reason: 'more than 200 settings files changed: not reviewed', failClosed: true },
        { name: 'packages/p200/package.json', version: null, reason: 'more than 200 settings files changed: not reviewed', failClosed: true },
        {
          name: '.npmrc',
          version: null,
          reason: expect.stringMatching(/^a symbolic link, not followed \(head(, [0-9a-f]{7})?\): not reviewed$/),
          failClosed: true,
        },
      ]);
    }
  });
});
