// Measures a LiteLLM-shaped Python review (two 7.6 MB wheels): bytes fetched for contents by RECORD + ranges vs whole,
// wall time, peak RSS. Run after `npm run build && npm run build:support`: node tools/python-contents/measure.mjs
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const here = new URL('../../', import.meta.url).pathname;
const root = `${here}dist-support`;
const { review } = await import(`${here}dist/core/review.js`);
const { defaultConfig } = await import(`${here}dist/policy/index.js`);
const { createPypiIndexClient, createPypiIndexConfig } = await import(`${here}dist/registry/index.js`);
const { startFixtureIndex } = await import(`${root}/test-support/fixture-index.js`);

const mod = (p, n) => Array.from({ length: n }, (_, i) => `def ${p}_${i}(value):\n    result = str(value).strip()\n    return result if len(result) > ${i} else ''\n`).join('\n');
const proxy = mod('handler', 2500); // ~250 KB, like the real proxy_server.py
const blob = Buffer.from('print("defanged payload")\n'.repeat(80)).toString('base64');
const payload = `import base64\nexec(base64.b64decode("${blob}"))\n`;
const others = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`litellm/mod_${i}.py`, mod(`m${i}`, 80)]));
const rel = (t, members) => ({ upload_time: t, provenance: null, files: [{ wheel: 'py3-none-any', extra_members: members, padding_bytes: 7_500_000, padding_seed: 's' }] });
const doc = {
  name: 'litellm', summary: 'x', ownership: { roles: [{ role: 'Owner', user: 'm' }], organization: null },
  releases: {
    '1.82.6': rel('2026-03-10T10:00:00Z', { ...others, 'litellm/proxy/proxy_server.py': proxy }),
    '1.82.7': rel('2026-03-12T10:00:00Z', { ...others, 'litellm/proxy/proxy_server.py': payload + proxy }),
  },
};
const dir = await mkdtemp(join(tmpdir(), 'pyc-m-'));
await writeFile(join(dir, 'litellm.json'), JSON.stringify(doc));
const index = await startFixtureIndex({ dir });
const lock = (v) => {
  const r = index.projects.get('litellm').releases.find((x) => x.version === v);
  return `[[package]]\nname = "litellm"\nversion = "${v}"\ndescription = ""\noptional = false\npython-versions = ">=3.8"\nfiles = [\n${r.files.map((f) => `    {file = "${f.filename}", hash = "sha256:${f.sha256}"},`).join('\n')}\n]\n\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\ncontent-hash = "${'0'.repeat(64)}"\n`;
};
const npm = { getPackument: async () => { throw new Error('no'); }, getProvenance: async () => null, stats: () => ({ requests: 0, packumentRequests: 0, cacheHits: 0, notModified: 0, retries: 0 }), review: () => npm };
const sizes = index.projects.get('litellm').releases.reduce((n, r) => n + r.files[0].bytes.length, 0);
for (const [label, opts] of [['ranged (default)', {}], ['whole (wholeWheelBytes 64 MiB)', { wholeWheelBytes: 64 * 1024 * 1024 }], ['content off', null]]) {
  index.requests.length = 0;
  const pypi = createPypiIndexClient({ config: createPypiIndexConfig({ indexUrl: index.simpleUrl }), ...(opts ?? {}) });
  const config = defaultConfig();
  if (opts === null) config.content.enabled = false;
  const t0 = performance.now();
  const r = await review([{ file: 'poetry.lock', base: lock('1.82.6'), head: lock('1.82.7') }], { registry: npm, pypi, now: new Date('2026-03-24T14:00:00Z'), config });
  const ms = performance.now() - t0;
  const whl = index.requests.filter((q) => q.path.endsWith('.whl'));
  const f = r.changes[0].findings.filter((x) => ['new-capability', 'obfuscated-code'].includes(x.signal)).map((x) => `${x.signal}:${x.severity}:${x.evidence.file}`);
  console.log(JSON.stringify({ label, conclusion: r.conclusion, wheelsBytes: sizes, wheelRequests: whl.length, wheelBytesFetched: whl.reduce((n, q) => n + q.bytes, 0), ms: Math.round(ms), findings: f, note: r.notes.find((n) => n.kind === 'content-compared')?.message }));
}
console.log(JSON.stringify({ maxRSS_MB: Math.round(process.resourceUsage().maxRSS / 1024) }));
await index.close();
