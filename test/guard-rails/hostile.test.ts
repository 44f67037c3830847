/**
 * Hostile settings files: the readers stay bounded (time and output) on what a pull request can write,
 * and fail closed (throw, naming the file) rather than guess.
 */
import { weakenings } from '../../src/guard-rails/index.js';

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

describe('hostile guard-rail files', () => {
  it('package.json with 40,000 allowScripts entries, many written with escapes, is read in linear time', () => {
    const entries = Array.from({ length: 40_000 }, (_, i) => (i % 2 ? `"p${i}": true` : `"\\u0070${i}": true`));
    const head = `{\n  "name": "app",\n  "allowScripts": {\n    ${entries.join(',\n    ')}\n  }\n}\n`;
    const { value, ms } = timed(() => {
      try {
        return weakenings('package.json', '{"name":"app"}', head);
      } catch (e) {
        return e as Error;
      }
    });
    expect(ms).toBeLessThan(3000);
    // too many settings to review one by one: refused, so the review fails closed
    expect(value).toBeInstanceOf(Error);
    expect((value as Error).message).toMatch(/package\.json.*too many settings/);
  });

  it('a pnpm-workspace.yaml list of 4,000 entries is read in linear time, each on its own line', () => {
    const head = `onlyBuiltDependencies:\n${Array.from({ length: 4000 }, (_, i) => `  - pkg-${i}`).join('\n')}\n`;
    const { value, ms } = timed(() => weakenings('pnpm-workspace.yaml', '', head));
    expect(ms).toBeLessThan(2000);
    expect(value.weakened).toHaveLength(4000);
    expect(value.weakened.at(-1)).toMatchObject({ key: 'onlyBuiltDependencies: pkg-3999', line: 4001 });
  });

  it('a uv.toml with 4,000 extra indexes is read in linear time', () => {
    const head = `extra-index-url = [\n${Array.from({ length: 4000 }, (_, i) => `  "https://i${i}.example/simple",`).join('\n')}\n]\n`;
    const { value, ms } = timed(() => weakenings('uv.toml', '', head));
    expect(ms).toBeLessThan(2000);
    expect(value.weakened).toHaveLength(4000);
  });

  it('a file over 1 MiB is refused, and YAML alias bombs are refused', () => {
    expect(() => weakenings('.npmrc', '', `registry=https://a.example/\n${'#'.repeat(1024 * 1024)}`)).toThrow(/\.npmrc.*too large/);
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nonlyBuiltDependencies: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;
    expect(() => weakenings('pnpm-workspace.yaml', '', bomb)).toThrow(/pnpm-workspace\.yaml/);
  });

  it('deeply nested JSON is read without a crash, the odd entry still reported', () => {
    const deep = `{"allowScripts":[${'['.repeat(200_000)}${']'.repeat(200_000)}]}`;
    expect(weakenings('package.json', null, deep).weakened).toEqual([expect.objectContaining({ key: 'allowScripts: [1 item]' })]);
  });
});
