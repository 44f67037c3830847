/**
 * The source repository and workflow claimed by the registry's attestations document (SLSA v1 and v0.2
 * provenance; the paths read are in docs/REGISTRY.md). Signatures are not verified here: lockwarden
 * compares the claimed source between versions, it does not replace `npm audit signatures`.
 */
import { z } from 'zod';
import type { ProvenanceSource } from '../model/index.js';

export const SLSA_PREFIX = 'https://slsa.dev/provenance/';

const attestationsSchema = z.object({
  attestations: z.array(
    z.object({
      predicateType: z.string(),
      bundle: z.object({ dsseEnvelope: z.object({ payload: z.string(), payloadType: z.string().nullish() }).nullish() }).nullish(),
    }),
  ),
});

const str = z.string().nullish();
const statementSchema = z.object({
  predicateType: str,
  predicate: z
    .object({
      buildDefinition: z
        .object({
          externalParameters: z.object({ workflow: z.object({ repository: str, path: str, ref: str }).nullish() }).nullish(),
        })
        .nullish(),
      invocation: z.object({ configSource: z.object({ uri: str, entryPoint: str }).nullish() }).nullish(),
    })
    .nullish(),
});

export class InvalidAttestationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAttestationError';
  }
}

/** Splits a v0.2 `configSource.uri` (`git+https://github.com/o/r@refs/heads/main`) into repository and ref. */
export function splitConfigSourceUri(uri: string): { repository: string; ref?: string } {
  let u = uri.startsWith('git+') ? uri.slice(4) : uri;
  let ref: string | undefined;
  const at = u.lastIndexOf('@');
  // an '@' after the scheme's '//' and after the host part marks the ref
  const hostStart = u.indexOf('//');
  if (at > 0 && at > u.indexOf('/', hostStart >= 0 ? hostStart + 2 : 0)) {
    ref = u.slice(at + 1);
    u = u.slice(0, at);
  }
  if (u.endsWith('.git')) u = u.slice(0, -4);
  return ref ? { repository: u, ref } : { repository: u };
}

/**
 * Parses an attestations document (already JSON-parsed). Returns null when it holds no SLSA
 * provenance; throws {@link InvalidAttestationError} when the document or statement is malformed.
 */
export function provenanceFromAttestations(doc: unknown): ProvenanceSource | null {
  const parsed = attestationsSchema.safeParse(doc);
  if (!parsed.success) throw new InvalidAttestationError('invalid attestations document');
  const slsa = parsed.data.attestations.find((a) => a.predicateType.startsWith(SLSA_PREFIX));
  if (!slsa) return null;
  const payload = slsa.bundle?.dsseEnvelope?.payload;
  if (!payload) throw new InvalidAttestationError('provenance attestation has no DSSE payload');
  let statement: unknown;
  try {
    statement = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    throw new InvalidAttestationError('provenance payload is not base64 JSON');
  }
  const st = statementSchema.safeParse(statement);
  if (!st.success) throw new InvalidAttestationError('provenance statement has unexpected types');
  const out: ProvenanceSource = { predicateType: st.data.predicateType ?? slsa.predicateType };
  const wf = st.data.predicate?.buildDefinition?.externalParameters?.workflow;
  const cs = st.data.predicate?.invocation?.configSource;
  if (wf) {
    if (wf.repository) out.repository = wf.repository.replace(/\.git$/, '');
    if (wf.path) out.workflow = wf.path;
    if (wf.ref) out.ref = wf.ref;
  } else if (cs) {
    if (cs.uri) {
      const { repository, ref } = splitConfigSourceUri(cs.uri);
      out.repository = repository;
      if (ref) out.ref = ref;
    }
    if (cs.entryPoint) out.workflow = cs.entryPoint;
  }
  return out;
}
