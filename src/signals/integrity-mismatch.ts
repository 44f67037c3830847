/**
 * integrity-mismatch: the head lockfile's integrity for a registry package does not match what the
 * registry publishes for that version (lockfile injection). Hashes are compared per algorithm; an old
 * package with only a sha1 `shasum` (hex) is compared with the lockfile's sha1 (base64).
 */
import type { Finding } from '../model.js';
import type { VersionMeta } from '../registry/types.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { finding, isReviewable, spec } from './util.js';

const ID = 'integrity-mismatch';
const SRI = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/_-]+={0,2})(?:\?.*)?$/i;

/** Parses a space-separated SRI string into algorithm → digests (base64, normalised). Unknown tokens are ignored. */
export function parseIntegrity(value: string | undefined): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (typeof value !== 'string') return out;
  for (const token of value.trim().split(/\s+/)) {
    const m = SRI.exec(token);
    if (!m) continue;
    const alg = (m[1] as string).toLowerCase();
    const digest = normalizeBase64(m[2] as string);
    const set = out.get(alg) ?? new Set<string>();
    set.add(digest);
    out.set(alg, set);
  }
  return out;
}

function normalizeBase64(b64: string): string {
  const std = b64.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  return std + '='.repeat((4 - (std.length % 4)) % 4);
}

/** A hex digest (the registry's `shasum`) as base64, or undefined when not hex. */
export function hexToBase64(hex: string): string | undefined {
  const h = hex.trim();
  if (h.length === 0 || h.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(h)) return undefined;
  return Buffer.from(h, 'hex').toString('base64');
}

function registryHashes(meta: VersionMeta): Map<string, Set<string>> {
  const out = parseIntegrity(meta.integrity);
  if (typeof meta.shasum === 'string') {
    const b64 = hexToBase64(meta.shasum);
    if (b64) {
      const set = out.get('sha1') ?? new Set<string>();
      set.add(b64);
      out.set('sha1', set);
    }
  }
  return out;
}

const STRENGTH = ['sha512', 'sha384', 'sha256', 'sha1'];

function run(input: SignalInput): Finding[] {
  const { change, packument } = input;
  if (!isReviewable(change) || !packument) return [];
  const head = change.head;
  if (!head || head.source.type !== 'registry' || !head.integrity) return [];
  const meta = packument.versions.get(change.to as string);
  if (!meta) return [];
  const lock = parseIntegrity(head.integrity);
  const reg = registryHashes(meta);
  const mismatched: string[] = [];
  const matched: string[] = [];
  for (const alg of STRENGTH) {
    const a = lock.get(alg);
    const b = reg.get(alg);
    if (!a || !b) continue;
    if ([...a].some((d) => b.has(d))) matched.push(alg);
    else mismatched.push(alg);
  }
  if (mismatched.length === 0) return [];
  const alg = mismatched[0] as string;
  return [
    finding(
      ID,
      'critical',
      `The lockfile's ${alg} integrity for ${spec(change.name, change.to as string)} does not match the one the registry publishes for that version, so the lockfile points at different contents than the registry vouches for.`,
      {
        version: change.to,
        algorithm: alg,
        mismatchedAlgorithms: mismatched,
        matchedAlgorithms: matched,
        lockfileIntegrity: head.integrity,
        registryIntegrity: meta.integrity ?? null,
        registryShasum: meta.shasum ?? null,
        lockfileUrl: head.source.url ?? null,
      },
    ),
  ];
}

export const integrityMismatch: SignalDefinition = {
  id: ID,
  defaultSeverity: 'critical',
  description: "The lockfile's integrity differs from the registry's for that version (same hash algorithm).",
  offline: false,
  run,
};
