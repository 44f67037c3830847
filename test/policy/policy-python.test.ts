import type { Finding } from '../../src/model/index.js';
import { applyPolicy, parseConfig } from '../../src/policy/index.js';

const now = new Date('2026-11-25T12:00:00Z');
const f = (signal: string): Finding => ({ signal, severity: 'high', message: signal, evidence: {} });

describe('allow entries for Python packages', () => {
  it('match PEP 503-normalised names and PEP 440 specifiers, including prereleases', () => {
    const config = parseConfig('allow:\n  - package: Typing_Extensions\n    version: ">=4.12,<5"\n    reason: reviewed\n');
    const hit = (version: string) => applyPolicy([f('release-too-new')], { name: 'typing-extensions', version, ecosystem: 'pypi' }, config, now)[0]!.allowed;
    expect(hit('4.12.2')).toBeDefined();
    expect(hit('4.13.0rc1')).toBeDefined();
    expect(hit('5.0.0')).toBeUndefined();
    expect(hit('4.11.0')).toBeUndefined();
  });

  it('treat a bare version as exactly that version (as /lockwarden allow records it)', () => {
    const config = parseConfig('allow:\n  - package: litellm\n    version: "1.82.6"\n    reason: ok\n');
    const hit = (version: string) => applyPolicy([f('sdist-only')], { name: 'litellm', version, ecosystem: 'pypi' }, config, now)[0]!.allowed;
    expect(hit('1.82.6')).toBeDefined();
    expect(hit('1.82.6.0')).toBeDefined(); // PEP 440: the same version
    expect(hit('1.82.8')).toBeUndefined();
  });

  it('keep ecosystems apart when the entry names one', () => {
    const config = parseConfig('allow:\n  - package: requests\n    ecosystem: pypi\n    reason: ok\n');
    expect(applyPolicy([f('young-package')], { name: 'requests', version: '2.0.0', ecosystem: 'pypi' }, config, now)[0]!.allowed).toBeDefined();
    expect(applyPolicy([f('young-package')], { name: 'requests', version: '2.0.0', ecosystem: 'npm' }, config, now)[0]!.allowed).toBeUndefined();
  });

  it('refuse a version that is neither semver nor PEP 440, naming the line', () => {
    expect(() => parseConfig('allow:\n  - package: x\n    version: "not a range!"\n    reason: r\n', '.lockwarden.yml')).toThrow(/\.lockwarden\.yml:3/);
    expect(() => parseConfig('allow:\n  - package: x\n    ecosystem: cargo\n    reason: r\n')).toThrow(/ecosystem/);
  });

  it('accept the Python signal ids in per-signal overrides', () => {
    const config = parseConfig('signals:\n  sdist-only: off\n  pth-file-added: high\n');
    const out = applyPolicy([f('sdist-only'), { ...f('pth-file-added'), severity: 'critical' }], { name: 'a', version: '1', ecosystem: 'pypi' }, config, now);
    expect(out.map((x) => [x.signal, x.severity])).toEqual([['pth-file-added', 'high']]);
  });
});

describe('python.indexUrl', () => {
  it('takes an http(s) URL and refuses anything else, naming the line', () => {
    expect(parseConfig('python:\n  indexUrl: https://index.example/simple/\n').pythonIndexUrl).toBe('https://index.example/simple/');
    expect(() => parseConfig('python:\n  indexUrl: file:///etc/passwd\n', 'l.yml')).toThrow(/l\.yml:2/);
    expect(() => parseConfig('python:\n  url: https://x.example/\n', 'l.yml')).toThrow(/l\.yml:1: .*python\.indexUrl/); // indexUrl missing: points at python:
    expect(parseConfig('').pythonIndexUrl).toBeUndefined();
  });
});
