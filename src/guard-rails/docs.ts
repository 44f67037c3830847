/**
 * JSON, YAML and TOML settings files as {@link Doc}s: the parsed value and the lines of its keys.
 * Any syntax error throws an InputError naming the file and line (the caller fails closed on head).
 */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { InputError } from '../errors.js';
import { readToml, TomlTable, type TomlValue } from '../lockfiles/readers/toml.js';
import type { Doc } from './specs.js';

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** package.json: JSON.parse for the values; a key's line is found by looking for each `"segment"` in turn. */
export function jsonDoc(file: string, text: string): Doc {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    throw new InputError(`invalid JSON: ${(e as Error).message.slice(0, 200)}`, { file, line: m ? lineAt(text, Number(m[1])) : 1 });
  }
  const lineOf = (path: readonly string[]) => {
    let at = 0;
    let found = 0;
    for (const seg of path) {
      const i = text.indexOf(JSON.stringify(seg), at);
      if (i < 0) break;
      at = i + 1;
      found = i;
    }
    return lineAt(text, found);
  };
  return { value, lineOf };
}

/** pnpm-workspace.yaml, .yarnrc.yml, lockwarden.yml: `yaml` with a line counter, aliases bounded. */
export function yamlDoc(file: string, text: string): Doc {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) throw new InputError(`invalid YAML: ${err.message.split('\n')[0]!.slice(0, 200)}`, { file, line: lc.linePos(err.pos[0]).line });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    throw new InputError(`invalid YAML: ${(e as Error).message.slice(0, 200)}`, { file, line: 1 });
  }
  const lineOf = (path: readonly string[]) => {
    let node: unknown = doc.contents;
    let best = 1;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === seg);
        if (!pair) break;
        if (isNode(pair.key) && pair.key.range) best = lc.linePos(pair.key.range[0]).line;
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items.find((item) => isScalar(item) && String(item.value) === seg) ?? node.items[Number(seg)];
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
        const next: TomlValue | undefined = node.find((x) => x === seg) ?? node[Number(seg)];
        if (next === undefined) break;
        if (next instanceof TomlTable) best = next.line;
        node = next;
      } else break;
    }
    return best;
  };
  return { value: plain(root), lineOf };
}
