/**
 * What a shell, batch or PowerShell script can do, by linear regexes over its lines: downloads, literal
 * hosts, programs it starts (rundll32, regsvr32, `chmod +x`, piping into a shell), credential names.
 */
import { capabilityFindings } from './capability-findings.js';
import { memoized } from './memo.js';
import { addHit, addPairs, type Capabilities } from './capability-set.js';
import { lineStarts } from './lines.js';
import { hostsIn, isPublicIpv4, termKinds } from './terms.js';
import type { ContentFinding, DetectorContext, FileDelta } from './types.js';

export function isScriptPath(path: string): boolean {
  return /\.(?:sh|bash|bat|cmd|ps1)$/i.test(path);
}

/** The `new-capability` detector for scripts: a launcher is as much the payload as the code it starts. */
export function detectScriptCapabilities(delta: FileDelta, ctx: DetectorContext): ContentFinding[] {
  return isScriptPath(delta.path) ? capabilityFindings(delta, ctx, (text) => memoized('sh', text, scriptCapabilities), false) : [];
}

const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:curl|wget|Invoke-WebRequest|iwr|Invoke-RestMethod|irm|bitsadmin|DownloadFile|DownloadString)\b|certutil[^\n]{0,40}-urlcache/gi, 'network'],
  [/\b(?:rundll32|regsvr32|mshta|Start-Process)\b|chmod\s{1,8}(?:\+x|[0-7]{3,4})|\|\s{0,8}(?:ba)?sh\b|\bIEX\b|Invoke-Expression/gi, 'process-exec'],
  [/\bbase64\s{1,8}(?:-d|--decode)\b|FromBase64String/gi, 'decode'],
];

export function scriptCapabilities(text: string): Capabilities {
  const caps: Capabilities = new Map();
  for (const [re, kind] of RULES) for (const m of text.matchAll(re)) addHit(caps, kind, m.index);
  let offset = 0;
  for (const line of text.split('\n')) {
    if (line.includes('://')) for (const host of hostsIn(line)) addHit(caps, `host:${host}`, offset + line.indexOf('://'));
    for (const word of line.match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? []) if (isPublicIpv4(word)) addHit(caps, `host:${word}`, offset + line.indexOf(word));
    for (const k of termKinds(line)) addHit(caps, k, offset);
    offset += line.length + 1;
  }
  addPairs(caps, lineStarts(text));
  return caps;
}
