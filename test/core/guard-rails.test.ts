/** The engine's guard-rail step: `review([], { guardRailFiles })` and requirements lockfiles as settings files. */
import { review } from '../../src/core/review.js';
import { MAX_GUARD_RAIL_FILES } from '../../src/guard-rails/paths.js';
import { defaultConfig, parseConfig } from '../../src/policy/index.js';

const now = new Date('2026-03-31T02:00:00.000Z');
const run = (files: { file: string; base: string | null; head: string | null }[], config = defaultConfig()) =>
  review([], { registry: null, now, config, guardRailFiles: files });

describe('review: guard rails', () => {
  it('.npmrc ignore-scripts=false after true fails the review, with the file and line', async () => {
    const r = await run([{ file: '.npmrc', base: 'ignore-scripts=true\n', head: 'ignore-scripts=false\n' }]);
    expect(r.conclusion).toBe('failure');
    expect(r.guardRails).toEqual([
      expect.objectContaining({
        file: '.npmrc',
        findings: [
          expect.objectContaining({ signal: 'guard-rail-weakened', severity: 'high', change: expect.objectContaining({ key: 'ignore-scripts', line: 1 }) }),
        ],
      }),
    ]);
    expect(r.guardRails![0]!.findings[0]!.message).toMatch(/^\.npmrc line 1: ignore-scripts true → false/);
  });

  it('adding ignore-scripts=true passes, reported as good news', async () => {
    const r = await run([{ file: '.npmrc', base: '', head: 'ignore-scripts=true\n' }]);
    expect(r.conclusion).toBe('success');
    expect(r.guardRails).toEqual([{ file: '.npmrc', findings: [], tightened: [expect.objectContaining({ key: 'ignore-scripts', after: 'true' })] }]);
  });

  it('a head settings file it cannot read fails closed, naming the file and line', async () => {
    const r = await run([{ file: 'pnpm-workspace.yaml', base: 'packages: []\n', head: 'onlyBuiltDependencies:\n  - esbuild\n - [oops\n' }]);
    expect(r.conclusion).toBe('failure');
    expect(r.incomplete).toEqual([
      expect.objectContaining({ name: 'pnpm-workspace.yaml', failClosed: true, reason: expect.stringMatching(/pnpm-workspace\.yaml:\d/) }),
    ]);
    expect(r.guardRails![0]!.unreadable).toEqual(expect.objectContaining({ line: expect.any(Number) }));
  });

  it('config signals: off drops the finding, medium makes it neutral; an allow entry never covers it', async () => {
    const files = [{ file: '.npmrc', base: '', head: 'registry=https://npm.attacker.example/\n' }];
    expect((await run(files, parseConfig('signals:\n  guard-rail-weakened: off\n'))).conclusion).toBe('success');
    expect((await run(files, parseConfig('signals:\n  guard-rail-weakened: medium\n'))).conclusion).toBe('neutral');
    const allowed = await run(files, parseConfig("allow:\n  - package: '*'\n    reason: everything is fine\n"));
    expect(allowed.conclusion).toBe('failure');
  });

  it(`more than ${MAX_GUARD_RAIL_FILES} settings files fail closed, saying how many were not reviewed`, async () => {
    const files = Array.from({ length: MAX_GUARD_RAIL_FILES + 3 }, (_, i) => ({ file: `packages/p${i}/.npmrc`, base: '', head: '' }));
    const r = await run(files);
    expect(r.conclusion).toBe('failure');
    expect(r.incomplete).toEqual([expect.objectContaining({ name: '3 settings files', failClosed: true })]);
  });

  it('a requirements lockfile that adds an extra index is checked as a settings file too', async () => {
    const base = 'requests==2.32.3\n';
    const r = await review([{ file: 'requirements.txt', base, head: `--extra-index-url https://pypi.attacker.example/simple\n${base}` }], {
      registry: null,
      now,
      config: defaultConfig(),
    });
    expect(r.conclusion).toBe('failure');
    expect(r.guardRails?.[0]?.findings[0]?.change).toMatchObject({ key: '--extra-index-url: https://pypi.attacker.example/simple', line: 1 });
  });

  it('lockwarden.yml changed is shown for awareness and does not change the conclusion', async () => {
    const r = await run([{ file: '.github/lockwarden.yml', base: 'failOn: high\n', head: 'failOn: critical\n' }]);
    expect(r.conclusion).toBe('success');
    expect(r.guardRails).toEqual([{ file: '.github/lockwarden.yml', findings: [], tightened: [], awareness: [expect.stringMatching(/failOn changed/)] }]);
  });
});
