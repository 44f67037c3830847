/**
 * Hostile files: the scanners are single passes without recursion, and every regex is literal-first with
 * bounded gaps. Checked by growing each input tenfold: linear work grows about tenfold, backtracking far more.
 */
import { analyseContents } from '../../src/content/index.js';
import { archive, manifest } from './builders.js';

function timed(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

/** Analyses a package whose index.js goes from readable to `text`. */
function analyse(text: string, path = 'index.js'): ReturnType<typeof analyseContents> {
  const eco = path.endsWith('.py') ? 'pypi' : 'npm';
  const before = archive('h', '1.0.0', { 'package.json': manifest('h', '1.0.0'), [path]: 'module.exports = 1;\n' }, eco);
  const after = archive('h', '1.0.1', { 'package.json': manifest('h', '1.0.1'), [path]: text }, eco);
  return analyseContents(before, after);
}

/** Time for `unit` repeated to ~2 MB and ~20 MB: the larger may cost at most ~25 times the smaller (plus slack). */
function expectLinear(unit: string, path = 'index.js'): void {
  const small = unit.repeat(Math.ceil(2e6 / unit.length));
  const large = unit.repeat(Math.ceil(2e7 / unit.length));
  analyse(small.slice(0, 1000), path);
  const a = timed(() => analyse(small, path));
  const b = timed(() => analyse(large, path));
  expect(b).toBeLessThan(25 * a + 500);
}

describe('hostile content', () => {
  it('a 50 MB single-line file is analysed in bounded time and memory, and reported as a long line', () => {
    const line = `${'x=y(1)+"s";'.repeat(4_545_455)}\n`;
    expect(line.length).toBeGreaterThanOrEqual(50_000_000);
    const rss = process.memoryUsage().rss;
    let result: ReturnType<typeof analyseContents> | undefined;
    const ms = timed(() => {
      result = analyse(line);
    });
    const grewMb = (process.memoryUsage().rss - rss) / 1e6;
    process.stdout.write(`50 MB line: ${Math.round(ms)} ms, rss +${Math.round(grewMb)} MB\n`);
    expect(result!.findings.flatMap((f) => f.evidence.kinds)).toContain('long-line');
    expect(result!.findings[0]!.evidence.excerpt).toMatch(/… \(50000005 chars\)/);
    expect(ms).toBeLessThan(60_000);
  });

  it('a 50 MB single-line encoded blob: the entropy pass is linear', () => {
    const blob = Buffer.alloc(37_500_000, 'a1B2c3D4e5F6g7H8').toString('base64');
    const ms = timed(() => {
      const { findings } = analyse(`var p="${blob}";\n`);
      expect(findings.flatMap((f) => f.evidence.kinds)).toContain('encoded-blob');
    });
    process.stdout.write(`50 MB blob: ${Math.round(ms)} ms\n`);
  });

  it('10^5-deep nesting of brackets, templates and Python blocks is read without recursion', () => {
    const n = 100_000;
    const js = `${'('.repeat(n)}${'[{'.repeat(n)}${'}]'.repeat(n)}${')'.repeat(n)}\n${'`${'.repeat(n)}\n`;
    expect(analyse(js).summary.changed).toBeGreaterThan(0);
    const py = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}if x:`).join('\n');
    expect(analyse(py, 'm/__init__.py').summary.changed).toBeGreaterThan(0);
  });

  it.each([
    ['new Function without the call', 'new        Function        x'],
    ['a base64 decode without its close', '.from(' + 'a'.repeat(199) + ','],
    ['XHR prototype without assignment', 'XMLHttpRequest.prototype.open        ;'],
    ['env dump without a close', 'stringify(        process.env        ;'],
    ['unterminated strings and regexes', '"abc\\\n/[/\\/ \'\\x4'],
    ['_0x prefixes without hex', '_0x_0x_0xg'],
    ['schemes without hosts', 'https://'],
    ['escape runs', '\\\\\\x\\u'],
  ])('regex bait (%s) in JavaScript grows linearly', (_name, unit) => {
    expectLinear(unit);
  });

  it.each([
    ['exec without a call', 'exec        x\n'],
    ['environ dumps without a close', 'dict(        os.environ        x\n'],
    ['decoders in a long line', 'b64decodeb64decode'],
    ['URLs in a long line', 'http://a.b.c.'],
  ])('regex bait (%s) in Python grows linearly', (_name, unit) => {
    expectLinear(unit, 'm/__init__.py');
  });
});
