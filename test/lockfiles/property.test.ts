/**
 * Property tests for the lockfile parsers (issue 5): random dependency graphs are written in each
 * format by a writer independent of lockwarden (see property-gen.ts), parsed with `parseLockfile`,
 * and the model is checked against the generated graph.
 */
import { parseLockfile } from '../../src/lockfiles/index.js';
import type { Lockfile } from '../../src/model/index.js';
import {
  allVersions,
  berryChecksum,
  generate,
  intendedDeps,
  intendedRootDeps,
  intendedWorkspaceDeps,
  layout,
  nv,
  writeBun,
  writeNpm,
  writePnpm,
  writeYarnBerry,
  writeYarnV1,
  WS_PATH,
  type Graph,
} from './property-gen.js';

/** 100 seeds per format; set PROPERTY_SEEDS=<n> for a longer local run, PROPERTY_SEED=<seed> to replay one. */
const SEEDS = process.env.PROPERTY_SEED
  ? [Number(process.env.PROPERTY_SEED)]
  : Array.from({ length: Number(process.env.PROPERTY_SEEDS ?? 100) }, (_, i) => 1000 + i * 7919);

interface Format {
  id: string;
  file: string;
  formatPrefix: string;
  write(g: Graph): string;
  /** Does the model carry integrity for registry packages, and which string? */
  integrity(g: Graph, name: string, version: string): string;
  /** Expected (name, version) set: every generated version (flat formats) or the installed copies (node_modules layouts). */
  expected(g: Graph): { set: Set<string>; count: number };
  /** Expected key lines by "name@version", read from the text independently of the parser. */
  keyLines(text: string): Map<string, number[]>;
  /** The root importer's expected direct dependencies (default: the generated root dependencies). */
  rootDeps?(g: Graph): string[];
  /** The format records workspaces (yarn v1 does not). */
  workspaces: boolean;
}

function gv(g: Graph, name: string, version: string) {
  return g.byName.get(name)!.versions.find((v) => v.version === version)!;
}

const flat = (g: Graph) => {
  const set = allVersions(g);
  return { set, count: set.size };
};
const nested = (g: Graph) => {
  const pls = layout(g);
  return { set: new Set(pls.map((p) => nv(p.name, g.byName.get(p.name)!.versions[p.vi]!.version))), count: pls.length };
};

/** Every generated version no generated version depends on. */
function unreferenced(g: Graph): string[] {
  const referenced = new Set([...intendedDeps(g).values()].flat());
  return [...allVersions(g)].filter((x) => !referenced.has(x)).sort();
}

function push(m: Map<string, number[]>, k: string, line: number): void {
  const l = m.get(k);
  if (l) l.push(line);
  else m.set(k, [line]);
}

function unquote(x: string): string {
  return x.startsWith('"') && x.endsWith('"') ? (JSON.parse(x) as string) : x;
}

/** JSON layouts: the line of each `"<key>": <open>` member of `packages`, whose version is on the next lines. */
function jsonKeyLines(kind: 'npm' | 'bun'): (text: string) => Map<string, number[]> {
  return (text) => {
    const m = new Map<string, number[]>();
    const doc = JSON.parse(kind === 'bun' ? text.replace(/,(?=\s*[}\]])/g, '') : text) as { packages: Record<string, unknown> };
    const lines = text.split('\n');
    for (const [key, value] of Object.entries(doc.packages)) {
      if (key === '' || key === WS_PATH) continue; // the root and the workspace folder: importers
      if (kind === 'npm' && (value as { link?: boolean }).link === true) continue; // the workspace link: not a package
      if (kind === 'bun' && (value as string[])[0]!.includes('@workspace:')) continue; // the workspace: an importer
      const open = kind === 'npm' ? '{' : '[';
      const at = lines.indexOf(`    ${JSON.stringify(key)}: ${open}`);
      if (at < 0) throw new Error(`key line of ${key} not found`);
      const id =
        kind === 'npm'
          ? nv(key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length), (value as { version: string }).version)
          : (value as string[])[0]!;
      push(m, id, at + 1);
    }
    return m;
  };
}

/** yarn lockfiles: each unindented key line, with the `version` of its entry. */
function yarnKeyLines(text: string): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '' || l.startsWith('#') || l.startsWith(' ') || !l.endsWith(':') || l === '__metadata:') continue;
    const first = unquote(
      l
        .slice(0, -1)
        .split(', ')[0]!
        .replace(/^"/, '')
        .replace(/"$/, '')
        .replace(/^(.*)$/, '"$1"'),
    );
    const name = first.slice(0, first.lastIndexOf('@', first.includes('@npm:') ? first.indexOf('@npm:') : undefined));
    const vl = lines[i + 1]!.match(/^ {2}version:? "?([^"]*)"?$/);
    if (!vl) throw new Error(`no version after key line ${i + 1}`);
    if (vl[1] === '0.0.0-use.local') continue; // the root workspace
    push(m, nv(name, vl[1]!), i + 1);
  }
  return m;
}

/** pnpm: the key lines of the `packages` section. */
function pnpmKeyLines(text: string): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const lines = text.split('\n');
  let inPackages = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.startsWith(' ') && l !== '') inPackages = l === 'packages:';
    else if (inPackages && /^ {2}\S.*:$/.test(l)) {
      const key = unquote(l.slice(2, -1));
      const at = key.lastIndexOf('@');
      push(m, nv(key.slice(0, at), key.slice(at + 1)), i + 1);
    }
  }
  return m;
}

const FORMATS: Format[] = [
  {
    id: 'npm',
    file: 'package-lock.json',
    formatPrefix: 'npm-v3',
    write: writeNpm,
    integrity: (g, n, v) => gv(g, n, v).integrity,
    expected: nested,
    keyLines: jsonKeyLines('npm'),
    workspaces: true,
  },
  // yarn v1 records no root dependencies: the parser's documented heuristic makes the root depend on every package no entry depends on.
  {
    id: 'yarn-v1',
    file: 'yarn.lock',
    formatPrefix: 'yarn',
    write: writeYarnV1,
    integrity: (g, n, v) => gv(g, n, v).integrity,
    expected: flat,
    rootDeps: unreferenced,
    keyLines: yarnKeyLines,
    workspaces: false,
  },
  {
    id: 'yarn-berry',
    file: 'yarn.lock',
    formatPrefix: 'yarn',
    write: writeYarnBerry,
    integrity: (g, n, v) => berryChecksum(gv(g, n, v)),
    expected: flat,
    keyLines: yarnKeyLines,
    workspaces: true,
  },
  {
    id: 'pnpm',
    file: 'pnpm-lock.yaml',
    formatPrefix: 'pnpm',
    write: writePnpm,
    integrity: (g, n, v) => gv(g, n, v).integrity,
    expected: flat,
    keyLines: pnpmKeyLines,
    workspaces: true,
  },
  {
    id: 'bun',
    file: 'bun.lock',
    formatPrefix: 'bun',
    write: (g) => writeBun(g, false),
    integrity: (g, n, v) => gv(g, n, v).integrity,
    expected: nested,
    keyLines: jsonKeyLines('bun'),
    workspaces: true,
  },
  {
    id: 'bun (trailing commas)',
    file: 'bun.lock',
    formatPrefix: 'bun',
    write: (g) => writeBun(g, true),
    integrity: (g, n, v) => gv(g, n, v).integrity,
    expected: nested,
    keyLines: jsonKeyLines('bun'),
    workspaces: true,
  },
];

function fail(msg: string): never {
  throw new Error(msg);
}

function eqList(a: readonly string[], b: readonly string[], what: string): void {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  if (x !== y) fail(`${what}: expected ${y}, got ${x}`);
}

/** Checks the properties; throws an Error naming the first one that does not hold. */
function check(f: Format, g: Graph, text: string, model: Lockfile): void {
  if (!model.format.startsWith(f.formatPrefix)) fail(`format ${model.format}, expected ${f.formatPrefix}*`);

  // Package set (root/workspace entries are importers, not packages).
  const exp = f.expected(g);
  const got = model.packages.map((p) => nv(p.name, p.version));
  eqList([...new Set(got)].sort(), [...exp.set].sort(), 'package set');
  if (got.length !== exp.count) fail(`package count: expected ${exp.count}, got ${got.length}`);
  const byId = new Map(model.packages.map((p) => [p.id, p]));
  if (byId.size !== model.packages.length) fail('package ids are not unique');

  const intended = intendedDeps(g);
  const lines = text.split('\n');
  for (const p of model.packages) {
    const id = nv(p.name, p.version);
    if (p.alias !== undefined) fail(`${id}: unexpected alias ${p.alias}`);
    if (p.source.type !== 'registry') fail(`${id}: source ${p.source.type}, expected registry`);
    const integ = f.integrity(g, p.name, p.version);
    if (p.integrity !== integ) fail(`${id}: integrity ${String(p.integrity)}, expected ${integ}`);
    // Every edge lands on the package the generator meant.
    const deps = p.deps.map((d) => {
      const q = byId.get(d);
      if (!q) fail(`${id}: edge to unknown id ${d}`);
      return nv(q.name, q.version);
    });
    eqList(deps.sort(), intended.get(id)!, `deps of ${id} (${p.id})`);
    // The line names the package.
    const line = lines[p.line - 1];
    if (line === undefined || !line.includes(p.name)) fail(`${id}: line ${p.line} (${JSON.stringify(line)}) does not contain its name`);
  }
  // Each package's line is its entry's key line (read from the text without the parser).
  const keyLines = f.keyLines(text);
  const keyLineCount = [...keyLines.values()].reduce((a, l) => a + l.length, 0);
  if (keyLineCount !== exp.count) fail(`found ${keyLineCount} key lines in the text, expected ${exp.count}`);
  const modelLines = new Map<string, number[]>();
  for (const p of model.packages) push(modelLines, nv(p.name, p.version), p.line);
  for (const [k, ls] of keyLines)
    eqList((modelLines.get(k) ?? []).sort((a, b) => a - b).map(String), ls.sort((a, b) => a - b).map(String), `key lines of ${k}`);
  if (model.ecosystem !== 'npm' || model.file !== f.file) fail(`ecosystem/file: ${model.ecosystem} ${model.file}`);

  const root = model.importers.find((i) => i.path === '');
  if (!root) fail('no root importer');
  const paths = model.importers.map((i) => i.path).sort();
  eqList(paths, f.workspaces && g.workspace ? ['', WS_PATH] : [''], 'importer paths');
  if (f.workspaces && g.workspace) {
    const ws = model.importers.find((i) => i.path === WS_PATH)!;
    const wsDeps = ws.deps.map((d) => {
      const q = byId.get(d);
      if (!q) fail(`workspace: edge to unknown id ${d}`);
      return nv(q.name, q.version);
    });
    eqList(wsDeps.sort(), intendedWorkspaceDeps(g), 'workspace deps');
  }
  const rootDeps = root.deps.map((d) => {
    const q = byId.get(d);
    if (!q) fail(`root: edge to unknown id ${d}`);
    return nv(q.name, q.version);
  });
  eqList(rootDeps.sort(), f.rootDeps ? f.rootDeps(g) : intendedRootDeps(g), 'root deps');
}

function runSeed(f: Format, seed: number): void {
  const g = generate(seed);
  const text = f.write(g);
  try {
    const model = parseLockfile(f.file, text);
    check(f, g, text, model);
    const again = parseLockfile(f.file, text);
    if (JSON.stringify(again) !== JSON.stringify(model)) fail('not deterministic: a second parse differs');
    const crlf = parseLockfile(f.file, text.replace(/\n/g, '\r\n'));
    if (JSON.stringify(crlf) !== JSON.stringify(model)) fail('CRLF text parses to a different model');
    const bom = parseLockfile(f.file, `\ufeff${text}`);
    if (JSON.stringify(bom) !== JSON.stringify(model)) fail('BOM text (string) parses to a different model');
    const bomBytes = parseLockfile(f.file, new Uint8Array(Buffer.from(`\ufeff${text}`, 'utf8')));
    if (JSON.stringify(bomBytes) !== JSON.stringify(model)) fail('BOM text (bytes) parses to a different model');
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`${f.id}: seed ${seed} fails: ${msg}\n--- input ---\n${text.length > 4000 ? `${text.slice(0, 4000)}\n…` : text}`);
  }
}

describe('lockfile parsers: property tests on generated graphs', () => {
  for (const f of FORMATS) {
    it(`${f.id}: ${SEEDS.length} seeded graphs parse to the generated packages, integrity, edges (packages, root, workspace), key lines; same model again, with CRLF and with a BOM`, () => {
      for (const seed of SEEDS) runSeed(f, seed);
    });
  }
});

describe('property generator', () => {
  it('is deterministic per seed and varies across seeds', () => {
    expect(writeNpm(generate(42))).toBe(writeNpm(generate(42)));
    const texts = new Set(SEEDS.slice(0, 10).map((s) => writePnpm(generate(s))));
    expect(texts.size).toBe(10);
  });

  it('bun trailing-comma variant has a comma before every closing bracket on its own line, and is otherwise the same JSON', () => {
    for (const s of SEEDS.slice(0, 20)) {
      const g = generate(s);
      const plain = writeBun(g, false);
      const commas = writeBun(g, true);
      expect(commas).not.toMatch(/[^,[{]\n\s*[}\]]/);
      expect(commas.replace(/,(?=\n\s*[}\]])/g, '')).toBe(plain);
    }
  });

  it('covers scoped and awkward names, prereleases, multiple versions, nesting and workspaces', () => {
    let scoped = 0;
    let awkward = 0;
    let pre = 0;
    let multi = 0;
    let nestedCopies = 0;
    let workspaces = 0;
    for (const s of SEEDS) {
      const g = generate(s);
      for (const p of g.packages) {
        if (p.name.startsWith('@')) scoped++;
        if (['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'].includes(p.name.replace(/^@[^/]+\//, ''))) awkward++;
        if (p.versions.length > 1) multi++;
        pre += p.versions.filter((v) => v.version.includes('-')).length;
      }
      if (g.workspace && g.workspace.size > 0) workspaces++;
      nestedCopies += layout(g).filter((pl) => pl.path.length > 1).length;
    }
    expect(scoped).toBeGreaterThan(10);
    expect(awkward).toBeGreaterThan(5);
    expect(pre).toBeGreaterThan(10);
    expect(multi).toBeGreaterThan(10);
    expect(nestedCopies).toBeGreaterThan(10);
    expect(workspaces).toBeGreaterThan(10);
  });
});
