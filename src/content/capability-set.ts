/** A file's capabilities: each kind with the offsets where it shows (a few), and the pairs that matter together. */
import { lineOf } from './lines.js';

export type Capabilities = Map<string, number[]>;

const MAX_HITS = 20;
/** Lines apart at most for two hits to count as one piece of code (a pair). */
const NEAR = 5;

export function addHit(caps: Capabilities, kind: string, offset: number): void {
  const hits = caps.get(kind);
  if (hits === undefined) caps.set(kind, [offset]);
  else if (hits.length < MAX_HITS) hits.push(offset);
}

/** Adds `kind` where a hit of `a` and a hit of `b` are within a few lines of each other. */
export function addPair(caps: Capabilities, starts: readonly number[], kind: string, a: readonly string[], b: readonly string[]): void {
  const linesOf = (kinds: readonly string[]): Array<[number, number]> =>
    [...caps].filter(([k]) => kinds.some((p) => k === p || k.startsWith(p))).flatMap(([, offs]) => offs.map((o) => [lineOf(starts, o), o] as [number, number]));
  const left = linesOf(a);
  const right = linesOf(b);
  for (const [la, oa] of left) {
    if (right.some(([lb]) => Math.abs(la - lb) <= NEAR)) {
      addHit(caps, kind, oa);
      return;
    }
  }
}

/** The kinds the JS and Python scanners share in pairs: what secrets, decoders and dynamic code meet. */
export function addPairs(caps: Capabilities, starts: readonly number[]): void {
  const network = ['network', 'host:'];
  addPair(caps, starts, 'secret-to-network', ['secret-word', 'credential:', 'env-dump'], network);
  // The same, to a server the code names: new whenever the host is, even in a file that always sent keys somewhere.
  addPair(caps, starts, 'secret-to-host', ['secret-word', 'credential:', 'env-dump'], ['host:']);
  addPair(caps, starts, 'recon-to-host', ['system-info'], ['host:']);
  addPair(caps, starts, 'remote-code', ['dynamic-code'], network);
  addPair(caps, starts, 'decoded-code', ['dynamic-code'], ['decode']);
  // A program fetched from a server the code names, then started: the dropper shape.
  addPair(caps, starts, 'download-exec', ['host:'], ['process-exec']);
}
