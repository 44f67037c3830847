/**
 * A flagged package's "files changed" block: a collapsed list of its added, removed and changed files
 * with their sizes, 30 at most and the rest counted, every path escaped; the JSON carries the same list.
 */
import { review, type LockfileInput } from '../../src/core/review.js';
import { defaultConfig } from '../../src/policy/index.js';
import { createNpmRegistryClient } from '../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../src/registry/npmrc.js';
import { render } from '../../src/report/index.js';
import { filesChangedMarkdown } from '../../src/report/files-changed.js';
import { manifest, obfuscatedIife, readableModule } from '../content/builders.js';
import { startArchiveRegistry, type ArchiveRegistry } from '../registry/contents/archive-registry.js';

const INDEX = readableModule('style', 20);
const HOSTILE = 'lib/x`y|z</details><!-- -->.js';
let reg: ArchiveRegistry;

beforeAll(async () => {
  const files = (v: string) => Array.from({ length: 40 }, (_, i) => ({ path: `package/lib/m${i}.js`, content: `// ${v}\nmodule.exports = ${i};\n` }));
  reg = await startArchiveRegistry({
    'files-lib': {
      '2.0.0': {
        manifest: { main: 'index.js' },
        packageJson: JSON.parse(manifest('files-lib', '2.0.0')),
        files: [{ path: 'package/index.js', content: INDEX }, ...files('a')],
      },
      '2.0.1': {
        manifest: { main: 'index.js' },
        packageJson: JSON.parse(manifest('files-lib', '2.0.1')),
        files: [
          { path: 'package/index.js', content: `${INDEX}${obfuscatedIife(['fetch', 'ethereum'])}window.fetch=function(){};\n` },
          ...files('b'),
          { path: `package/${HOSTILE}`, content: 'module.exports = 1;\n' },
        ],
      },
    },
  });
});
afterAll(() => reg.close());

function lock(v: string): string {
  const packages = {
    '': { name: 'app', version: '0.0.0', dependencies: { 'files-lib': '^2.0.0' } },
    'node_modules/files-lib': { version: v, resolved: `${reg.url}files-lib/-/files-lib-${v}.tgz`, integrity: reg.integrity('files-lib', v) },
  };
  return JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages });
}

describe('files changed, per flagged package', () => {
  it('is a collapsed list of 30 files with sizes and a count of the rest, paths escaped; JSON has the list', async () => {
    const inputs: LockfileInput[] = [{ file: 'package-lock.json', base: lock('2.0.0'), head: lock('2.0.1') }];
    const registry = createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: reg.url }), retries: 0 });
    const r = await review(inputs, { registry, now: new Date('2024-01-01T00:00:00Z'), config: defaultConfig() });
    expect(r.conclusion).toBe('failure');
    const md = render(r, 'markdown');
    const block = md.slice(md.indexOf('<details><summary>files changed: 1 added, 0 removed, 42 changed'));
    expect(block).not.toBe(md);
    const body = block.slice(0, block.indexOf('\n</details>'));
    const rows = body.split('\n').filter((l) => l.startsWith('- '));
    expect(rows).toHaveLength(31);
    expect(rows[0]).toMatch(/^- `index\.js` changed, \d+ → \d+ bytes$/);
    expect(rows.at(-1)).toBe('- and 13 more');
    // the hostile path stays inside its code span: no line of the block is HTML, no comment opens
    expect(
      body
        .split('\n')
        .slice(1)
        .filter((l) => l !== '' && !l.startsWith('- ')),
    ).toEqual([]);
    expect(rows).toContain('- ``lib/x`y\\|z</details><\u200d!-- --\u200d>.js`` added, 20 bytes');
    expect(body).not.toContain('<!--');
    const json = JSON.parse(render(r, 'json')) as { changes: Array<{ findings: Array<{ evidence: { filesChanged?: { files: unknown[] } } }> }> };
    const files = json.changes[0]!.findings.find((f) => f.evidence.filesChanged)!.evidence.filesChanged!.files;
    expect(files).toHaveLength(30);
    expect(files[0]).toEqual({ path: 'index.js', status: 'changed', bytesBefore: expect.any(Number), bytesAfter: expect.any(Number) });
  });

  it('escapes a path that tries to end the block', () => {
    const evidence = {
      filesChanged: {
        added: 1,
        removed: 0,
        changed: 0,
        bytesBefore: 0,
        bytesAfter: 5,
        files: [{ path: HOSTILE, status: 'added', bytesBefore: 0, bytesAfter: 5 }],
      },
    };
    const md = filesChangedMarkdown([{ evidence }])!;
    expect(md.split('\n').filter((l) => l.startsWith('<'))).toEqual([expect.stringMatching(/^<details><summary>files changed: 1 added/), '</details>']);
    expect(md).toContain('- ``lib/x`y\\|z</details><\u200d!-- --\u200d>.js`` added, 5 bytes');
    expect(filesChangedMarkdown([{ evidence: { filesChanged: 'nonsense' } }])).toBeNull();
  });
});
