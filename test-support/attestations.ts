/**
 * Attestation documents for the fixture registry, shaped like the registry's
 * `GET /-/npm/v1/attestations/<name>@<version>` response: a SLSA v1 provenance statement and an npm
 * publish attestation, each in a Sigstore bundle (v0.3) around a DSSE envelope whose payload is a
 * base64 in-toto Statement v1.
 *
 * The signatures and certificates are placeholders derived from hashes: they have the real shape but
 * verify against nothing. lockwarden reads the statement, it does not verify Sigstore bundles.
 */
import { createHash } from 'node:crypto';

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const NPM_PUBLISH_ATTESTATION_V01 = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';
export const SIGSTORE_BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const GITHUB_WORKFLOW_BUILD_TYPE = 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1';

/** What a fixture declares about the build that produced a version (all from the fixture file). */
export interface ProvenanceDeclaration {
  /** `https://github.com/owner/repo` */
  repository: string;
  /** `.github/workflows/publish.yml` */
  workflow: string;
  /** `refs/tags/v1.2.3` or `refs/heads/main` */
  ref: string;
  /** The built commit (40 hex). */
  commit: string;
  /** GitHub event that started the run (default `push`). */
  eventName?: string;
  /** Actions run id (default: derived from name@version). */
  runId?: string;
}

export interface AttestationSubject {
  name: string;
  version: string;
  /** Hex sha512 of the tarball (the in-toto subject digest). */
  sha512Hex: string;
  /** ISO publish time; becomes the transparency-log entry's integratedTime. */
  publishedAt?: string;
  /** The registry origin without trailing slash, recorded by the publish attestation. */
  registry: string;
}

/** purl for an npm package: `pkg:npm/%40scope/name@1.0.0` (the `@` of a scope is percent-encoded). */
export function npmPurl(name: string, version: string): string {
  const encodedName = name.startsWith('@') ? `%40${name.slice(1)}` : name;
  return `pkg:npm/${encodedName}@${version}`;
}

function hashHex(alg: string, ...parts: string[]): string {
  const h = createHash(alg);
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

/** A stable pseudo-number (decimal string) derived from text, for ids that are opaque anyway. */
function pseudoNumber(text: string, digits: number): string {
  const n = BigInt(`0x${hashHex('sha256', text).slice(0, 15)}`);
  return (n % 10n ** BigInt(digits)).toString().padStart(digits, '1');
}

function bundle(statement: object, subject: AttestationSubject, kind: string): object {
  const payload = Buffer.from(JSON.stringify(statement), 'utf8').toString('base64');
  const seed = `${kind}:${subject.name}@${subject.version}`;
  const integratedTime = subject.publishedAt ? Math.floor(Date.parse(subject.publishedAt) / 1000) : 0;
  return {
    mediaType: SIGSTORE_BUNDLE_V03,
    verificationMaterial: {
      certificate: { rawBytes: Buffer.from(`lockwarden fixture certificate ${hashHex('sha256', seed)}`).toString('base64') },
      tlogEntries: [
        {
          logIndex: pseudoNumber(seed, 9),
          logId: { keyId: Buffer.from(hashHex('sha256', 'fixture-log')).subarray(0, 32).toString('base64') },
          kindVersion: { kind: 'dsse', version: '0.0.1' },
          integratedTime: String(integratedTime),
        },
      ],
    },
    dsseEnvelope: {
      payload,
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      signatures: [{ sig: Buffer.from(hashHex('sha512', seed, payload), 'hex').toString('base64'), keyid: '' }],
    },
  };
}

/** The in-toto SLSA v1 provenance statement npm publishes for a GitHub Actions build. */
export function provenanceStatement(subject: AttestationSubject, decl: ProvenanceDeclaration): object {
  const runId = decl.runId ?? pseudoNumber(`run:${subject.name}@${subject.version}`, 10);
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: npmPurl(subject.name, subject.version), digest: { sha512: subject.sha512Hex } }],
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: GITHUB_WORKFLOW_BUILD_TYPE,
        externalParameters: {
          workflow: { ref: decl.ref, repository: decl.repository, path: decl.workflow },
        },
        internalParameters: {
          github: {
            event_name: decl.eventName ?? 'push',
            repository_id: pseudoNumber(`repo:${decl.repository}`, 9),
            repository_owner_id: pseudoNumber(`owner:${decl.repository.split('/').slice(0, -1).join('/')}`, 8),
            runner_environment: 'github-hosted',
          },
        },
        resolvedDependencies: [{ uri: `git+${decl.repository}@${decl.ref}`, digest: { gitCommit: decl.commit } }],
      },
      runDetails: {
        builder: { id: 'https://github.com/actions/runner/github-hosted' },
        metadata: { invocationId: `${decl.repository}/actions/runs/${runId}/attempts/1` },
      },
    },
  };
}

/** The npm publish attestation statement (the registry signs it when a version is published). */
export function publishStatement(subject: AttestationSubject): object {
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: npmPurl(subject.name, subject.version), digest: { sha512: subject.sha512Hex } }],
    predicateType: NPM_PUBLISH_ATTESTATION_V01,
    predicate: { name: subject.name, version: subject.version, registry: subject.registry },
  };
}

/** The body of `GET /-/npm/v1/attestations/<name>@<version>` for a version built with provenance. */
export function attestationsResponse(subject: AttestationSubject, decl: ProvenanceDeclaration): object {
  return {
    attestations: [
      { predicateType: SLSA_PROVENANCE_V1, bundle: bundle(provenanceStatement(subject, decl), subject, 'provenance') },
      { predicateType: NPM_PUBLISH_ATTESTATION_V01, bundle: bundle(publishStatement(subject), subject, 'publish') },
    ],
  };
}
