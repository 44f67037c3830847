/** The "Guard rails" part of the text, Markdown, JSON and check-run reports, from a real review. */
import { review } from '../../src/core/review.js';
import { planCheck } from '../../src/github/check-output.js';
import { defaultConfig } from '../../src/policy/index.js';
import { render, renderMarkdown } from '../../src/report/index.js';

const now = new Date('2026-03-31T02:00:00.000Z');
const config = defaultConfig();

async function result() {
  return review([], {
    registry: null,
    now,
    config,
    guardRailFiles: [
      { file: '.npmrc', base: 'ignore-scripts=true\n', head: 'ignore-scripts=false\nregistry=https://ci:tok3n@npm.attacker.example/\n' },
      { file: '.yarnrc.yml', base: 'enableScripts: true\n', head: 'enableScripts: false\n' },
      { file: 'pnpm-workspace.yaml', base: 'onlyBuiltDependencies: []\n', head: 'onlyBuiltDependencies:\n  - "`x` <!-- lockwarden:sticky --> @team"\n' },
    ],
  });
}

describe('guard-rail reports', () => {
  it('Markdown: each weakening with file:line, before → after and why; tightenings as good news; attacker text escaped', async () => {
    const md = renderMarkdown(await result());
    expect(md).toMatch(/^## ❌ lockwarden: 3 guard rails weakened, first \.npmrc line 1: ignore-scripts \(high\)/);
    expect(md).toContain('### Guard rails');
    expect(md).toMatch(/`\.npmrc` line 1: `ignore-scripts` `true` → `false`\. Why this matters: with ignore-scripts=true/);
    expect(md).toMatch(/`registry` not set → `https:\/\/\*\*\*@npm\.attacker\.example\/`/);
    expect(md).toMatch(/✅ Good news, tightened: `\.yarnrc\.yml` line 1 `enableScripts` `true` → `false`/);
    expect(md).not.toContain('tok3n');
    // attacker text stays inert: no marker, a mention only inside a code span or defused
    expect(md).not.toContain('<!-- lockwarden:sticky -->');
    expect(md).toContain('``onlyBuiltDependencies: `x` <\u200d!-- lockwarden:sticky --\u200d> @team``');
    expect(md.replace(/``[^\n]*?``/g, '')).not.toMatch(/@team/);
  });

  it('text: one line per weakening with file:line, and the good news', async () => {
    const text = render(await result(), 'text');
    expect(text).toMatch(/HIGH\s+guard-rail-weakened \.npmrc:1 {2}ignore-scripts true → false/);
    expect(text).toMatch(/good news: \.yarnrc\.yml:1 enableScripts true → false/);
  });

  it('JSON: guardRails carries the file, the findings with their change, and the tightenings', async () => {
    const json = JSON.parse(render(await result(), 'json'));
    expect(json.conclusion).toBe('failure');
    expect(json.guardRails[0]).toMatchObject({
      file: '.npmrc',
      findings: [{ signal: 'guard-rail-weakened', severity: 'high', change: { key: 'ignore-scripts', line: 1 } }, { change: { key: 'registry', line: 2 } }],
    });
    expect(json.guardRails[1]).toMatchObject({ file: '.yarnrc.yml', findings: [], tightened: [{ key: 'enableScripts' }] });
  });

  it('check run: a failure annotation on each weakened line', async () => {
    const plan = planCheck(await result(), config, 'a'.repeat(40));
    expect(plan.conclusion).toBe('failure');
    expect((plan.output.annotations ?? []).map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
      ['.npmrc', 1, 'failure'],
      ['.npmrc', 2, 'failure'],
      ['pnpm-workspace.yaml', 2, 'failure'],
    ]);
  });
});
