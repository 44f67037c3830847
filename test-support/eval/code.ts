/**
 * Code generators for the evaluation cases: readable library modules, one-line bundles and
 * obfuscator-shaped string tables, so each case's previous version looks like real package code.
 */

/** A readable CommonJS module of `n` small functions (what attackers append to or edit). */
export function libraryModule(prefix: string, n: number, requires: readonly string[] = []): string {
  const out: string[] = ["'use strict';", ...requires.map((r) => `const ${r.replace(/\W/g, '_')} = require('${r}');`), ''];
  for (let i = 0; i < n; i++) {
    out.push(`/** Normalises the ${prefix} value number ${i}. */`);
    out.push(`function ${prefix}${i}(value, options = {}) {`);
    out.push(`  const text = String(value ?? '').trim();`);
    out.push(`  if (options.strict && text.length < ${i % 7}) throw new TypeError('${prefix}${i}: too short');`);
    out.push(`  return options.upper ? text.toUpperCase() : text;`);
    out.push('}', '');
  }
  out.push(`module.exports = { ${Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(', ')} };`);
  return `${out.join('\n')}\n`;
}

/** A one-line minified bundle of `n` statements (`extra` spliced in before the end). */
export function minified(seed: number, n: number, extra = ''): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`function r${seed}_${i}(e,t){return e+t*${i}}`);
  return `!function(e){"use strict";${parts.join(';')};${extra}}(this);\n`;
}

function hex(s: string): string {
  return [...s].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
}

function unicode(s: string): string {
  return [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
}

/**
 * An obfuscator-shaped block: a rotated string array of hex-escaped words, `_0x` names, and `body`
 * (defanged code using the table) on the same line.
 */
export function stringArrayBlock(words: readonly string[], body: string): string {
  const table = words.map((w) => `'${hex(w)}'`).join(',');
  const names = Array.from({ length: 14 }, (_, i) => `_0x${(0x3c1e2a + i * 0x1f3).toString(16)}`);
  const decls = names.map((n, i) => `var ${n}=_0x2b7c(${i});`).join('');
  const rotate = `(function(_0x4d1a,_0x51e0){while(--_0x51e0){_0x4d1a.push(_0x4d1a.shift());}}(_0x1f9d,0x1a3));`;
  return `var _0x1f9d=[${table}];${rotate}function _0x2b7c(_0x5c2e){return _0x1f9d[_0x5c2e%_0x1f9d.length];}${decls}${body}`;
}

/** An obfuscated block without `_0x` names: short mangled names and a `\u`-escaped string table. */
export function escapedTableBlock(words: readonly string[], body: string): string {
  const table = words.map((w) => `"${unicode(w)}"`).join(',');
  return `var a0b=[${table}];function a0c(i){return a0b[i-0x1c2];}${body}`;
}
