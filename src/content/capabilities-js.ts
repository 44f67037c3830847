/**
 * What a JavaScript file can do, read token-wise (so minified files compare as sets, not lines):
 * process execution, network, literal hosts, credential reads, persistence, hooks, dynamic code.
 */
import { capabilityFindings } from './capability-findings.js';
import { memoized } from './memo.js';
import { addHit, addPairs, type Capabilities } from './capability-set.js';
import { scanJs } from './js-scan.js';
import { lineStarts } from './lines.js';
import { hostsIn, isPublicIpv4, SECRET_WORDS, termKinds } from './terms.js';
import type { ContentFinding, DetectorContext, FileDelta } from './types.js';

export function isJsPath(path: string): boolean {
  return /\.(?:[cm]?js|jsx)$/.test(path);
}

/** The `new-capability` detector for JavaScript files. */
export function detectJsCapabilities(delta: FileDelta, ctx: DetectorContext): ContentFinding[] {
  return isJsPath(delta.path) ? capabilityFindings(delta, ctx, (text) => memoized('js', text, jsCapabilities), false) : [];
}

/** Names (identifiers or string literals, `node:` prefix dropped) and the kind each shows. */
const NAME_KINDS: ReadonlyMap<string, string> = new Map([
  ['child_process', 'process-exec'],
  ['execSync', 'process-exec'],
  ['spawnSync', 'process-exec'],
  ['execFileSync', 'process-exec'],
  ['http', 'network'],
  ['https', 'network'],
  ['net', 'network'],
  ['dgram', 'network'],
  ['dns', 'network'],
  ['tls', 'network'],
  ['http2', 'network'],
  ['fetch', 'network'],
  ['XMLHttpRequest', 'network'],
  ['WebSocket', 'network'],
  ['sendBeacon', 'network'],
  ['eval', 'dynamic-code'],
  ['_compile', 'dynamic-code'],
  ['runInNewContext', 'dynamic-code'],
  ['runInThisContext', 'dynamic-code'],
  ['compileFunction', 'dynamic-code'],
  ['atob', 'decode'],
  ['createDecipher', 'decode'],
  ['createDecipheriv', 'decode'],
  ['ethereum', 'wallet-api'],
  ['solana', 'wallet-api'],
  // what a beacon reports about the machine it runs on (paired with a literal host: recon-to-host)
  ['hostname', 'system-info'],
  ['userInfo', 'system-info'],
  ['networkInterfaces', 'system-info'],
]);

/**
 * Shapes that need more than one token, each regex linear: literal text first, bounded gaps, no
 * nested quantifiers.
 */
const SHAPES: ReadonlyArray<readonly [RegExp, string, string]> = [
  [/new\s{0,8}Function\s{0,8}\(/g, 'dynamic-code', 'Function'],
  [/XMLHttpRequest\.prototype\.(?:open|send)\s{0,8}=/g, 'browser-hook', 'XMLHttpRequest.prototype.'],
  [/(?:window|globalThis|self)\.fetch\s{0,8}=[^=]/g, 'browser-hook', '.fetch'],
  // a wallet provider's methods replaced: what a clipper does to rewrite transactions
  [/ethereum\.(?:request|send|sendAsync|enable)\s{0,8}=[^=]/g, 'browser-hook', 'ethereum.'],
  [/(?:stringify|keys|entries|values)\(\s{0,8}process\.env\s{0,8}\)/g, 'env-dump', 'process.env'],
  // bytes decoded from an encoded literal: paired with dynamic code, that is a payload being unpacked
  // (the literal may be long: a quoted run is one linear step, it ends at its quote or the line's end)
  [/\.from\(\s{0,8}(?:'[^'\n]*'|"[^"\n]*"|[^()'"]{0,200}),\s{0,8}['"](?:base64|base64url|hex)['"]\)/g, 'decode', '.from('],
];

export function jsCapabilities(text: string): Capabilities {
  const caps: Capabilities = new Map();
  scanJs(text, (tokenKind, value, offset, length) => {
    const name = value.startsWith('node:') ? value.slice(5) : value;
    const kind = NAME_KINDS.get(name);
    if (kind !== undefined && !(tokenKind === 'str' && inList(text, offset, offset + length))) addHit(caps, kind, offset);
    if (SECRET_WORDS.has(name)) addHit(caps, 'secret-word', offset);
    // Environment variables are read as identifiers (process.env.GITHUB_TOKEN): only those look like terms.
    if (tokenKind === 'id' && !looksLikeEnvName(name)) return;
    for (const k of termKinds(value)) addHit(caps, k, offset);
    for (const host of hostsIn(value)) addHit(caps, `host:${host}`, offset);
    if (tokenKind === 'str' && isPublicIpv4(value)) addHit(caps, `host:${value}`, offset);
  });
  for (const [re, kind, literal] of SHAPES) if (text.includes(literal)) for (const m of text.matchAll(re)) addHit(caps, kind, m.index);
  addPairs(caps, lineStarts(text));
  return caps;
}

/** `GITHUB_TOKEN`-shaped; the regex only runs on names that start upper-case and hold a `_` (most do not). */
function looksLikeEnvName(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90 && name.includes('_') && /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(name);
}

/**
 * A string between `[`/`,` and `,`/`]` is an element of a list (bundlers ship the list of Node's built-in
 * module names): naming `child_process` there loads nothing.
 */
function inList(text: string, start: number, end: number): boolean {
  const before = text[start - 1] === ' ' ? text[start - 2] : text[start - 1];
  const after = text[end] === ' ' ? text[end + 1] : text[end];
  return (before === ',' || before === '[') && (after === ',' || after === ']');
}
