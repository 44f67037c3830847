/**
 * GitHub's REST API description (`@octokit/openapi`, OpenAPI 3.0) as a route table and a small
 * validator, for the fake GitHub API (`fake-github.ts`).
 *
 * - The description (the 13 MB `api.github.com.json`, with `$ref`s) is read and indexed once per
 *   process; `$ref`s are resolved lazily, when a schema is walked.
 * - {@link RouteTable} matches a request path against templated paths (`/repos/{owner}/{repo}`),
 *   segment by segment on the raw (still percent-encoded) path, so `%2F` stays inside a parameter.
 *   A literal segment beats a parameter; a trailing `{path}` may also span several segments.
 * - The validator understands the JSON Schema subset GitHub's description uses: `type`, `nullable`,
 *   `enum`, `required`, `properties`, `additionalProperties`, `items`, `minLength`/`maxLength`,
 *   `minItems`/`maxItems`, `minimum`/`maximum`, `pattern`, `format: date-time`, `allOf`, `anyOf` and
 *   `oneOf` (both read as "at least one alternative matches": GitHub's alternatives often overlap,
 *   e.g. a user or an empty object), and `discriminator` mappings.
 * - Request bodies are checked strictly: a property the schema does not know is reported (GitHub
 *   would silently ignore it, which hides typos such as `detail_url`). Responses are checked leniently.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Schema = { [key: string]: unknown };

/** One problem found by the validator. `location` is `body.output.title`, `query.status`, `path.pull_number`... */
export interface ValidationIssue {
  location: string;
  message: string;
  /** GitHub's error codes: `missing_field` for a missing required property, `invalid` otherwise. */
  code: 'missing_field' | 'invalid';
}

export function formatIssue(issue: ValidationIssue): string {
  return `${issue.location}: ${issue.message}`;
}

// ---------------------------------------------------------------------------------------------
// Route table

export interface RouteMatch<T> {
  template: string;
  value: T;
  /** Decoded path parameters, by name. */
  params: Map<string, string>;
}

interface Route<T> {
  template: string;
  /** Per segment: the literal text, or null for a parameter. */
  literals: (string | null)[];
  names: (string | null)[];
  /** The last segment is `{path}`, which may contain slashes. */
  greedy: boolean;
  value: T;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Templated paths by method; see the module comment for the matching rules. */
export class RouteTable<T> {
  private readonly exact = new Map<string, Route<T>[]>();
  private readonly greedy = new Map<string, Route<T>[]>();

  add(method: string, template: string, value: T): void {
    const segs = template.split('/').slice(1);
    const names = segs.map((s) => (/^\{[^}]+\}$/.test(s) ? s.slice(1, -1) : null));
    const route: Route<T> = {
      template,
      literals: segs.map((s, i) => (names[i] === null ? s : null)),
      names,
      greedy: names[names.length - 1] === 'path',
      value,
    };
    const m = method.toUpperCase();
    const key = `${m} ${segs.length}`;
    let list = this.exact.get(key);
    if (!list) this.exact.set(key, (list = []));
    list.push(route);
    if (route.greedy) {
      let g = this.greedy.get(m);
      if (!g) this.greedy.set(m, (g = []));
      g.push(route);
    }
  }

  /** `rawPath` is the request's path as sent (percent-encoded, without the query string). */
  match(method: string, rawPath: string): RouteMatch<T> | undefined {
    const segs = rawPath.split('/').slice(1);
    const m = method.toUpperCase();
    let best: Route<T> | undefined;
    for (const r of this.exact.get(`${m} ${segs.length}`) ?? []) {
      if (this.fits(r, segs, false) && (!best || moreSpecific(r, best))) best = r;
    }
    if (!best) {
      for (const r of this.greedy.get(m) ?? []) {
        if (segs.length !== r.names.length && this.fits(r, segs, true) && (!best || moreSpecific(r, best))) best = r;
      }
    }
    if (!best) return undefined;
    const params = new Map<string, string>();
    for (let i = 0; i < best.names.length; i++) {
      const name = best.names[i];
      if (name === null || name === undefined) continue;
      const last = i === best.names.length - 1;
      // a left-out trailing `{path}` is ''
      const raw = last && best.greedy ? segs.slice(i).join('/') : (segs[i] ?? '');
      const value = safeDecode(raw);
      if (value === undefined) return undefined;
      params.set(name, value);
    }
    return { template: best.template, value: best.value, params };
  }

  /** `spanning`: the trailing `{path}` may take several segments, or none (`/repos/o/r/contents` lists the root). */
  private fits(r: Route<T>, segs: string[], spanning: boolean): boolean {
    const n = r.names.length;
    if (spanning && segs.length === n - 1) {
      for (let i = 0; i < n - 1; i++) {
        const lit = r.literals[i];
        if (lit !== null && lit !== undefined ? segs[i] !== lit : (segs[i] ?? '') === '') return false;
      }
      return true;
    }
    for (let i = 0; i < n; i++) {
      const lit = r.literals[i];
      const seg = segs[i] ?? '';
      if (lit !== null && lit !== undefined) {
        if (seg !== lit) return false;
      } else if (seg === '' && !(r.greedy && i === n - 1)) {
        return false; // an empty parameter matches nothing, except an empty `{path}` (the root directory)
      } else if (safeDecode(seg) === undefined) {
        return false;
      }
    }
    return spanning ? segs.length >= n : segs.length === n;
  }
}

/** A literal segment beats a parameter, left to right. */
function moreSpecific<T>(a: Route<T>, b: Route<T>): boolean {
  const n = Math.min(a.literals.length, b.literals.length);
  for (let i = 0; i < n; i++) {
    const la = a.literals[i] !== null;
    const lb = b.literals[i] !== null;
    if (la !== lb) return la;
  }
  return a.literals.length > b.literals.length;
}

// ---------------------------------------------------------------------------------------------
// The description

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema | undefined;
}

export interface OpenApiOperation {
  method: string;
  template: string;
  operationId: string;
  docsUrl: string | undefined;
  parameters: OpenApiParameter[];
  /** The `application/json` request body schema, if the operation takes one. */
  body: { required: boolean; schema: Schema | undefined } | undefined;
  raw: Schema;
}

export interface RequestToValidate {
  params: Map<string, string>;
  query: URLSearchParams;
  /** `undefined` when the request has no body. */
  body: unknown;
}

export interface GitHubOpenApi {
  /** Milliseconds spent reading, parsing and indexing the description (once per process). */
  loadMs: number;
  operationCount: number;
  match(method: string, rawPath: string): RouteMatch<OpenApiOperation> | undefined;
  operation(method: string, template: string): OpenApiOperation | undefined;
  validateRequest(op: OpenApiOperation, req: RequestToValidate): ValidationIssue[];
  /** Validates a JSON response body against the schema documented for `status` (nothing if undocumented). */
  validateResponse(op: OpenApiOperation, status: number, body: unknown): ValidationIssue[];
  /** Validates any value against a schema of the description (`#/components/schemas/check-run`...). */
  validateSchema(ref: string, value: unknown, location?: string): ValidationIssue[];
}

let cached: GitHubOpenApi | undefined;

/**
 * Response schemas of the description that real GitHub responses do not match, replaced for response
 * validation. `GET /app/installations` inlines `account` as `allOf: [Simple User, Enterprise]` (so a
 * user account would need an enterprise's `slug`, `name`...), where the `installation` component says
 * `anyOf`.
 */
const RESPONSE_SCHEMA_FIXES: Record<string, Schema> = {
  'GET /app/installations': { type: 'array', items: { $ref: '#/components/schemas/installation' } },
};

/** Where `@octokit/openapi` keeps the description; throws a clear error without dev dependencies. */
export function openApiDescriptionPath(): string {
  try {
    return createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
  } catch (cause) {
    throw new Error(
      "The fake GitHub API validates requests against GitHub's OpenAPI description from the dev dependency " +
        '@octokit/openapi, which is not installed: install the dev dependencies (npm install), or start the fake ' +
        'with { validate: false }.',
      { cause },
    );
  }
}

/** Loads and indexes the description once per process. */
export function loadGitHubOpenApi(): GitHubOpenApi {
  if (cached) return cached;
  const started = performance.now();
  const doc = JSON.parse(readFileSync(openApiDescriptionPath(), 'utf8')) as Schema;
  cached = new Description(doc, started);
  return cached;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

class Description implements GitHubOpenApi {
  readonly loadMs: number;
  readonly operationCount: number;
  private readonly routes = new RouteTable<OpenApiOperation>();
  private readonly byKey = new Map<string, OpenApiOperation>();
  private readonly refs = new Map<string, Schema | undefined>();
  private readonly patterns = new Map<string, RegExp | null>();

  constructor(
    private readonly doc: Schema,
    started: number,
  ) {
    const paths = (doc.paths ?? {}) as Record<string, Schema>;
    let count = 0;
    for (const template of Object.keys(paths)) {
      const item = paths[template] ?? {};
      for (const method of METHODS) {
        const raw = item[method] as Schema | undefined;
        if (!raw) continue;
        const op = this.makeOperation(method.toUpperCase(), template, item, raw);
        this.routes.add(op.method, template, op);
        this.byKey.set(`${op.method} ${template}`, op);
        count++;
      }
    }
    this.operationCount = count;
    this.loadMs = performance.now() - started;
  }

  private makeOperation(method: string, template: string, item: Schema, raw: Schema): OpenApiOperation {
    const params = new Map<string, OpenApiParameter>();
    for (const p0 of [...((item.parameters as unknown[]) ?? []), ...((raw.parameters as unknown[]) ?? [])]) {
      const p = this.resolve(p0);
      if (!p || typeof p.name !== 'string') continue;
      const where = p.in as OpenApiParameter['in'];
      params.set(`${where} ${p.name}`, { name: p.name, in: where, required: p.required === true, schema: this.resolve(p.schema) });
    }
    let body: OpenApiOperation['body'];
    const rb = this.resolve(raw.requestBody);
    if (rb) {
      const content = (rb.content ?? {}) as Record<string, Schema>;
      const json = content['application/json'];
      body = { required: rb.required === true, schema: json ? this.resolve(json.schema) : undefined };
    }
    const docs = raw.externalDocs as Schema | undefined;
    return {
      method,
      template,
      operationId: String(raw.operationId ?? ''),
      docsUrl: typeof docs?.url === 'string' ? docs.url : undefined,
      parameters: [...params.values()],
      body,
      raw,
    };
  }

  match(method: string, rawPath: string): RouteMatch<OpenApiOperation> | undefined {
    return this.routes.match(method, rawPath);
  }

  operation(method: string, template: string): OpenApiOperation | undefined {
    return this.byKey.get(`${method.toUpperCase()} ${template}`);
  }

  /** Follows `$ref` chains (`#/components/...`); cached per reference. */
  resolve(s: unknown): Schema | undefined {
    let cur = s;
    for (let hops = 0; hops < 32; hops++) {
      if (!isObject(cur)) return undefined;
      const ref = cur.$ref;
      if (typeof ref !== 'string') return cur;
      if (!this.refs.has(ref)) this.refs.set(ref, this.pointer(ref));
      cur = this.refs.get(ref);
    }
    return undefined;
  }

  private pointer(ref: string): Schema | undefined {
    if (!ref.startsWith('#/')) return undefined;
    let cur: unknown = this.doc;
    for (const part of ref.slice(2).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      if (!isObject(cur) || !Object.hasOwn(cur, key)) return undefined;
      cur = cur[key];
    }
    return isObject(cur) ? cur : undefined;
  }

  validateRequest(op: OpenApiOperation, req: RequestToValidate): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    const known = new Set<string>();
    for (const p of op.parameters) {
      if (p.in === 'path') {
        const v = req.params.get(p.name);
        if (v === undefined) issues.push({ location: `path.${p.name}`, message: 'required parameter is missing', code: 'missing_field' });
        else this.checkParam(p, v, `path.${p.name}`, issues);
      } else if (p.in === 'query') {
        known.add(p.name);
        const v = req.query.get(p.name);
        if (v === null) {
          if (p.required) issues.push({ location: `query.${p.name}`, message: 'required parameter is missing', code: 'missing_field' });
        } else {
          this.checkParam(p, v, `query.${p.name}`, issues);
        }
      }
    }
    for (const name of new Set(req.query.keys())) {
      if (!known.has(name))
        issues.push({ location: `query.${name}`, message: "unknown parameter (not in GitHub's description of this operation)", code: 'invalid' });
    }
    if (req.body === undefined) {
      if (op.body?.required) issues.push({ location: 'body', message: 'a JSON request body is required', code: 'missing_field' });
    } else if (op.body?.schema) {
      this.check(op.body.schema, req.body, 'body', true, issues, false);
    }
    return issues;
  }

  /** Path and query parameters arrive as strings: convert by the declared type, then validate. */
  private checkParam(p: OpenApiParameter, value: string, location: string, issues: ValidationIssue[]): void {
    const s = p.schema;
    if (!s) return;
    let v: unknown = value;
    if (s.type === 'integer' || s.type === 'number') {
      const ok = s.type === 'integer' ? /^-?\d+$/.test(value) : value.trim() !== '' && Number.isFinite(Number(value));
      if (!ok) {
        issues.push({ location, message: `${show(value)} is not ${s.type === 'integer' ? 'an integer' : 'a number'}`, code: 'invalid' });
        return;
      }
      v = Number(value);
    } else if (s.type === 'boolean') {
      if (value !== 'true' && value !== 'false') {
        issues.push({ location, message: `${show(value)} is not a boolean (true or false)`, code: 'invalid' });
        return;
      }
      v = value === 'true';
    } else if (s.type === 'array') {
      v = value.split(',');
    }
    this.check(s, v, location, false, issues, false);
  }

  validateResponse(op: OpenApiOperation, status: number, body: unknown): ValidationIssue[] {
    const responses = (op.raw.responses ?? {}) as Record<string, unknown>;
    const r = this.resolve(responses[String(status)]);
    const content = (r?.content ?? {}) as Record<string, Schema>;
    const json = content['application/json'];
    const override = status < 300 ? RESPONSE_SCHEMA_FIXES[`${op.method} ${op.template}`] : undefined;
    const schema = override ?? (json ? this.resolve(json.schema) : undefined);
    if (!schema) return [];
    const issues: ValidationIssue[] = [];
    this.check(schema, body, 'response', false, issues, false);
    return issues;
  }

  validateSchema(ref: string, value: unknown, location = 'value'): ValidationIssue[] {
    const schema = this.resolve({ $ref: ref });
    if (!schema) throw new Error(`no schema ${ref} in GitHub's OpenAPI description`);
    const issues: ValidationIssue[] = [];
    this.check(schema, value, location, false, issues, false);
    return issues;
  }

  /**
   * Validates `value` against `schema0`, appending to `issues`. `strict`: report properties the schema
   * does not know. `composed`: this schema is a member of an allOf/anyOf/oneOf, whose owner does the
   * unknown-property check over the union of all members.
   */
  private check(schema0: unknown, value: unknown, at: string, strict: boolean, issues: ValidationIssue[], composed: boolean): void {
    const s = this.resolve(schema0);
    if (!s) return;
    const type = typeof s.type === 'string' ? s.type : undefined;
    const alternatives = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as unknown[] | undefined;
    if (value === null) {
      if (s.nullable === true) return;
      if (Array.isArray(s.enum) && s.enum.includes(null)) return;
      if (type !== undefined || Array.isArray(s.allOf) || Array.isArray(s.enum)) {
        issues.push({ location: at, message: `is null, expected ${type === undefined ? 'a value' : withArticle(type)} (not nullable)`, code: 'invalid' });
        return;
      }
      if (!alternatives) return; // no constraint at all
    }
    if (Array.isArray(s.enum) && !s.enum.includes(value)) {
      issues.push({
        location: at,
        message: `${show(value)} is not one of ${s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(', ')}`,
        code: 'invalid',
      });
      return;
    }
    if (type !== undefined && !hasType(value, type)) {
      issues.push({ location: at, message: `${show(value)} is ${describe(value)}, expected ${withArticle(type)}`, code: 'invalid' });
      return;
    }
    if (typeof value === 'string') this.checkString(s, value, at, issues);
    else if (typeof value === 'number') this.checkNumber(s, value, at, issues);
    else if (Array.isArray(value)) {
      if (typeof s.maxItems === 'number' && value.length > s.maxItems) {
        issues.push({ location: at, message: `has ${value.length} items, at most ${s.maxItems} allowed`, code: 'invalid' });
      }
      if (typeof s.minItems === 'number' && value.length < s.minItems) {
        issues.push({ location: at, message: `has ${value.length} items, at least ${s.minItems} required`, code: 'invalid' });
      }
      if (s.items !== undefined) {
        for (const [i, item] of value.entries()) this.check(s.items, item, `${at}[${i}]`, strict, issues, false);
      }
    } else if (isObject(value)) {
      this.checkObject(s, value, at, strict, issues, composed);
    }
    if (Array.isArray(s.allOf)) {
      for (const member of s.allOf) this.check(member, value, at, strict, issues, true);
    }
    if (alternatives) this.checkAlternatives(s, alternatives, value, at, strict, issues);
  }

  private checkString(s: Schema, value: string, at: string, issues: ValidationIssue[]): void {
    const max = typeof s.maxLength === 'number' ? s.maxLength : undefined;
    const min = typeof s.minLength === 'number' ? s.minLength : undefined;
    if (max !== undefined || min !== undefined) {
      // JSON Schema counts characters (code points), not UTF-16 units
      const len = value.length <= (max ?? Infinity) && value.length >= 2 * (min ?? 0) ? value.length : [...value].length;
      if (max !== undefined && len > max) issues.push({ location: at, message: `is ${len} characters long, at most ${max} allowed`, code: 'invalid' });
      if (min !== undefined && len < min) issues.push({ location: at, message: `is ${len} characters long, at least ${min} required`, code: 'invalid' });
    }
    if (typeof s.pattern === 'string') {
      const re = this.pattern(s.pattern);
      if (re && !re.test(value)) issues.push({ location: at, message: `${show(value)} does not match the pattern ${s.pattern}`, code: 'invalid' });
    }
    if (s.format === 'date-time' && !isDateTime(value)) {
      issues.push({ location: at, message: `${show(value)} is not an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SSZ)`, code: 'invalid' });
    }
  }

  private pattern(source: string): RegExp | null {
    if (!this.patterns.has(source)) {
      let re: RegExp | null = null;
      try {
        re = new RegExp(source, 'u');
      } catch {
        re = null; // a pattern JavaScript cannot read is not enforced
      }
      this.patterns.set(source, re);
    }
    return this.patterns.get(source) ?? null;
  }

  private checkNumber(s: Schema, value: number, at: string, issues: ValidationIssue[]): void {
    if (typeof s.minimum === 'number' && value < s.minimum)
      issues.push({ location: at, message: `${value} is less than the minimum ${s.minimum}`, code: 'invalid' });
    if (typeof s.maximum === 'number' && value > s.maximum)
      issues.push({ location: at, message: `${value} is more than the maximum ${s.maximum}`, code: 'invalid' });
  }

  private checkObject(s: Schema, value: Schema, at: string, strict: boolean, issues: ValidationIssue[], composed: boolean): void {
    const props = isObject(s.properties) ? s.properties : undefined;
    if (Array.isArray(s.required)) {
      for (const k of s.required) {
        if (typeof k === 'string' && !Object.hasOwn(value, k)) {
          issues.push({ location: `${at}.${k}`, message: 'required property is missing', code: 'missing_field' });
        }
      }
    }
    const extra = s.additionalProperties;
    for (const k of Object.keys(value)) {
      if (props && Object.hasOwn(props, k)) this.check(props[k], value[k], `${at}.${k}`, strict, issues, false);
      else if (isObject(extra)) this.check(extra, value[k], `${at}.${k}`, strict, issues, false);
      else if (extra === false) issues.push({ location: `${at}.${k}`, message: 'unknown property (additional properties are not allowed)', code: 'invalid' });
    }
    if (strict && !composed && extra === undefined) {
      const known = this.knownProperties(s);
      if (known) {
        for (const k of Object.keys(value)) {
          if (!known.has(k))
            issues.push({ location: `${at}.${k}`, message: "unknown property (not in GitHub's schema, GitHub would ignore it)", code: 'invalid' });
        }
      }
    }
  }

  /** The properties a schema and its composition members declare; undefined when any extra is allowed. */
  private knownProperties(s: Schema): Set<string> | undefined {
    const known = new Set<string>();
    let declared = false;
    const visit = (x0: unknown, depth: number): boolean => {
      const x = this.resolve(x0);
      if (!x || depth > 8) return true;
      if (depth > 0 && isObject(x.additionalProperties)) return false;
      if (isObject(x.properties)) {
        declared = true;
        for (const k of Object.keys(x.properties)) known.add(k);
      }
      for (const key of ['allOf', 'anyOf', 'oneOf']) {
        const list = x[key];
        if (Array.isArray(list)) for (const m of list) if (!visit(m, depth + 1)) return false;
      }
      return true;
    };
    if (!visit(s, 0) || !declared) return undefined;
    return known;
  }

  private checkAlternatives(s: Schema, alternatives: unknown[], value: unknown, at: string, strict: boolean, issues: ValidationIssue[]): void {
    const disc = isObject(s.discriminator) ? s.discriminator : undefined;
    if (disc && typeof disc.propertyName === 'string' && isObject(disc.mapping) && isObject(value)) {
      const tag = value[disc.propertyName];
      const target = typeof tag === 'string' ? disc.mapping[tag] : undefined;
      if (typeof target === 'string') {
        this.check({ $ref: target }, value, at, strict, issues, true);
        return;
      }
    }
    const failures: ValidationIssue[][] = [];
    for (const alt of alternatives) {
      const found: ValidationIssue[] = [];
      this.check(alt, value, at, strict, found, true);
      if (found.length === 0) return;
      failures.push(found);
    }
    const detail = failures.map((f, i) => `(${i + 1}) ${f.slice(0, 3).map(formatIssue).join('; ')}${f.length > 3 ? '; ...' : ''}`).join(' ');
    issues.push({ location: at, message: `matches none of the ${alternatives.length} alternatives: ${detail}`, code: 'invalid' });
  }
}

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasType(v: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return isObject(v);
    case 'null':
      return v === null;
    default:
      return true;
  }
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** A value as shown in messages: JSON, cut short. */
function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function isDateTime(s: string): boolean {
  return DATE_TIME.test(s) && !Number.isNaN(Date.parse(s));
}
