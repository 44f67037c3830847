/**
 * zod schemas for the fields lockwarden reads from the index's JSON API, Simple API JSON (PEP 691) and
 * Integrity API (PEP 740) documents. Unknown keys are ignored, known keys with the wrong type fail; a
 * failing release or file entry is left out and named (its version then fails closed if reviewed).
 * Attacker-keyed maps (`releases`) are not parsed with z.record: the caller walks them into a Map.
 */
import { z } from 'zod';

/**
 * lockwarden's label for PEP 740's publish attestation, used in the slim model (`attestations.provenance.predicateType`)
 * when a statement carries no SLSA predicate. The statement's own predicate type is a URL on the index's
 * documentation host, which the house rules keep out of the code: we never compare it, we read the publisher
 * from the provenance object instead. The index attaches these attestations only to Trusted Publishing uploads.
 */
export const PYPI_PUBLISH_PREDICATE = 'pep740:publish/v1';

/** The SLSA provenance predicate types start with this. */
export const SLSA_PREDICATE_PREFIX = 'https://slsa.dev/provenance/';

/** The Simple API's JSON content type (PEP 691), major version 1. */
export const SIMPLE_JSON_V1 = 'application/vnd.pypi.simple.v1+json';

const str = z.string().nullish();
const size = z.number().int().nonnegative().nullish();

/** One file in the JSON API's `releases[version]` or `urls`. */
export const jsonApiFileSchema = z.object({
  filename: z.string().min(1),
  url: z.string(),
  packagetype: str,
  digests: z.object({ sha256: str }).nullish(),
  size,
  upload_time_iso_8601: str,
  upload_time: str,
  yanked: z.boolean().nullish(),
  yanked_reason: str,
  requires_python: str,
  uploaded_via: str,
});
export type JsonApiFile = z.infer<typeof jsonApiFileSchema>;

export const jsonApiProjectSchema = z.object({
  info: z.object({
    name: z.string(),
    version: z.string(),
    requires_dist: z.array(z.string()).nullish(),
    yanked: z.boolean().nullish(),
    yanked_reason: str,
  }),
  /** version → files; walked by hand into a Map (see the module comment). Deprecated by the index but still served. */
  releases: z.unknown().optional(),
  urls: z.array(jsonApiFileSchema).nullish(),
  ownership: z
    .object({
      roles: z.array(z.object({ role: z.string(), user: z.string() })).nullish(),
      organization: str,
    })
    .nullish(),
});
export type JsonApiProject = z.infer<typeof jsonApiProjectSchema>;

export const releaseFilesSchema = z.array(jsonApiFileSchema);

/** One file of a Simple API project page (PEP 691 JSON). */
export const simpleFileSchema = z.object({
  filename: z.string().min(1),
  url: z.string(),
  hashes: z.object({ sha256: str }),
  'requires-python': str,
  size,
  'upload-time': str,
  /** PEP 592: false, true, or the reason (a non-empty string). */
  yanked: z.union([z.boolean(), z.string()]).nullish(),
  /** PEP 740: the provenance object's URL, or null when the file has none (absent: the index does not say). */
  provenance: str,
});
export type SimpleFile = z.infer<typeof simpleFileSchema>;

export const simpleProjectSchema = z.object({
  meta: z.object({ 'api-version': z.string() }),
  name: z.string(),
  /** Each file is checked on its own (simpleFileSchema): a malformed one is left out and named, not the page. */
  files: z.array(z.unknown()),
  /** PEP 700 (API 1.1): every version, including those without files. */
  versions: z.array(z.string()).nullish(),
});
export type SimpleProject = z.infer<typeof simpleProjectSchema>;

/** PEP 740 publisher: `kind` and `claims` are required; the rest depends on the kind (GitHub: repository `owner/name`, workflow file name, environment; GitLab: repository path, workflow_filepath). */
export const publisherSchema = z.object({
  kind: z.string(),
  /** Read by hand (only `ref`, `sha`), so attacker-chosen keys never become object keys here. */
  claims: z.unknown().optional(),
  repository: str,
  workflow: str,
  workflow_filepath: str,
  environment: str,
  email: str,
});
export type Publisher = z.infer<typeof publisherSchema>;

export const provenanceObjectSchema = z.object({
  version: z.literal(1),
  attestation_bundles: z
    .array(
      z.object({
        publisher: publisherSchema,
        attestations: z.array(
          z.object({
            version: z.number().nullish(),
            envelope: z.object({ statement: z.string(), signature: z.string().nullish() }),
          }),
        ),
      }),
    )
    .min(1),
});
export type ProvenanceObject = z.infer<typeof provenanceObjectSchema>;

/** The statement inside an attestation envelope (base64 JSON in-toto v1), as far as it is read. */
export const statementSchema = z.object({
  predicateType: z.string(),
  subject: z.array(z.object({ name: z.string().nullish() })).nullish(),
  predicate: z
    .object({
      buildDefinition: z
        .object({ externalParameters: z.object({ workflow: z.object({ repository: str, path: str, ref: str }).nullish() }).nullish() })
        .nullish(),
    })
    .nullish(),
});

/** The first issue of a failed parse as `path: message` (short; never the value itself). */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid document';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
