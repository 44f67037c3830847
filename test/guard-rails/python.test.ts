/** The Python readers: requirements option lines, pip.conf, uv.toml and pyproject.toml ([tool.uv], poetry sources), lockwarden.yml. */
import { lockwardenConfigChanges, weakenings } from '../../src/guard-rails/index.js';

const keys = (cs: { key: string }[]) => cs.map((c) => c.key);

describe('requirements files', () => {
  const base =
    '--index-url https://pypi.corp.example/simple\nrequests==2.32.3 \\\n    --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6\n';

  it('a changed -i, an extra index and a trusted host are weakenings, on their lines', () => {
    const head = `-i https://pypi.attacker.example/simple\n--extra-index-url=https://u:pw@extra.example/simple\n--trusted-host extra.example\n${base.split('\n').slice(1).join('\n')}`;
    const w = weakenings('requirements.txt', base, head);
    expect(w.weakened.map((c) => [c.key, c.line])).toEqual([
      ['--index-url', 1],
      ['--extra-index-url: https://***@extra.example/simple', 2],
      ['--trusted-host: extra.example', 3],
    ]);
    expect(JSON.stringify(w)).not.toContain('pw@');
  });

  it('an abbreviated option counts, as pip reads it (--extra-index)', () => {
    expect(keys(weakenings('requirements.txt', base, `--extra-index https://extra.example/simple\n${base}`).weakened)).toEqual([
      '--extra-index-url: https://extra.example/simple',
    ]);
  });

  it('removing an extra index is good news', () => {
    const w = weakenings('requirements.txt', `--extra-index-url https://extra.example/simple\n${base}`, base);
    expect(keys(w.tightened)).toEqual(['--extra-index-url: https://extra.example/simple']);
    expect(w.weakened).toEqual([]);
  });
});

describe('pip.conf', () => {
  const base = '[global]\nindex-url = https://pypi.corp.example/simple\n';

  it('extra-index-url on continuation lines, and trusted-host, are weakenings', () => {
    const head = `${base}extra-index-url =\n    https://a.example/simple\n    https://b.example/simple\ntrusted-host = b.example\n`;
    expect(keys(weakenings('pip.conf', base, head).weakened)).toEqual([
      '[global] extra-index-url: https://a.example/simple',
      '[global] extra-index-url: https://b.example/simple',
      '[global] trusted-host: b.example',
    ]);
  });

  it('a changed index-url is a weakening', () => {
    expect(weakenings('pip.conf', base, base.replace('corp', 'attacker')).weakened).toEqual([
      expect.objectContaining({ key: '[global] index-url', after: 'https://pypi.attacker.example/simple', line: 2 }),
    ]);
  });
});

describe('uv.toml and pyproject.toml', () => {
  it('uv.toml: a new [[index]], an insecure host and an unsafe index strategy are weakenings', () => {
    const base = '[[index]]\nname = "corp"\nurl = "https://pypi.corp.example/simple"\ndefault = true\n';
    const head = `index-strategy = "unsafe-best-match"\nallow-insecure-host = ["pypi.attacker.example"]\n${base}\n[[index]]\nname = "extra"\nurl = "https://pypi.attacker.example/simple"\n`;
    const w = weakenings('uv.toml', base, head);
    expect(w.weakened.map((c) => [c.key, c.line])).toEqual([
      ['index-strategy', 1],
      ['allow-insecure-host: pypi.attacker.example', 2],
      ['index: https://pypi.attacker.example/simple', 8],
    ]);
  });

  it('pyproject.toml: [tool.uv] extra-index-url and a changed default index; other tables say nothing', () => {
    const base = '[project]\nname = "app"\nversion = "1.0"\n\n[[tool.uv.index]]\nurl = "https://pypi.corp.example/simple"\ndefault = true\n';
    const head =
      '[project]\nname = "app"\nversion = "1.1"\n\n[tool.uv]\nextra-index-url = ["https://extra.example/simple"]\n\n[[tool.uv.index]]\nurl = "https://mirror.example/simple"\ndefault = true\n';
    const w = weakenings('pyproject.toml', base, head);
    expect(w.weakened.map((c) => [c.key, c.line])).toEqual([
      ['tool.uv.extra-index-url: https://extra.example/simple', 6],
      ['tool.uv.index (default)', 8],
    ]);
  });

  it('pyproject.toml: a new poetry source is a weakening', () => {
    const head = '[tool.poetry]\nname = "app"\n\n[[tool.poetry.source]]\nname = "extra"\nurl = "https://extra.example/simple"\npriority = "supplemental"\n';
    expect(keys(weakenings('pyproject.toml', '[tool.poetry]\nname = "app"\n', head).weakened)).toEqual(['tool.poetry.source: https://extra.example/simple']);
  });
});

describe('.github/lockwarden.yml', () => {
  it('lists what changed at the top level, and says the PR copy is not what this review used', () => {
    const [line] = lockwardenConfigChanges(
      '.github/lockwarden.yml',
      'failOn: high\nwarnOn: medium\n',
      'failOn: critical\nsignals:\n  install-script-added: off\n',
    );
    expect(line).toMatch(/failOn changed, signals added, warnOn removed/);
    expect(line).toMatch(/default branch/);
  });

  it('an unchanged config says nothing', () => {
    expect(lockwardenConfigChanges('.github/lockwarden.yml', 'failOn: high\n', 'failOn: high # same\n')).toEqual([]);
  });
});
