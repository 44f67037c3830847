import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { examplesDir, listScenarios, readScenario } from '../../test-support/scenarios.js';

describe('bundled scenarios', () => {
  it('lists the six example scenarios', () => {
    expect(listScenarios()).toEqual(['axios', 'benign', 'demo', 'eslint-scope', 'event-stream', 'ua-parser-js']);
  });

  it('reads the axios scenario with its clock, expectations and paths', () => {
    const s = readScenario('axios');
    expect(s.now.toISOString()).toBe('2026-03-31T02:00:00.000Z');
    expect(s.expect.get('axios@1.14.1')).toBe('critical');
    expect(s.expect.get('plain-crypto-js@4.2.1')).toBe('critical');
    expect(s.head.lockfile).toBe(join(examplesDir(), 'axios', 'head', 'package-lock.json'));
    expect(s.base.packageJson).toBe(join(examplesDir(), 'axios', 'base', 'package.json'));
  });

  it('expects nothing above medium in the benign scenario', () => {
    const levels = new Set(readScenario('benign').expect.values());
    expect([...levels]).toEqual(['<=medium']);
  });

  it('refuses names that are not scenario directories', () => {
    expect(() => readScenario('registry')).toThrow(/no scenario/);
    expect(() => readScenario('../examples')).toThrow(/no scenario/);
  });
});

describe('malformed scenario.json', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lockwarden-scenarios-'));
    mkdirSync(join(dir, 'x'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (o: unknown) => writeFileSync(join(dir, 'x', 'scenario.json'), JSON.stringify(o));

  it('rejects an unknown expectation level', () => {
    write({ title: 't', description: 'd', now: '2020-01-01T00:00:00Z', expect: { 'a@1.0.0': 'medium' } });
    expect(() => readScenario('x', dir)).toThrow(/expect\["a@1.0.0"\]/);
  });

  it('rejects a clock that is not a date', () => {
    write({ title: 't', description: 'd', now: 'yesterday', expect: {} });
    expect(() => readScenario('x', dir)).toThrow(/not a date/);
  });

  it('keeps a __proto__ expectation as a map entry', () => {
    writeFileSync(join(dir, 'x', 'scenario.json'), '{"title":"t","description":"d","now":"2020-01-01T00:00:00Z","expect":{"__proto__":"high"}}');
    const s = readScenario('x', dir);
    expect(s.expect.get('__proto__')).toBe('high');
    expect(s.expect.size).toBe(1);
  });
});
