/**
 * Benign controls built from real code patterns: what a package always did is not new. None may reach
 * medium (the target is 0 benign upgrades at high, ≤ 1 % at medium).
 */
import { analyseContents, type ContentFinding } from '../../src/content/index.js';
import { severityRank } from '../../src/model/finding.js';
import { archive, manifest, minifiedBundle, readableModule } from './builders.js';

function atMedium(findings: ContentFinding[]): ContentFinding[] {
  return findings.filter((f) => severityRank(f.severity) >= severityRank('medium'));
}

const ELF = (n: number): Buffer => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(2000, n)]);

describe('benign content changes', () => {
  it('a minified bundle that changes wholesale each release (already minified, same capabilities)', () => {
    const extra = 'fetch("/api");new Function("a","return a");';
    const before = archive('ui', '1.0.0', {
      'package.json': manifest('ui', '1.0.0', { main: 'dist/ui.min.js' }),
      'dist/ui.min.js': minifiedBundle(1, 500, extra),
    });
    const after = archive('ui', '1.1.0', {
      'package.json': manifest('ui', '1.1.0', { main: 'dist/ui.min.js' }),
      'dist/ui.min.js': minifiedBundle(2, 600, extra),
    });
    expect(analyseContents(before, after).findings).toEqual([]);
  });

  it('an HTTP client (axios-like): network before and after, new request code added', () => {
    const http =
      "const http = require('http');\nconst https = require('https');\nfunction request(o) { return (o.protocol === 'https:' ? https : http).request(o); }\n";
    const more = 'function withTimeout(o, ms) { const r = request(o); r.setTimeout(ms); return r; }\n';
    const before = archive('axios', '1.7.0', {
      'package.json': manifest('axios', '1.7.0'),
      'index.js': "module.exports = require('./lib/adapters/http.js');\n",
      'lib/adapters/http.js': http,
    });
    const after = archive('axios', '1.7.1', {
      'package.json': manifest('axios', '1.7.1'),
      'index.js': "module.exports = require('./lib/adapters/http.js');\n",
      'lib/adapters/http.js': http + more,
    });
    expect(analyseContents(before, after).findings).toEqual([]);
  });

  it('a process runner (execa-like): spawn before and after', () => {
    const lib = "import childProcess from 'node:child_process';\nexport function run(file, args) { return childProcess.spawn(file, args); }\n";
    const before = archive('execa', '9.0.0', { 'package.json': manifest('execa', '9.0.0'), 'index.js': lib });
    const after = archive('execa', '9.1.0', {
      'package.json': manifest('execa', '9.1.0'),
      'index.js': `${lib}export function runSync(file, args) { return childProcess.spawnSync(file, args); }\n`,
    });
    expect(atMedium(analyseContents(before, after).findings)).toEqual([]);
  });

  it('a schema compiler (ajv-like): new Function before and after', () => {
    const lib = "function compile(src) { return new Function('data', src); }\nmodule.exports = compile;\n";
    const before = archive('ajv', '8.16.0', { 'package.json': manifest('ajv', '8.16.0'), 'index.js': lib });
    const after = archive('ajv', '8.17.0', { 'package.json': manifest('ajv', '8.17.0'), 'index.js': `${lib}compile.cache = new Map();\n` });
    expect(analyseContents(before, after).findings).toEqual([]);
  });

  it('a platform package (esbuild-like) whose binary changes every release: info only', () => {
    const m = (v: string): string => manifest('@esbuild/linux-x64', v, { main: undefined });
    const before = archive('@esbuild/linux-x64', '0.24.0', { 'package.json': m('0.24.0'), 'bin/esbuild': { binary: ELF(1), executable: true } });
    const after = archive('@esbuild/linux-x64', '0.24.1', { 'package.json': m('0.24.1'), 'bin/esbuild': { binary: ELF(2), executable: true } });
    const { findings } = analyseContents(before, after);
    expect(findings.map((f) => [f.signal, f.severity])).toEqual([['new-executable', 'info']]);
  });

  it('an existing install script left unchanged while the rest of the package changes', () => {
    const install = "const https = require('https');\nconst { execFileSync } = require('child_process');\nhttps.get(process.env.ESBUILD_BINARY_PATH);\n";
    const m = (v: string): string => manifest('esbuild', v, { scripts: { postinstall: 'node install.js' } });
    const before = archive('esbuild', '0.24.0', { 'package.json': m('0.24.0'), 'install.js': install, 'lib/main.js': readableModule('api', 5) });
    const after = archive('esbuild', '0.24.1', { 'package.json': m('0.24.1'), 'install.js': install, 'lib/main.js': readableModule('api', 6) });
    expect(analyseContents(before, after).findings).toEqual([]);
  });

  it('a bundle chunk renamed between releases keeps the capabilities the package had', () => {
    const chunk = (seed: number): string => minifiedBundle(seed, 300, 'require("child_process").spawn("git");fetch(u);');
    const m = (v: string): string => manifest('vite', v);
    const before = archive('vite', '5.4.0', { 'package.json': m('5.4.0'), 'index.js': 'export * from "./dist/chunk-a1.js";\n', 'dist/chunk-a1.js': chunk(1) });
    const after = archive('vite', '5.4.1', { 'package.json': m('5.4.1'), 'index.js': 'export * from "./dist/chunk-b2.js";\n', 'dist/chunk-b2.js': chunk(2) });
    expect(analyseContents(before, after).findings).toEqual([]);
  });

  it('a bundle that starts shipping the list of Node built-in module names (prettier 3.4 plugins) gains nothing', () => {
    const list = 'var zp=["assert","buffer","child_process","cluster","dgram","dns","http","https","net","tls"];';
    const m = (v: string): string => manifest('prettier', v, { exports: { './plugins/typescript': './plugins/typescript.js' } });
    const before = archive('prettier', '3.3.3', { 'package.json': m('3.3.3'), 'plugins/typescript.js': minifiedBundle(1, 300) });
    const after = archive('prettier', '3.4.2', { 'package.json': m('3.4.2'), 'plugins/typescript.js': minifiedBundle(2, 300, list) });
    expect(analyseContents(before, after).findings).toEqual([]);
  });
});
