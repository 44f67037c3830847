/**
 * The whole-change forms and the guard-rail step together: a commit that weakens `.npmrc` (and touches
 * no lockfile) fails `review --git` and `review --base-dir/--head-dir` with the file and line; a commit
 * that tightens it passes and says so.
 */
import path from 'node:path';
import { cli, tempDir, TestRepo, writeTree } from './git-repo.js';

interface JsonReport {
  conclusion: string;
  changes: unknown[];
  guardRails: Array<{
    file: string;
    findings: Array<{ signal: string; severity: string; evidence: Record<string, unknown> }>;
    tightened: Array<{ key: string }>;
  }>;
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
let repo: TestRepo;

beforeEach(async () => {
  tmp = await tempDir('guard');
  repo = await TestRepo.create(path.join(tmp.dir, 'repo'));
});
afterEach(async () => {
  await tmp.remove();
});

describe('guard rails through the whole-change forms', () => {
  it('--git fails a commit that turns install scripts back on, naming the file and line', async () => {
    await repo.commit({ '.npmrc': 'save-exact=true\nignore-scripts=true\n', 'README.md': 'x\n' });
    await repo.commit({ '.npmrc': 'save-exact=true\nignore-scripts=false\n' });
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'json'], repo.dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.conclusion).toBe('failure');
    expect(report.changes).toEqual([]);
    const npmrc = report.guardRails.find((g) => g.file === '.npmrc')!;
    expect(npmrc.findings.map((f) => [f.signal, f.severity])).toEqual([['guard-rail-weakened', 'high']]);
    expect(npmrc.findings[0]!.evidence['line']).toBe(2);
  });

  it('--git passes a commit that adds ignore-scripts=true, as good news', async () => {
    await repo.commit({ '.npmrc': 'save-exact=true\n' });
    await repo.commit({ '.npmrc': 'save-exact=true\nignore-scripts=true\n' });
    const r = await cli(['review', '--git', 'HEAD~1..HEAD', '--offline', '--format', 'json'], repo.dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.conclusion).toBe('success');
    expect(report.guardRails[0]!.findings).toEqual([]);
    expect(report.guardRails[0]!.tightened.map((t) => t.key)).toEqual(['ignore-scripts']);
  });

  it('--base-dir/--head-dir fails a new scoped registry in a workspace package', async () => {
    const base = path.join(tmp.dir, 'base');
    const head = path.join(tmp.dir, 'head');
    await writeTree(base, { 'packages/a/package.json': '{"name":"a"}\n' });
    await writeTree(head, { 'packages/a/package.json': '{"name":"a"}\n', 'packages/a/.npmrc': '@corp:registry=https://npm.attacker.example/\n' });
    const r = await cli(['review', '--base-dir', base, '--head-dir', head, '--offline', '--format', 'json'], tmp.dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.guardRails.map((g) => g.file)).toEqual(['packages/a/.npmrc']);
    expect(report.guardRails[0]!.findings[0]!.signal).toBe('guard-rail-weakened');
  });
});
