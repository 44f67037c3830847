/**
 * The pure folders (src/lockfiles, diff, signals, policy, report, model, versions, readers, archives,
 * and src/errors.ts) import no edge (registry, github, cli, core, demo), nothing outside src/, and no
 * I/O module. Allowed built-ins: node:crypto (hashes), node:buffer (bytes) and node:util (text helpers),
 * which compute without I/O; node:zlib only in src/archives (inflating archives held in memory).
 * Rules: test/architecture/import-rules.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkFile, formatViolation, PURE } from './import-rules.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** Repository-relative paths of the .ts files under `dir` (recursive). */
function tsFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(root, rel)).isDirectory()) return tsFiles(rel);
    return name.endsWith('.ts') ? [rel] : [];
  });
}

/** Every file of a pure part: a folder's .ts files, or the top-level file `src/<part>.ts`. */
function pureFiles(part: string): string[] {
  const dir = `src/${part}`;
  try {
    if (statSync(path.join(root, dir)).isDirectory()) return tsFiles(dir);
  } catch {
    // not a folder: a top-level file
  }
  return [`${dir}.ts`].filter((f) => statSync(path.join(root, f), { throwIfNoEntry: false })?.isFile());
}

describe('pure folders', () => {
  it('import no edge, nothing outside src/, no I/O module and only pure packages', () => {
    const violations: string[] = [];
    for (const part of Object.keys(PURE)) {
      const files = pureFiles(part);
      // a renamed or moved folder must not make this test pass by checking nothing
      expect({ part, files: files.length > 0 }).toEqual({ part, files: true });
      for (const file of files) violations.push(...checkFile(file, readFileSync(path.join(root, file), 'utf8')).map(formatViolation));
    }
    expect(violations).toEqual([]);
  });
});

describe('the import check', () => {
  const file = 'src/signals/synthetic.ts';

  it('names file, line and specifier of each forbidden import', () => {
    const text = [
      "import type { Finding } from '../model/index.js';", // 1: allowed
      "import { readFileSync } from 'node:fs';", // 2
      'import type {', // 3
      '  RegistryClient,',
      "} from '../registry/index.js';",
      "export * from '../core/review.js';", // 6
      "const cp = await import('child_process');", // 7
      "import net = require('net');", // 8
      "type Api = typeof import('../github/api.js');", // 9
      "const mod = (name: string) => import('../demo/' + name);", // 10
      "import { fixture } from '../../test-support/fixture-registry.js';", // 11
      "import { promises } from 'fs/promises';", // 12
      "import { request } from 'undici';", // 13
      "import { parseLockfile } from '../lockfiles/index.js';", // 14: against the pipeline's direction
      "import '../cli/main.js';", // 15
    ].join('\n');
    const found = checkFile(file, text).map((v) => [v.line, v.specifier]);
    expect(found).toEqual([
      [2, 'node:fs'],
      [3, '../registry/index.js'],
      [6, '../core/review.js'],
      [7, 'child_process'],
      [8, 'net'],
      [9, '../github/api.js'],
      [10, null],
      [11, '../../test-support/fixture-registry.js'],
      [12, 'fs/promises'],
      [13, 'undici'],
      [14, '../lockfiles/index.js'],
      [15, '../cli/main.js'],
    ]);
    expect(checkFile(file, text).map(formatViolation)[1]).toBe(
      "src/signals/synthetic.ts:3: '../registry/index.js' reaches the edge src/registry: pure folders do no I/O and import shared types from src/model",
    );
  });

  it('passes pure imports, and ignores comments and strings', () => {
    const text = [
      "import { createHash } from 'node:crypto';",
      "import { TextDecoder } from 'node:util';",
      "import semver from 'semver';",
      "import * as pep440 from '@renovatebot/pep440';",
      "import type { Packument } from '../model/index.js';",
      "import { parseVersion } from '../versions/index.js';",
      "import { isReviewable } from './util.js';",
      "// import { readFileSync } from 'node:fs';",
      'const note = "import(\'../registry/index.js\') is how the core reads";',
      "/** {@link import('../core/review.js').ReviewResult} */",
      'export const x = 1;',
    ].join('\n');
    expect(checkFile(file, text)).toEqual([]);
  });

  it('calls each I/O built-in an I/O module, with and without node:', () => {
    const io = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'dns', 'tls', 'worker_threads', 'cluster', 'readline'];
    for (const m of io) {
      for (const spec of [m, `node:${m}`])
        expect(checkFile(file, `import x from '${spec}';`).map((v) => v.reason)).toEqual(['is an I/O module: pure folders do no I/O']);
    }
    // other built-ins (zlib, os, process, vm) are not I/O by name but are not allowed either
    expect(checkFile(file, "import { gunzipSync } from 'node:zlib';")).toHaveLength(1);
  });

  it('allows node:zlib in src/archives only, and no I/O module there', () => {
    const archive = 'src/archives/synthetic.ts';
    expect(checkFile(archive, "import { inflateRawSync } from 'node:zlib';")).toEqual([]);
    expect(checkFile(archive, "import { readFileSync } from 'node:fs';").map((v) => v.reason)).toEqual(['is an I/O module: pure folders do no I/O']);
    expect(checkFile(archive, "import { fetchDoc } from '../registry/pypi.js';")).toHaveLength(1);
    expect(checkFile('src/readers/synthetic.ts', "import { inflateRawSync } from 'node:zlib';")).toHaveLength(1);
  });
});
