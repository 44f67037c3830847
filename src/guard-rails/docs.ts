/**
 * JSON, YAML and TOML settings files as {@link Doc}s: the parsed value and the lines of its keys.
 * Any syntax error throws an InputError naming the file and line (the caller fails closed on head).
 */
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { InputError } from '../errors.js';
import { lineOf, lineStarts } from '../model/lines.js';
import { readToml, TomlTable, type TomlValue } from '../lockfiles/readers/toml.js';
import type { Doc } from './specs.js';

/** 1-based line of a character index (the line starts computed once per text). */
function lineIndex(text: string): (index: number) => number {
  const starts = lineStarts(text);
  return (index) => lineOf(starts, index);
}

/**
 * package.json: JSON.parse for the values; a key's line is found by looking for `"segment"` after its
 * parent, and for siblings after the previous one (linear over a list). A key written with escapes is
 * not found: it gets its parent's line, and that parent is not searched again (no quadratic rescans).
 */
export function jsonDoc(file: string, text: string): Doc {
  const lineAt = lineIndex(text);
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    throw new InputError(`invalid JSON: ${(e as Error).message.slice(0, 200)}`, { file, line: m ? lineAt(Number(m[1])) : 1 });
  }
  const found = new Map<string, number>([['', 0]]);
  const cursor = new Map<string, number>();
  const position = (path: readonly string[]): number => {
    const key = path.join('\u0000');
    const known = found.get(key);
    if (known !== undefined) return known;
    const parentKey = path.slice(0, -1).join('\u0000');
    const parent = position(path.slice(0, -1));
    const needle = JSON.stringify(path[path.length - 1]);
    const from = cursor.get(parentKey) ?? parent;
    let i = from < 0 ? -1 : text.indexOf(needle, from);
    if (i < 0 && from > parent) i = text.indexOf(needle, parent);
    if (i < 0) cursor.set(parentKey, -1);
    else cursor.set(parentKey, i + needle.length);
    const at = i < 0 ? parent : i;
    found.set(key, at);
    return at;
  };
  return { value, lineOf: (path) => lineAt(position(path)) };
}

/** pnpm-workspace.yaml, .yarnrc.yml, lockwarden.yml: `yaml` with a line counter, aliases bounded. */
export function yamlDoc(file: string, text: string): Doc {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, merge: true });
  const err = doc.errors[0];
  if (err) throw new InputError(`invalid YAML: ${err.message.split('\n')[0]!.slice(0, 200)}`, { file, line: lc.linePos(err.pos[0]).line });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    throw new InputError(`invalid YAML: ${(e as Error).message.slice(0, 200)}`, { file, line: 1 });
  }
  // Each map or sequence is indexed once by key (or item text), so a long list costs linear time.
  const indexes = new WeakMap<object, Map<string, unknown>>();
  const indexOf = (node: YAMLMap | YAMLSeq): Map<string, unknown> => {
    let m = indexes.get(node);
    if (m) return m;
    m = new Map();
    for (const item of node.items) {
      const [k, v] = isPair(item) ? [isScalar(item.key) ? item.key.value : item.key, item] : [isScalar(item) ? item.value : undefined, item];
      if (k !== undefined && !m.has(String(k))) m.set(String(k), v);
    }
    indexes.set(node, m);
    return m;
  };
  const lineOf = (path: readonly string[]) => {
    let node: unknown = doc.contents;
    let best = 1;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = indexOf(node).get(seg);
        if (!isPair(pair)) break;
        if (isNode(pair.key) && pair.key.range) best = lc.linePos(pair.key.range[0]).line;
        node = pair.value;
      } else if (isSeq(node)) {
        node = indexOf(node).get(seg) ?? node.items[Number(seg)];
        if (isNode(node) && node.range) best = lc.linePos(node.range[0]).line;
      } else break;
    }
    return best;
  };
  return { value, lineOf };
}

/** A TOML table as plain objects (arrays of tables as arrays), for the spec table. */
function plain(v: TomlValue): unknown {
  if (v instanceof TomlTable) {
    const o: Record<string, unknown> = Object.create(null);
    for (const [k, x] of v.map) o[k] = plain(x);
    return o;
  }
  if (Array.isArray(v)) return v.map(plain);
  return typeof v === 'object' ? String(v) : v;
}

/** bunfig.toml, uv.toml, pyproject.toml: the lockfiles' TOML reader, which knows every key's line. */
export function tomlDoc(file: string, text: string): Doc {
  const root = readToml(file, text, text.startsWith('\uFEFF') ? 1 : 0, { maxDepth: 64 });
  const indexes = new WeakMap<TomlValue[], Map<string, TomlValue>>();
  const arrayIndex = (a: TomlValue[]): Map<string, TomlValue> => {
    let m = indexes.get(a);
    if (!m) {
      m = new Map();
      for (const x of a) if (typeof x === 'string' && !m.has(x)) m.set(x, x);
      indexes.set(a, m);
    }
    return m;
  };
  const lineOf = (path: readonly string[]) => {
    let node: TomlValue = root;
    let best = 1;
    for (const seg of path) {
      if (node instanceof TomlTable) {
        const l = node.lineOf(seg);
        if (l === undefined) break;
        best = l;
        node = node.get(seg)!;
      } else if (Array.isArray(node)) {
        const next: TomlValue | undefined = arrayIndex(node).get(seg) ?? node[Number(seg)];
        if (next === undefined) break;
        if (next instanceof TomlTable) best = next.line;
        node = next;
      } else break;
    }
    return best;
  };
  return { value: plain(root), lineOf };
}
