/**
 * A registry package that starts pulling a git dependency (its `prepare` script runs at install) is
 * high in every JS format: form-data, a dependency of axios, moved to `github:`-style git sources in
 * hand-edited variants of the real axios lockfiles. The git URLs are data and never fetched.
 */
import { reviewEditedHead } from './format-review.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const FILES: Record<string, string> = { npm: 'package-lock.json', 'yarn-v1': 'yarn.lock', 'yarn-berry': 'yarn.lock', pnpm: 'pnpm-lock.yaml', bun: 'bun.lock' };
const TGZ = 'http://127.0.0.1:48730/form-data/-/form-data-4.0.5.tgz';

function toGit(format: string, text: string): string {
  switch (format) {
    case 'npm':
      return text.replace(`"resolved": "${TGZ}"`, `"resolved": "git+ssh://git@github.com/attacker/form-data.git#${SHA}"`);
    case 'yarn-v1':
      return text.replace(
        /"http:\/\/127\.0\.0\.1:48730\/form-data\/-\/form-data-4\.0\.5\.tgz#[0-9a-f]{40}"\n {2}integrity [^\n]+/,
        `"git+https://github.com/attacker/form-data.git#${SHA}"`,
      );
    case 'yarn-berry':
      return text.replace('resolution: "form-data@npm:4.0.5"', `resolution: "form-data@https://github.com/attacker/form-data.git#commit=${SHA}"`);
    case 'pnpm':
      return text.replace(
        /(form-data@4\.0\.5:\n {4}resolution: )\{integrity: [^}]+\}/,
        `$1{commit: ${SHA}, repo: https://github.com/attacker/form-data.git, type: git}`,
      );
    case 'bun':
      return text.replace(
        /\["form-data@4\.0\.5", "[^"]*", (\{[^\n]*\}), "sha512-[^"]+"\]/,
        `["form-data@github:attacker/form-data#${SHA}", $1, "attacker-form-data-${SHA.slice(0, 7)}"]`,
      );
    default:
      throw new Error(format);
  }
}

describe.each(Object.keys(FILES))('%s: a transitive dependency moved to git', (format) => {
  it('is a high non-registry-source that names the package pulling it in', async () => {
    const report = await reviewEditedHead(format, FILES[format]!, (head) => toGit(format, head));
    const c = report.changes.find((x) => x.name === 'form-data' && x.kind !== 'removed')!;
    expect(c.direct).toBe(false);
    const f = (c.findings as Array<{ signal: string; severity: string; message: string; evidence: Record<string, unknown> }>).find(
      (x) => x.signal === 'non-registry-source',
    );
    expect(f).toMatchObject({ severity: 'high', evidence: { sourceType: 'git', transitive: true, runsPrepare: true } });
    expect(f!.message).toContain('axios');
  });
});
