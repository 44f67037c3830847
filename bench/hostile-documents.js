#!/usr/bin/env node
// Wall time and peak RSS of one review against a hostile packument served by a 127.0.0.1 registry
// (issue 10, item 10). `node bench/hostile-documents.js <document> [supportDistDir]`; the documents are those
// of test/security (test-support/hostile-packuments.ts), the last one with 50,000 versions.
// Prints one JSON line. The documents are generated as streams, never held whole.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// The compiled test support (npm run build:support): it carries its own copy of the review it calls.
const dist = path.resolve(process.argv[3] ?? path.join(here, '..', 'dist-support'));
const { hostilePackuments } = await import(pathToFileURL(path.join(dist, 'test-support/hostile-packuments.js')).href);
const { reviewAgainst, startHostileRegistry } = await import(pathToFileURL(path.join(dist, 'test-support/hostile-registry.js')).href);

const docs = hostilePackuments(50_000);
const name = process.argv[2];
const doc = docs.find((d) => d.key === name);
if (!doc) {
  console.error(`usage: hostile-documents.js <${docs.map((d) => d.key).join('|')}> [supportDistDir]`);
  process.exit(2);
}

// `serve` mode: the registry runs in a child process, so the parent's peak RSS is the review's alone
if (process.argv[4] === 'serve') {
  const server = await startHostileRegistry({ bloat: doc.body });
  process.send?.(server.url);
} else {
  const child = fork(fileURLToPath(import.meta.url), [name, dist, 'serve']);
  const url = await new Promise((r) => child.once('message', r));
  try {
    const t0 = Date.now();
    const r = await reviewAgainst(url, [{ name: 'bloat', version: '1.0.0' }], [{ name: 'bloat', version: '1.0.1' }]);
    console.log(
      JSON.stringify({
        document: name,
        wallMs: Date.now() - t0,
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        conclusion: r.conclusion,
        findings: r.changes.flatMap((c) => c.findings.map((f) => f.signal)),
        incomplete: r.incomplete.map((i) => `${i.failClosed ? '[failClosed] ' : ''}${i.reason}`),
        notes: r.notes.map((n) => n.message),
      }),
    );
  } finally {
    child.kill();
  }
}
