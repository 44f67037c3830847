#!/usr/bin/env node
/**
 * Writes examples/registry/*.json: one FULL packument per package, in the real registry's shape, from
 * the compact descriptions below. The fixture registry (test-support/fixture-registry.ts) serves these
 * files and fills in what depends on its tarballs and origin (dist.integrity, dist.shasum,
 * dist.tarball, dist.fileCount, dist.unpackedSize, dist.attestations.url).
 *
 *   node scripts/author-registry.mjs            # rewrite the files
 *   node scripts/author-registry.mjs --check    # exit 1 if a file differs from what would be written
 *
 * Edit this script, not the JSON files. Sources and what is modelled versus illustrative:
 * examples/registry/README.md.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'examples', 'registry');

// --------------------------------------------------------------------------------------------------
// People. Account names are the real ones; e-mail addresses are placeholders, except the two that
// were part of the public record of an incident (the OIDC publisher and the address the axios
// attacker put on the hijacked account).

const GITHUB_ACTIONS = 'GitHub Actions';
const email = (name) => `${name}@example.com`;

const hex = (...parts) => createHash('sha1').update(parts.join('\0')).digest('hex');
const uuid = (seed) => {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

function githubRepo(url) {
  const m = /github\.com[/:]([^/]+)\/([^/.]+)/.exec(url);
  if (!m) throw new Error(`not a GitHub URL: ${url}`);
  return { owner: m[1], repo: m[2], https: `https://github.com/${m[1]}/${m[2]}` };
}

// --------------------------------------------------------------------------------------------------
// Tool versions recorded by each era's publishes (_nodeVersion / _npmVersion).

function toolVersions(time) {
  const year = Number(time.slice(0, 4));
  if (year <= 2013) return ['0.10.21', '1.3.11'];
  if (year <= 2014) return ['0.10.32', '1.4.28'];
  if (year <= 2015) return ['4.2.1', '2.14.7'];
  if (year <= 2016) return ['6.3.0', '3.10.3'];
  if (year <= 2017) return ['7.8.0', '4.2.0'];
  if (year <= 2018) return ['8.11.3', '6.1.0'];
  if (year <= 2020) return ['12.16.1', '6.13.4'];
  if (year <= 2021) return ['14.17.0', '6.14.13'];
  if (year <= 2023) return ['18.18.0', '9.8.1'];
  if (year <= 2024) return ['20.17.0', '10.8.2'];
  return ['22.20.0', '11.6.2'];
}

// --------------------------------------------------------------------------------------------------
// Package descriptions.
//
// Version fields: v (version), t (publish time), by (publishing account, or 'gha' for npm trusted
// publishing from GitHub Actions), byEmail (override), maint (maintainers at publish time), deps,
// optDeps, scripts, bin, main, engines, os, cpu, funding, prov ({ workflow, ref } → dist.attestations
// and a provenance statement), noGitHead (published from a local tarball, no git metadata),
// description, repository (override).

/** What an attacker would plant: an approvals block accepting every package at every version. */
const FORGED_APPROVALS = `<!-- lockwarden:approvals ${Buffer.from(JSON.stringify([{ package: '*', version: '*', by: 'alice', at: '2026-05-01T11:00:00.000Z', reason: 'reviewed' }])).toString('base64')} -->`;

const STUB_README = (name, text) => `# ${name}\n\n${text}\n`;

const packages = [
  // ------------------------------------------------------------------------------------------------
  // event-stream (2018): maintainer hand-over to right9ctrl, who adds flatmap-stream (hugeglass).
  {
    name: 'event-stream',
    description: 'construct pipes of streams of events',
    repository: 'git://github.com/dominictarr/event-stream.git',
    homepage: 'http://github.com/dominictarr/event-stream',
    author: 'Dominic Tarr <dominic.tarr@gmail.com> (http://bit.ly/dominictarr)',
    license: 'MIT',
    maintainers: ['dominictarr', 'right9ctrl'],
    readme: STUB_README(
      'EventStream',
      "Streams are node's best and most misunderstood idea, and EventStream is a toolkit to make creating and working with streams easy.",
    ),
    base: {
      scripts: { prepublish: 'npm ls && npm test', test: 'asynct test/', test_tap: 'set -e; for t in test/*.js; do node $t; done' },
    },
    versions: [
      { v: '0.1.0', t: '2011-03-11T06:10:21.512Z', by: 'dominictarr', maint: ['dominictarr'], deps: {} },
      {
        v: '3.3.2',
        t: '2015-10-16T04:25:07.101Z',
        by: 'dominictarr',
        maint: ['dominictarr'],
        deps: {
          through: '~2.3.1',
          duplexer: '~0.1.1',
          from: '~0',
          'map-stream': '~0.1.0',
          'pause-stream': '0.0.11',
          split: '0.3',
          'stream-combiner': '~0.0.4',
        },
      },
      {
        v: '3.3.3',
        t: '2016-06-18T23:38:44.220Z',
        by: 'dominictarr',
        maint: ['dominictarr'],
        deps: {
          through: '~2.3.1',
          duplexer: '~0.1.1',
          from: '~0',
          'map-stream': '~0.1.0',
          'pause-stream': '0.0.11',
          split: '0.3',
          'stream-combiner': '~0.0.4',
        },
      },
      {
        v: '3.3.4',
        t: '2016-07-17T07:24:09.512Z',
        by: 'dominictarr',
        maint: ['dominictarr'],
        deps: {
          through: '~2.3.1',
          duplexer: '~0.1.1',
          from: '~0',
          'map-stream': '~0.1.0',
          'pause-stream': '0.0.11',
          split: '0.3',
          'stream-combiner': '~0.0.4',
        },
      },
      {
        v: '3.3.5',
        t: '2018-09-05T05:29:11.871Z',
        by: 'right9ctrl',
        maint: ['dominictarr', 'right9ctrl'],
        deps: {
          duplexer: '^0.1.1',
          from: '^0.1.7',
          'map-stream': '0.0.7',
          'pause-stream': '^0.0.11',
          split: '^1.0.1',
          'stream-combiner': '^0.2.2',
          through: '^2.3.8',
        },
      },
      {
        v: '3.3.6',
        t: '2018-09-09T08:18:46.380Z',
        by: 'right9ctrl',
        maint: ['dominictarr', 'right9ctrl'],
        deps: {
          duplexer: '^0.1.1',
          'flatmap-stream': '^0.1.0',
          from: '^0.1.7',
          'map-stream': '0.0.7',
          'pause-stream': '^0.0.11',
          split: '^1.0.1',
          'stream-combiner': '^0.2.2',
          through: '^2.3.8',
        },
      },
      {
        v: '4.0.0',
        t: '2018-09-16T11:19:58.204Z',
        by: 'right9ctrl',
        maint: ['dominictarr', 'right9ctrl'],
        deps: {
          duplexer: '^0.1.1',
          from: '^0.1.7',
          'map-stream': '0.0.7',
          'pause-stream': '^0.0.11',
          split: '^1.0.1',
          'stream-combiner': '^0.2.2',
          through: '^2.3.8',
        },
      },
      {
        v: '4.0.1',
        t: '2018-09-20T13:18:32.647Z',
        by: 'right9ctrl',
        maint: ['dominictarr', 'right9ctrl'],
        deps: {
          duplexer: '^0.1.1',
          from: '^0.1.7',
          'map-stream': '0.0.7',
          'pause-stream': '^0.0.11',
          split: '^1.0.1',
          'stream-combiner': '^0.2.2',
          through: '^2.3.8',
        },
      },
    ],
  },
  {
    name: 'flatmap-stream',
    description: 'A simple flatmap stream',
    repository: 'git+https://github.com/hugeglass/flatmap-stream.git',
    author: 'hugeglass',
    license: 'MIT',
    maintainers: ['hugeglass'],
    readme: STUB_README('flatmap-stream', 'A simple flatmap stream.'),
    versions: [
      { v: '0.1.0', t: '2018-09-06T17:03:41.308Z', by: 'hugeglass', maint: ['hugeglass'], deps: {}, main: 'index.min.js', noGitHead: true },
      { v: '0.1.1', t: '2018-10-05T09:43:21.466Z', by: 'hugeglass', maint: ['hugeglass'], deps: {}, main: 'index.min.js', noGitHead: true },
    ],
  },
  .../** @type {Array<[string, string, string, Array<[string, string, Record<string, string>?]>, Record<string, string>]>} */ ([
    [
      'through',
      'simplified stream construction',
      'dominictarr/through',
      [
        ['2.0.0', '2012-07-18T10:19:12.402Z'],
        ['2.3.4', '2013-05-26T02:14:29.113Z'],
        ['2.3.8', '2015-06-23T00:30:32.751Z'],
      ],
      {},
    ],
    [
      'from',
      'Easy way to make a Readable Stream',
      'dominictarr/from',
      [
        ['0.0.1', '2012-05-02T05:40:01.777Z'],
        ['0.1.3', '2013-03-10T21:59:56.914Z'],
        ['0.1.7', '2017-03-06T22:22:05.316Z'],
      ],
      {},
    ],
    [
      'map-stream',
      'construct pipes of streams of events',
      'dominictarr/map-stream',
      [
        ['0.0.1', '2012-09-04T01:42:11.602Z'],
        ['0.0.7', '2016-12-05T21:49:35.126Z'],
        ['0.1.0', '2013-11-05T03:32:41.902Z'],
      ],
      {},
    ],
    [
      'pause-stream',
      'a ThroughStream that strictly buffers all readable events when paused.',
      'dominictarr/pause-stream',
      [
        ['0.0.1', '2012-07-20T13:17:55.801Z', { through: '~2.0.0' }],
        ['0.0.11', '2013-06-08T03:35:43.018Z'],
      ],
      { through: '~2.3' },
    ],
    [
      'split',
      'split a Text Stream into a Line Stream',
      'dominictarr/split',
      [
        ['0.0.0', '2012-05-28T08:57:22.303Z', {}],
        ['0.3.3', '2015-02-12T22:07:33.630Z'],
        ['1.0.1', '2017-07-19T00:45:05.117Z'],
      ],
      { through: '2' },
    ],
  ]).map(([name, description, repo, vs, deps]) => ({
    name,
    description,
    repository: `git://github.com/${repo}.git`,
    homepage: `https://github.com/${repo}`,
    author: 'Dominic Tarr <dominic.tarr@gmail.com> (dominictarr.com)',
    license: 'MIT',
    maintainers: ['dominictarr'],
    readme: STUB_README(name, description),
    versions: vs.map(([v, t, own]) => ({ v, t, by: 'dominictarr', maint: ['dominictarr'], deps: own ?? deps })),
  })),
  {
    name: 'stream-combiner',
    description: 'turn a pipeline into a single stream',
    repository: 'git://github.com/dominictarr/stream-combiner.git',
    homepage: 'https://github.com/dominictarr/stream-combiner',
    author: 'Dominic Tarr <dominic.tarr@gmail.com> (http://dominictarr.com)',
    license: 'MIT',
    maintainers: ['dominictarr'],
    readme: STUB_README('stream-combiner', 'Turn a pipeline into a single stream.'),
    versions: [
      { v: '0.0.0', t: '2012-08-26T07:34:47.904Z', by: 'dominictarr', maint: ['dominictarr'], deps: { duplexer: '~0.0.2' } },
      { v: '0.0.4', t: '2013-04-09T22:18:45.102Z', by: 'dominictarr', maint: ['dominictarr'], deps: { duplexer: '~0.1.1' } },
      { v: '0.2.2', t: '2015-05-31T06:12:30.551Z', by: 'dominictarr', maint: ['dominictarr'], deps: { duplexer: '~0.1.1', through: '~2.3.4' } },
    ],
  },
  {
    name: 'duplexer',
    description: 'Creates a duplex stream',
    repository: 'git://github.com/Raynos/duplexer.git',
    homepage: 'https://github.com/Raynos/duplexer',
    author: 'Raynos <raynos2@gmail.com>',
    license: 'MIT',
    maintainers: ['raynos'],
    readme: STUB_README('duplexer', 'Creates a duplex stream.'),
    versions: [
      { v: '0.0.2', t: '2012-08-24T20:10:33.011Z', by: 'raynos', maint: ['raynos'], deps: {} },
      { v: '0.1.1', t: '2013-03-19T23:07:52.640Z', by: 'raynos', maint: ['raynos'], deps: {} },
    ],
  },

  // ------------------------------------------------------------------------------------------------
  // eslint-scope (2018-07-12): a maintainer's npm account is used to publish 3.7.2 with a postinstall.
  {
    name: 'eslint-scope',
    description: 'ECMAScript scope analyzer for ESLint',
    repository: 'eslint/eslint-scope',
    homepage: 'http://github.com/eslint/eslint-scope',
    bugs: { url: 'https://github.com/eslint/eslint-scope/issues' },
    license: 'BSD-2-Clause',
    maintainers: ['eslint', 'ivolodin', 'nzakas'],
    distTags: { latest: '4.0.0' },
    readme: STUB_README('ESLint Scope', 'ESLint Scope is the ECMAScript scope analyzer used in ESLint. It is a fork of escope.'),
    base: {
      main: 'lib/index.js',
      engines: { node: '>=4.0.0' },
      scripts: { test: 'node Makefile.js test', lint: 'node Makefile.js lint', release: 'eslint-release', 'ci-release': 'eslint-ci-release' },
    },
    versions: [
      { v: '3.6.0', t: '2017-02-20T22:33:45.812Z', by: 'eslint', maint: ['eslint', 'ivolodin', 'nzakas'], deps: { esrecurse: '^4.1.0', estraverse: '^4.1.1' } },
      {
        v: '3.7.0',
        t: '2017-03-17T22:10:53.361Z',
        by: 'ivolodin',
        maint: ['eslint', 'ivolodin', 'nzakas'],
        deps: { esrecurse: '^4.1.0', estraverse: '^4.1.1' },
      },
      { v: '3.7.1', t: '2017-04-12T21:03:44.902Z', by: 'eslint', maint: ['eslint', 'ivolodin', 'nzakas'], deps: { esrecurse: '^4.1.0', estraverse: '^4.1.1' } },
      { v: '4.0.0', t: '2018-06-21T20:41:12.178Z', by: 'eslint', maint: ['eslint', 'ivolodin', 'nzakas'], deps: { esrecurse: '^4.1.0', estraverse: '^4.1.1' } },
      {
        v: '3.7.2',
        t: '2018-07-12T10:40:02.533Z',
        by: 'eslint',
        maint: ['eslint', 'ivolodin', 'nzakas'],
        deps: { esrecurse: '^4.1.0', estraverse: '^4.1.1' },
        scripts: {
          test: 'node Makefile.js test',
          lint: 'node Makefile.js lint',
          release: 'eslint-release',
          'ci-release': 'eslint-ci-release',
          postinstall: 'node ./lib/build.js',
        },
        noGitHead: true,
      },
    ],
  },
  {
    name: 'esrecurse',
    description: 'ECMAScript AST recursive visitor',
    repository: 'https://github.com/estools/esrecurse.git',
    homepage: 'https://github.com/estools/esrecurse',
    license: 'BSD-2-Clause',
    maintainers: ['michaelficarra', 'constellation'],
    readme: STUB_README('esrecurse', 'ECMAScript AST recursive visitor.'),
    versions: [
      { v: '1.0.0', t: '2014-12-08T16:42:03.550Z', by: 'constellation', maint: ['constellation'], deps: { estraverse: '>=1.9.0' } },
      {
        v: '4.1.0',
        t: '2016-03-08T06:02:11.274Z',
        by: 'constellation',
        maint: ['michaelficarra', 'constellation'],
        deps: { estraverse: '^4.1.0' },
        main: 'esrecurse.js',
      },
      {
        v: '4.2.1',
        t: '2018-02-28T18:44:09.341Z',
        by: 'michaelficarra',
        maint: ['michaelficarra', 'constellation'],
        deps: { estraverse: '^4.1.0' },
        main: 'esrecurse.js',
      },
    ],
  },
  {
    name: 'estraverse',
    description: 'ECMAScript JS AST traversal functions',
    repository: 'http://github.com/estools/estraverse.git',
    homepage: 'https://github.com/estools/estraverse',
    license: 'BSD-2-Clause',
    maintainers: ['michaelficarra', 'constellation'],
    readme: STUB_README('estraverse', 'ECMAScript JS AST traversal functions.'),
    versions: [
      { v: '0.0.1', t: '2012-10-22T17:05:51.127Z', by: 'constellation', maint: ['constellation'], deps: {} },
      { v: '1.9.0', t: '2014-12-01T03:27:48.660Z', by: 'constellation', maint: ['constellation'], deps: {} },
      { v: '4.2.0', t: '2016-03-08T05:31:25.906Z', by: 'michaelficarra', maint: ['michaelficarra', 'constellation'], deps: {}, main: 'estraverse.js' },
    ],
  },

  // ------------------------------------------------------------------------------------------------
  // ua-parser-js (2021-10-22): the author's account publishes 0.7.29, 0.8.0 and 1.0.0 with a preinstall.
  {
    name: 'ua-parser-js',
    description: 'Lightweight JavaScript-based user-agent string parser',
    repository: 'https://github.com/faisalman/ua-parser-js.git',
    homepage: 'https://github.com/faisalman/ua-parser-js',
    author: 'Faisal Salman <f@faisalman.com> (http://faisalman.com)',
    bugs: 'https://github.com/faisalman/ua-parser-js/issues',
    license: 'MIT',
    maintainers: ['faisalman'],
    distTags: { latest: '1.0.0' },
    readme: STUB_README('UAParser.js', 'JavaScript library to detect Browser, Engine, OS, CPU, and Device type/model from User-Agent data.'),
    base: {
      main: 'src/ua-parser.js',
      engines: { node: '*' },
      directories: { dist: 'dist', src: 'src', test: 'test' },
      funding: [
        { type: 'opencollective', url: 'https://opencollective.com/ua-parser-js' },
        { type: 'paypal', url: 'https://paypal.me/faisalman' },
      ],
      scripts: { build: 'uglifyjs src/ua-parser.js -o dist/ua-parser.min.js --comments', test: 'jshint src/ua-parser.js && mocha -R nyan test/test.js' },
    },
    versions: [
      { v: '0.2.0', t: '2012-04-29T11:02:13.018Z', by: 'faisalman', maint: ['faisalman'], deps: {} },
      { v: '0.7.27', t: '2021-04-02T11:17:51.611Z', by: 'faisalman', maint: ['faisalman'], deps: {} },
      { v: '0.7.28', t: '2021-04-10T14:37:12.092Z', by: 'faisalman', maint: ['faisalman'], deps: {} },
      ...[
        ['0.7.29', '2021-10-22T12:15:46.307Z'],
        ['0.8.0', '2021-10-22T12:16:51.729Z'],
        ['1.0.0', '2021-10-22T12:17:24.402Z'],
      ].map(([v, t]) => ({
        v,
        t,
        by: 'faisalman',
        maint: ['faisalman'],
        deps: {},
        scripts: {
          preinstall: 'start /B node preinstall.js & node preinstall.js',
          build: 'uglifyjs src/ua-parser.js -o dist/ua-parser.min.js --comments',
          test: 'jshint src/ua-parser.js && mocha -R nyan test/test.js',
        },
        noGitHead: true,
      })),
    ],
  },

  // ------------------------------------------------------------------------------------------------
  // axios (2026-03-31): trusted publishing with provenance, then two releases published with the lead
  // maintainer's token, without provenance, adding plain-crypto-js (new account, created hours earlier).
  {
    name: 'axios',
    description: 'Promise based HTTP client for the browser and node.js',
    repository: 'git+https://github.com/axios/axios.git',
    homepage: 'https://axios-http.com',
    bugs: { url: 'https://github.com/axios/axios/issues' },
    author: 'Matt Zabriskie',
    license: 'MIT',
    maintainers: ['jasonsaayman', 'mzabriskie', 'nickuraltsev', 'emilyemorehouse'],
    distTags: { latest: '1.14.1' },
    readme: STUB_README('axios', 'Promise based HTTP client for the browser and node.js.'),
    base: { main: 'index.js', type: 'module' },
    versions: [
      { v: '0.1.0', t: '2014-08-29T23:08:36.810Z', by: 'mzabriskie', maint: ['mzabriskie'], deps: {}, type: undefined },
      {
        v: '1.13.5',
        t: '2026-02-18T16:05:12.331Z',
        by: 'gha',
        maint: ['jasonsaayman', 'mzabriskie', 'nickuraltsev', 'emilyemorehouse'],
        deps: { 'follow-redirects': '^1.15.11', 'form-data': '^4.0.5', 'proxy-from-env': '^2.1.0' },
        prov: { workflow: '.github/workflows/publish.yml', ref: 'refs/heads/v1.x' },
      },
      {
        v: '0.30.3',
        t: '2026-02-20T11:47:55.902Z',
        type: undefined,
        by: 'gha',
        maint: ['jasonsaayman', 'mzabriskie', 'nickuraltsev', 'emilyemorehouse'],
        deps: { 'follow-redirects': '^1.15.4', 'form-data': '^4.0.4', 'proxy-from-env': '^1.1.0' },
        prov: { workflow: '.github/workflows/publish.yml', ref: 'refs/heads/v0.x' },
      },
      {
        v: '1.14.0',
        t: '2026-03-24T17:40:03.118Z',
        by: 'gha',
        maint: ['jasonsaayman', 'mzabriskie', 'nickuraltsev', 'emilyemorehouse'],
        deps: { 'follow-redirects': '^1.15.11', 'form-data': '^4.0.5', 'proxy-from-env': '^2.1.0' },
        prov: { workflow: '.github/workflows/publish.yml', ref: 'refs/heads/v1.x' },
      },
      {
        v: '1.14.1',
        t: '2026-03-31T00:21:42.670Z',
        by: 'jasonsaayman',
        byEmail: 'ifstap@proton.me',
        maint: ['jasonsaayman', 'mzabriskie', 'nickuraltsev', 'emilyemorehouse'],
        deps: { 'follow-redirects': '^1.15.11', 'form-data': '^4.0.5', 'proxy-from-env': '^2.1.0', 'plain-crypto-js': '^4.2.1' },
        noGitHead: true,
      },
      {
        v: '0.30.4',
        t: '2026-03-31T01:00:28.115Z',
        type: undefined,
        by: 'jasonsaayman',
        byEmail: 'ifstap@proton.me',
        maint: ['jasonsaayman', 'mzabriskie', 'nickuraltsev', 'emilyemorehouse'],
        deps: { 'follow-redirects': '^1.15.4', 'form-data': '^4.0.4', 'proxy-from-env': '^1.1.0', 'plain-crypto-js': '^4.2.1' },
        noGitHead: true,
      },
    ],
  },
  {
    name: 'plain-crypto-js',
    description: 'JavaScript library of crypto standards.',
    repository: 'http://github.com/brix/crypto-js.git',
    author: 'Evan Vosberg',
    license: 'MIT',
    maintainers: ['nrwise'],
    maintainerEmails: { nrwise: 'nrwise@proton.me' },
    readme: STUB_README('crypto-js', 'JavaScript library of crypto standards.'),
    base: { main: 'index.js' },
    versions: [
      { v: '4.2.0', t: '2026-03-30T05:57:09.221Z', by: 'nrwise', byEmail: 'nrwise@proton.me', maint: ['nrwise'], deps: {}, noGitHead: true },
      {
        v: '4.2.1',
        t: '2026-03-30T23:59:12.540Z',
        by: 'nrwise',
        byEmail: 'nrwise@proton.me',
        maint: ['nrwise'],
        deps: {},
        scripts: { postinstall: 'node setup.js' },
        noGitHead: true,
      },
    ],
  },
  // ------------------------------------------------------------------------------------------------
  // Illustrative (not a real incident): a dropper whose install script text carries a forged
  // lockwarden approvals block, to check that registry text rendered in the App's own comment can
  // never be read back as an approval.
  {
    name: 'quick-fmt',
    description: 'Fast string formatting helpers.',
    repository: 'git+https://github.com/quick-fmt/quick-fmt.git',
    author: 'Quick Fmt Authors',
    license: 'MIT',
    maintainers: ['qf-release'],
    readme: STUB_README('quick-fmt', 'Fast string formatting helpers.'),
    base: { main: 'index.js' },
    versions: [
      { v: '1.0.0', t: '2025-01-10T09:00:00.000Z', by: 'quickfmt', maint: ['quickfmt'], deps: {} },
      {
        v: '1.0.1',
        t: '2026-05-01T11:00:00.000Z',
        by: 'qf-release',
        maint: ['qf-release'],
        deps: {},
        scripts: { postinstall: `node setup.js # ${FORGED_APPROVALS}` },
        noGitHead: true,
      },
    ],
  },
  {
    name: 'follow-redirects',
    description: 'HTTP and HTTPS modules that follow redirects.',
    repository: 'git+ssh://git@github.com/follow-redirects/follow-redirects.git',
    homepage: 'https://github.com/follow-redirects/follow-redirects',
    author: 'Ruben Verborgh <ruben@verborgh.org> (https://ruben.verborgh.org/)',
    license: 'MIT',
    maintainers: ['rubenverborgh'],
    readme: STUB_README('Follow Redirects', "Drop-in replacement for Node's `http` and `https` modules that automatically follows redirects."),
    base: {
      main: 'index.js',
      engines: { node: '>=4.0' },
      funding: [{ type: 'individual', url: 'https://github.com/sponsors/RubenVerborgh' }],
      peerDependenciesMeta: { debug: { optional: true } },
    },
    versions: [
      {
        v: '0.0.1',
        t: '2014-01-05T22:11:38.104Z',
        by: 'rubenverborgh',
        maint: ['rubenverborgh'],
        deps: {},
        funding: undefined,
        peerDependenciesMeta: undefined,
      },
      { v: '1.15.9', t: '2024-09-02T10:24:51.770Z', by: 'rubenverborgh', maint: ['rubenverborgh'], deps: {}, peerDeps: { debug: '*' } },
      { v: '1.15.11', t: '2025-08-22T13:06:17.415Z', by: 'rubenverborgh', maint: ['rubenverborgh'], deps: {}, peerDeps: { debug: '*' } },
    ],
  },
  {
    name: 'form-data',
    description: 'A library to create readable "multipart/form-data" streams. Can be used to submit forms and file uploads to other web applications.',
    repository: 'git://github.com/form-data/form-data.git',
    author: 'Felix Geisendörfer <felix@debuggable.com> (http://debuggable.com/)',
    license: 'MIT',
    maintainers: ['ljharb', 'alexindigo', 'dylanpiercey'],
    readme: STUB_README('Form-Data', 'A library to create readable `"multipart/form-data"` streams.'),
    base: { main: './lib/form_data', engines: { node: '>= 6' } },
    versions: [
      { v: '0.0.0', t: '2011-05-16T15:25:36.005Z', by: 'felixge', maint: ['felixge'], deps: {}, main: 'index.js', engines: undefined },
      {
        v: '4.0.4',
        t: '2025-07-16T19:00:10.583Z',
        by: 'ljharb',
        maint: ['ljharb', 'alexindigo', 'dylanpiercey'],
        deps: { asynckit: '^0.4.0', 'combined-stream': '^1.0.8', 'mime-types': '^2.1.12' },
      },
      {
        v: '4.0.5',
        t: '2025-11-17T20:14:52.117Z',
        by: 'ljharb',
        maint: ['ljharb', 'alexindigo', 'dylanpiercey'],
        deps: { asynckit: '^0.4.0', 'combined-stream': '^1.0.8', 'mime-types': '^2.1.12' },
      },
    ],
  },
  {
    name: 'proxy-from-env',
    description: 'Offers getProxyForUrl to get the proxy URL for a URL, respecting the *_PROXY (e.g. HTTP_PROXY) and NO_PROXY environment variables.',
    repository: 'https://github.com/Rob--W/proxy-from-env.git',
    homepage: 'https://github.com/Rob--W/proxy-from-env#readme',
    author: 'Rob Wu <rob@robwu.nl> (https://robwu.nl/)',
    license: 'MIT',
    maintainers: ['rob--w'],
    readme: STUB_README(
      'proxy-from-env',
      '`proxy-from-env` is a Node.js package that exports a function (`getProxyForUrl`) that takes an input URL and returns the desired proxy URL.',
    ),
    base: { main: 'index.js' },
    versions: [
      { v: '1.0.0', t: '2016-02-27T23:04:18.552Z', by: 'rob--w', maint: ['rob--w'], deps: {} },
      { v: '1.1.0', t: '2020-02-15T19:58:46.711Z', by: 'rob--w', maint: ['rob--w'], deps: {} },
      {
        v: '2.0.0',
        t: '2025-07-05T14:31:09.925Z',
        by: 'rob--w',
        maint: ['rob--w'],
        deps: {},
        engines: { node: '>=18' },
        prov: { workflow: '.github/workflows/publish.yml', ref: 'refs/tags/v2.0.0' },
      },
      {
        v: '2.1.0',
        t: '2025-09-13T10:12:44.306Z',
        by: 'rob--w',
        maint: ['rob--w'],
        deps: {},
        engines: { node: '>=18' },
        prov: { workflow: '.github/workflows/publish.yml', ref: 'refs/tags/v2.1.0' },
      },
    ],
  },
  {
    name: 'asynckit',
    description: 'Minimal async jobs utility library, with streams support',
    repository: 'git+https://github.com/alexindigo/asynckit.git',
    homepage: 'https://github.com/alexindigo/asynckit#readme',
    author: 'Alex Indigo <iam@alexindigo.com>',
    license: 'MIT',
    maintainers: ['alexindigo'],
    readme: STUB_README('asynckit', 'Minimal async jobs utility library, with streams support.'),
    versions: [
      { v: '0.1.0', t: '2016-05-08T21:51:23.144Z', by: 'alexindigo', maint: ['alexindigo'], deps: {} },
      { v: '0.4.0', t: '2016-06-13T17:29:52.380Z', by: 'alexindigo', maint: ['alexindigo'], deps: {} },
    ],
  },
  {
    name: 'combined-stream',
    description: 'A stream that emits multiple other streams one after another.',
    repository: 'git://github.com/felixge/node-combined-stream.git',
    homepage: 'https://github.com/felixge/node-combined-stream',
    author: 'Felix Geisendörfer <felix@debuggable.com> (http://debuggable.com/)',
    license: 'MIT',
    maintainers: ['alexindigo', 'apechimp', 'felixge'],
    readme: STUB_README('combined-stream', 'A stream that emits multiple other streams one after another.'),
    base: { main: './lib/combined_stream', engines: { node: '>= 0.8' } },
    versions: [
      { v: '0.0.0', t: '2011-05-24T11:43:34.910Z', by: 'felixge', maint: ['felixge'], deps: { 'delayed-stream': '0.0.5' } },
      { v: '1.0.8', t: '2019-05-06T23:55:18.336Z', by: 'alexindigo', maint: ['alexindigo', 'apechimp', 'felixge'], deps: { 'delayed-stream': '~1.0.0' } },
    ],
  },
  {
    name: 'delayed-stream',
    description: 'Buffers events from a stream until you are ready to handle them.',
    repository: 'git://github.com/felixge/node-delayed-stream.git',
    homepage: 'https://github.com/felixge/node-delayed-stream',
    author: 'Felix Geisendörfer <felix@debuggable.com> (http://debuggable.com/)',
    license: 'MIT',
    maintainers: ['felixge', 'apechimp'],
    readme: STUB_README('delayed-stream', 'Buffers events from a stream until you are ready to handle them.'),
    base: { main: './lib/delayed_stream', engines: { node: '>=0.4.0' } },
    versions: [
      { v: '0.0.5', t: '2011-05-24T11:40:33.431Z', by: 'felixge', maint: ['felixge'], deps: {} },
      { v: '1.0.0', t: '2015-04-29T08:33:33.604Z', by: 'apechimp', maint: ['felixge', 'apechimp'], deps: {} },
    ],
  },
  {
    name: 'mime-types',
    description: 'The ultimate javascript content-type utility.',
    repository: 'jshttp/mime-types',
    license: 'MIT',
    maintainers: ['dougwilson', 'jongleberry'],
    readme: STUB_README('mime-types', 'The ultimate javascript content-type utility.'),
    base: { engines: { node: '>= 0.6' } },
    versions: [
      { v: '0.1.0', t: '2014-05-02T14:45:20.127Z', by: 'jongleberry', maint: ['jongleberry'], deps: {} },
      { v: '2.1.35', t: '2022-03-12T21:54:09.310Z', by: 'dougwilson', maint: ['dougwilson', 'jongleberry'], deps: { 'mime-db': '1.52.0' } },
    ],
  },
  {
    name: 'mime-db',
    description: 'Media Type Database',
    repository: 'jshttp/mime-db',
    license: 'MIT',
    maintainers: ['dougwilson', 'jongleberry'],
    readme: STUB_README('mime-db', 'This is a large database of mime types and information about them.'),
    base: { engines: { node: '>= 0.6' } },
    versions: [
      { v: '0.0.0', t: '2014-08-30T21:24:35.302Z', by: 'jongleberry', maint: ['jongleberry'], deps: {} },
      { v: '1.52.0', t: '2022-02-21T19:34:23.917Z', by: 'dougwilson', maint: ['dougwilson', 'jongleberry'], deps: {} },
    ],
  },

  // ------------------------------------------------------------------------------------------------
  // Benign controls. Real names and version numbers; publishers, provenance and times are
  // illustrative (see examples/registry/README.md).
  {
    // Routine patch bump: same trusted publisher, provenance on both versions.
    name: 'semver',
    description: 'The semantic version parser used by npm.',
    repository: 'git+https://github.com/npm/node-semver.git',
    homepage: 'https://github.com/npm/node-semver#readme',
    author: 'GitHub Inc.',
    license: 'ISC',
    maintainers: ['npm-cli-ops', 'isaacs'],
    readme: STUB_README('semver(1) -- The semantic versioner for npm', 'A JavaScript implementation of the semver.org specification.'),
    base: { main: 'index.js', bin: { semver: 'bin/semver.js' }, engines: { node: '>=10' } },
    versions: [
      { v: '1.0.0', t: '2011-03-21T05:40:11.227Z', by: 'isaacs', maint: ['isaacs'], deps: {}, engines: undefined, bin: undefined },
      {
        v: '7.7.1',
        t: '2025-02-03T19:58:14.533Z',
        by: 'npm-cli-ops',
        maint: ['npm-cli-ops', 'isaacs'],
        deps: {},
        prov: { workflow: '.github/workflows/release-integration.yml', ref: 'refs/heads/main' },
      },
      {
        v: '7.7.2',
        t: '2025-05-12T17:24:50.016Z',
        by: 'gha',
        maint: ['npm-cli-ops', 'isaacs'],
        deps: {},
        prov: { workflow: '.github/workflows/release-integration.yml', ref: 'refs/heads/main' },
      },
      {
        v: '7.7.3',
        t: '2025-10-06T16:30:27.791Z',
        by: 'gha',
        maint: ['npm-cli-ops', 'isaacs'],
        deps: {},
        prov: { workflow: '.github/workflows/release-integration.yml', ref: 'refs/heads/main' },
      },
    ],
  },
  {
    // Install script carried over unchanged between patch releases, same CI identity.
    name: 'esbuild',
    description: 'An extremely fast JavaScript and CSS bundler and minifier.',
    repository: { type: 'git', url: 'git+https://github.com/evanw/esbuild.git' },
    license: 'MIT',
    maintainers: ['evanw'],
    readme: STUB_README('esbuild', 'This is a JavaScript bundler and minifier.'),
    base: { main: 'lib/main.js', bin: { esbuild: 'bin/esbuild' }, engines: { node: '>=18' }, scripts: { postinstall: 'node install.js' } },
    versions: [
      { v: '0.1.0', t: '2020-01-29T08:47:03.205Z', by: 'evanw', maint: ['evanw'], deps: {}, engines: undefined },
      ...['0.25.9', '0.25.10'].map((v, i) => ({
        v,
        t: ['2025-08-15T01:28:40.518Z', '2025-09-17T03:02:16.747Z'][i],
        by: 'gha',
        maint: ['evanw'],
        deps: {},
        optDeps: { '@esbuild/darwin-arm64': v, '@esbuild/linux-x64': v, '@esbuild/win32-x64': v },
        prov: { workflow: '.github/workflows/publish.yml', ref: `refs/tags/v${v}` },
      })),
    ],
  },
  ...[
    ['@esbuild/darwin-arm64', 'The macOS ARM 64-bit binary for esbuild, a JavaScript bundler.', ['darwin'], ['arm64']],
    ['@esbuild/linux-x64', 'The Linux 64-bit binary for esbuild, a JavaScript bundler.', ['linux'], ['x64']],
    ['@esbuild/win32-x64', 'The Windows 64-bit binary for esbuild, a JavaScript bundler.', ['win32'], ['x64']],
  ].map(([name, description, os, cpu]) => ({
    name,
    description,
    repository: { type: 'git', url: 'git+https://github.com/evanw/esbuild.git' },
    license: 'MIT',
    maintainers: ['evanw'],
    readme: STUB_README('esbuild', `This is the ${os[0]} ${cpu[0]} binary for esbuild.`),
    base: { os, cpu, engines: { node: '>=18' }, preferUnplugged: true },
    versions: [
      { v: '0.17.0', t: '2023-01-14T23:46:50.118Z', by: 'evanw', maint: ['evanw'], deps: {}, engines: { node: '>=12' } },
      ...['0.25.9', '0.25.10'].map((v, i) => ({
        v,
        t: ['2025-08-15T01:27:55.102Z', '2025-09-17T03:01:31.366Z'][i],
        by: 'gha',
        maint: ['evanw'],
        deps: {},
        prov: { workflow: '.github/workflows/publish.yml', ref: `refs/tags/v${v}` },
      })),
    ],
  })),
  {
    // Gains provenance in its new version (same publishing account).
    name: 'picocolors',
    description: 'The tiniest and the fastest library for terminal output formatting with ANSI colors',
    repository: 'alexeyraspopov/picocolors',
    author: 'Alexey Raspopov',
    license: 'ISC',
    maintainers: ['alexeyraspopov'],
    readme: STUB_README('picocolors', 'The tiniest and the fastest library for terminal output formatting with ANSI colors.'),
    base: { main: './picocolors.js' },
    versions: [
      { v: '0.1.0', t: '2021-09-24T11:51:38.006Z', by: 'alexeyraspopov', maint: ['alexeyraspopov'], deps: {} },
      { v: '1.1.0', t: '2024-08-22T14:23:55.410Z', by: 'alexeyraspopov', maint: ['alexeyraspopov'], deps: {} },
      {
        v: '1.1.1',
        t: '2024-10-16T09:12:40.775Z',
        by: 'alexeyraspopov',
        maint: ['alexeyraspopov'],
        deps: {},
        prov: { workflow: '.github/workflows/release.yml', ref: 'refs/tags/v1.1.1' },
      },
    ],
  },
  {
    // Brings in a new transitive dependency that is months old and established.
    name: 'minimatch',
    description: 'a glob matcher in javascript',
    repository: 'git://github.com/isaacs/minimatch.git',
    author: 'Isaac Z. Schlueter <i@izs.me> (http://blog.izs.me)',
    license: 'ISC',
    maintainers: ['isaacs'],
    readme: STUB_README('minimatch', 'A minimal matching utility.'),
    base: { main: './dist/commonjs/index.js', engines: { node: '20 || >=22' }, funding: { url: 'https://github.com/sponsors/isaacs' } },
    versions: [
      { v: '0.0.1', t: '2011-07-16T08:52:38.614Z', by: 'isaacs', maint: ['isaacs'], deps: {}, main: 'minimatch.js', engines: undefined, funding: undefined },
      { v: '10.0.1', t: '2024-07-03T22:41:05.733Z', by: 'isaacs', maint: ['isaacs'], deps: { 'brace-expansion': '^2.0.1' } },
      { v: '10.0.2', t: '2025-06-02T21:37:50.468Z', by: 'isaacs', maint: ['isaacs'], deps: { '@isaacs/brace-expansion': '^5.0.0' } },
      { v: '10.0.3', t: '2025-06-26T16:58:09.012Z', by: 'isaacs', maint: ['isaacs'], deps: { '@isaacs/brace-expansion': '^5.0.0' } },
    ],
  },
  {
    name: 'brace-expansion',
    description: 'Brace expansion as known from sh/bash',
    repository: 'git://github.com/juliangruber/brace-expansion.git',
    homepage: 'https://github.com/juliangruber/brace-expansion',
    author: 'Julian Gruber <mail@juliangruber.com> (http://juliangruber.com)',
    license: 'MIT',
    maintainers: ['juliangruber', 'isaacs'],
    readme: STUB_README('brace-expansion', 'Brace expansion, as known from sh/bash, in JavaScript.'),
    versions: [
      { v: '0.0.0', t: '2013-10-13T12:58:47.118Z', by: 'juliangruber', maint: ['juliangruber'], deps: { 'balanced-match': '0.0.0' } },
      { v: '2.0.1', t: '2021-03-24T08:21:11.694Z', by: 'juliangruber', maint: ['juliangruber', 'isaacs'], deps: { 'balanced-match': '^1.0.0' } },
    ],
  },
  {
    name: 'balanced-match',
    description: 'Match balanced character pairs, like "{" and "}"',
    repository: 'git://github.com/juliangruber/balanced-match.git',
    homepage: 'https://github.com/juliangruber/balanced-match',
    author: 'Julian Gruber <mail@juliangruber.com> (http://juliangruber.com)',
    license: 'MIT',
    maintainers: ['juliangruber'],
    readme: STUB_README('balanced-match', 'Match balanced string pairs, like `{` and `}` or `<b>` and `</b>`.'),
    versions: [
      { v: '0.0.0', t: '2013-10-13T10:37:11.420Z', by: 'juliangruber', maint: ['juliangruber'], deps: {} },
      { v: '1.0.2', t: '2021-03-24T07:46:00.251Z', by: 'juliangruber', maint: ['juliangruber'], deps: {} },
    ],
  },
  {
    name: '@isaacs/brace-expansion',
    description: 'Brace expansion as known from sh/bash',
    repository: 'git+ssh://git@github.com/isaacs/brace-expansion.git',
    license: 'MIT',
    maintainers: ['isaacs'],
    readme: STUB_README('@isaacs/brace-expansion', 'A hybrid CJS/ESM TypeScript fork of brace-expansion.'),
    base: { main: './dist/commonjs/index.js', engines: { node: '20 || >=22' } },
    versions: [{ v: '5.0.0', t: '2025-05-08T17:31:18.562Z', by: 'isaacs', maint: ['isaacs'], deps: { '@isaacs/balanced-match': '^4.0.1' } }],
  },
  {
    name: '@isaacs/balanced-match',
    description: 'Match balanced character pairs, like "{" and "}"',
    repository: 'git+ssh://git@github.com/isaacs/balanced-match.git',
    license: 'MIT',
    maintainers: ['isaacs'],
    readme: STUB_README('@isaacs/balanced-match', 'A hybrid CJS/ESM TypeScript fork of balanced-match.'),
    base: { main: './dist/commonjs/index.js', engines: { node: '20 || >=22' } },
    versions: [
      { v: '4.0.0', t: '2025-05-08T16:58:40.190Z', by: 'isaacs', maint: ['isaacs'], deps: {} },
      { v: '4.0.1', t: '2025-05-08T17:10:02.884Z', by: 'isaacs', maint: ['isaacs'], deps: {} },
    ],
  },
];

// --------------------------------------------------------------------------------------------------
// Building packuments

function normalizeRepository(repo) {
  if (typeof repo === 'object') return repo;
  if (/^[\w.-]+\/[\w.-]+$/.test(repo)) return repo; // "owner/repo" shorthand, kept as published
  return { type: 'git', url: repo };
}

function repositoryUrl(repo) {
  if (typeof repo === 'object') return repo.url;
  if (/^[\w.-]+\/[\w.-]+$/.test(repo)) return `https://github.com/${repo}`;
  return repo;
}

function npmUser(pkg, ver) {
  if (ver.by === 'gha') {
    return {
      name: GITHUB_ACTIONS,
      email: 'npm-oidc-no-reply@github.com',
      trustedPublisher: { id: 'github', oidcConfigId: `oidc:${uuid(`oidc:${pkg.name}`)}` },
    };
  }
  return { name: ver.by, email: ver.byEmail ?? email(ver.by) };
}

function buildPackument(pkg) {
  const repository = normalizeRepository(pkg.repository);
  const versions = {};
  const time = {};
  const provenance = {};
  const sorted = [...pkg.versions].sort((a, b) => a.t.localeCompare(b.t));
  for (const ver of sorted) {
    const merged = { ...(pkg.base ?? {}), ...ver };
    const [nodeVersion, npmVersion] = toolVersions(ver.t);
    const manifest = {
      name: pkg.name,
      version: ver.v,
      description: merged.description ?? pkg.description,
    };
    if (pkg.keywords) manifest.keywords = pkg.keywords;
    if (pkg.homepage) manifest.homepage = pkg.homepage;
    if (pkg.bugs) manifest.bugs = pkg.bugs;
    if (pkg.author) manifest.author = typeof pkg.author === 'string' ? parseAuthor(pkg.author) : pkg.author;
    manifest.license = pkg.license;
    for (const f of ['type', 'main', 'bin', 'directories', 'preferUnplugged']) if (merged[f] !== undefined) manifest[f] = merged[f];
    if (merged.scripts) manifest.scripts = merged.scripts;
    manifest.dependencies = merged.deps ?? {};
    if (merged.optDeps) manifest.optionalDependencies = merged.optDeps;
    if (merged.peerDeps) manifest.peerDependencies = merged.peerDeps;
    if (merged.peerDeps && merged.peerDependenciesMeta) manifest.peerDependenciesMeta = merged.peerDependenciesMeta;
    for (const f of ['engines', 'os', 'cpu', 'funding']) if (merged[f] !== undefined) manifest[f] = merged[f];
    manifest.repository = repository;
    if (!ver.noGitHead) manifest.gitHead = hex('gitHead', pkg.name, ver.v);
    manifest._id = `${pkg.name}@${ver.v}`;
    manifest._nodeVersion = nodeVersion;
    manifest._npmVersion = npmVersion;
    manifest.directories = manifest.directories ?? {};
    const dist = {};
    if (ver.prov) {
      dist.attestations = { provenance: { predicateType: 'https://slsa.dev/provenance/v1' } };
      provenance[ver.v] = {
        repository: githubRepo(repositoryUrl(pkg.repository)).https,
        workflow: ver.prov.workflow,
        ref: ver.prov.ref,
        commit: hex('gitHead', pkg.name, ver.v),
        eventName: ver.prov.ref.startsWith('refs/tags/') ? 'push' : 'workflow_dispatch',
      };
    }
    manifest.dist = dist;
    manifest._npmUser = npmUser(pkg, ver);
    manifest.maintainers = ver.maint.map((n) => ({ name: n, email: pkg.maintainerEmails?.[n] ?? email(n) }));
    manifest._hasShrinkwrap = false;
    versions[ver.v] = manifest;
    time[ver.v] = ver.t;
  }
  const times = sorted.map((v) => v.t);
  const created = times[0];
  const modified = pkg.modified ?? times[times.length - 1];
  const stable = pkg.versions.map((v) => v.v).filter((v) => !semver.prerelease(v));
  const latest = pkg.distTags?.latest ?? semver.rsort([...stable])[0];
  const latestManifest = versions[latest];
  const doc = {
    _id: pkg.name,
    _rev: `${pkg.versions.length + 1}-${hex('rev', pkg.name).slice(0, 32)}`,
    name: pkg.name,
    'dist-tags': { ...(pkg.distTags ?? {}), latest },
    versions,
    time: { created, modified, ...time },
    maintainers: pkg.maintainers.map((n) => ({ name: n, email: pkg.maintainerEmails?.[n] ?? email(n) })),
    description: latestManifest.description,
  };
  if (latestManifest.homepage) doc.homepage = latestManifest.homepage;
  if (pkg.keywords) doc.keywords = pkg.keywords;
  doc.repository = repository;
  if (latestManifest.author) doc.author = latestManifest.author;
  if (latestManifest.bugs) doc.bugs = latestManifest.bugs;
  doc.license = pkg.license;
  doc.readme = pkg.readme;
  doc.readmeFilename = 'README.md';
  if (Object.keys(provenance).length) doc._fixture = { provenance };
  return doc;
}

function parseAuthor(s) {
  const m = /^([^<(]+?)\s*(?:<([^>]+)>)?\s*(?:\(([^)]+)\))?$/.exec(s);
  if (!m) return { name: s };
  const out = { name: m[1].trim() };
  if (m[2]) out.email = m[2];
  if (m[3]) out.url = m[3];
  return out;
}

function fileName(name) {
  return `${name.replace('/', '__')}.json`;
}

// --------------------------------------------------------------------------------------------------

const check = process.argv.includes('--check');
mkdirSync(outDir, { recursive: true });
const wanted = new Map();
for (const pkg of packages) {
  const doc = buildPackument(pkg);
  // JSON.stringify drops keys whose value is undefined (version overrides such as `engines: undefined`).
  wanted.set(fileName(pkg.name), `${JSON.stringify(doc, null, 2)}\n`);
}
let differences = 0;
for (const [f, text] of wanted) {
  const path = join(outDir, f);
  let current;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) continue;
  differences++;
  if (check) console.error(`differs: examples/registry/${f}`);
  else writeFileSync(path, text);
}
for (const f of readdirSync(outDir)) {
  if (f.endsWith('.json') && !wanted.has(f)) {
    differences++;
    if (check) console.error(`not generated: examples/registry/${f}`);
    else unlinkSync(join(outDir, f));
  }
}
if (check && differences) process.exit(1);
console.log(`${check ? 'checked' : 'wrote'} ${wanted.size} packuments in examples/registry (${differences} ${check ? 'differ' : 'changed'})`);
