/**
 * What a file in a pure folder may import, checked on TypeScript's syntax tree: comments and strings
 * never count, while type-only imports, re-exports, `import x = require()` and dynamic `import()` do.
 */
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/**
 * The pure parts of src/ (a folder, or `errors` for src/errors.ts), each with the other pure parts it
 * may import: the pipeline's direction (model ← lockfiles/diff ← signals ← policy ← report); readers and archives
 * are the pure readers the registry edge uses.
 */
export const PURE: Readonly<Record<string, readonly string[]>> = {
  model: [],
  errors: [],
  versions: ['model'],
  lockfiles: ['model', 'versions', 'errors'],
  // stream readers of registry documents (the packument JSON selector)
  readers: [],
  // sdist (tar, gzip, ZIP) and wheel (ZIP central directory) readers; pyproject.toml via the lockfiles' TOML reader
  archives: ['model', 'errors', 'lockfiles'],
  diff: ['model', 'versions', 'errors'],
  signals: ['model', 'versions', 'errors', 'content'],
  policy: ['model', 'versions', 'errors', 'signals'],
  // readers of the settings files a change can weaken (.npmrc, package.json, pnpm-workspace.yaml, …)
  'guard-rails': ['model', 'versions', 'errors', 'lockfiles'],
  // content analysis: two archives' files compared, detectors over what the new version adds
  content: ['model', 'versions', 'errors'],
  report: ['model', 'versions', 'errors', 'signals', 'policy'],
};

/** The edges: the only code that talks to registries, GitHub, the command line, or fakes of them. */
export const EDGES: readonly string[] = ['registry', 'github', 'cli', 'core', 'demo'];

/** Built-ins that compute without I/O (see the header of imports.test.ts). */
export const PURE_BUILTINS: readonly string[] = ['crypto', 'buffer', 'util'];

/** Built-ins only some pure parts need: node:zlib inflates archives in memory (no I/O). */
export const PURE_BUILTINS_OF: Readonly<Record<string, readonly string[]>> = { archives: ['zlib'] };

/** Packages that parse or compare text and do no I/O. */
export const PURE_PACKAGES: readonly string[] = ['semver', '@renovatebot/pep440', 'yaml', 'zod', 'diff'];

const IO_BUILTINS = new Set(['fs', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'dns', 'tls', 'worker_threads', 'cluster', 'readline']);

export interface Violation {
  /** Repository-relative path, `src/signals/x.ts`. */
  file: string;
  line: number;
  /** As written; `null` for an `import()` of a computed expression. */
  specifier: string | null;
  reason: string;
}

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line}: ${v.specifier === null ? 'import(<computed>)' : `'${v.specifier}'`} ${v.reason}`;
}

/** The part of src/ a repository-relative path is in (`src/signals/x.ts` → `signals`, `src/errors.ts` → `errors`), or null outside src/. */
export function areaOf(file: string): string | null {
  const parts = path.posix.normalize(file).split('/');
  if (parts[0] !== 'src' || parts.length < 2) return null;
  return parts.length === 2 ? parts[1]!.replace(/\.[cm]?[jt]s$/, '') : parts[1]!;
}

/** Every module specifier of a file, with its 1-based line. */
export function specifiersOf(file: string, text: string): Array<{ specifier: string | null; line: number }> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Array<{ specifier: string | null; line: number }> = [];
  const add = (node: ts.Node, expr: ts.Node | undefined): void => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    out.push({ specifier: expr && ts.isStringLiteralLike(expr) ? expr.text : null, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || (ts.isExportDeclaration(node) && node.moduleSpecifier)) add(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression);
    else if (ts.isCallExpression(node) && isImportOrRequire(node.expression)) add(node, node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function isImportOrRequire(callee: ts.Expression): boolean {
  return callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
}

/** Why `specifier`, imported by `file` (in pure part `from`), breaks the rules; undefined when it may. */
export function whyNot(file: string, from: string, specifier: string | null): string | undefined {
  if (specifier === null) return 'is a dynamic import of a computed name: a pure folder imports only what it names';
  if (specifier.startsWith('.') || specifier.startsWith('/')) return relativeProblem(file, from, specifier);
  if (specifier.startsWith('node:') || isBuiltin(specifier)) return builtinProblem(from, specifier);
  const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  return PURE_PACKAGES.includes(pkg) ? undefined : `is a package not known to be pure (allowed: ${PURE_PACKAGES.join(', ')})`;
}

function relativeProblem(file: string, from: string, specifier: string): string | undefined {
  const target = specifier.startsWith('/') ? specifier : path.posix.join(path.posix.dirname(file), specifier);
  const area = areaOf(target);
  if (area === null) return 'resolves outside src/ (test support, build output): a pure folder imports only src/';
  if (area === from) return undefined;
  if (EDGES.includes(area)) return `reaches the edge src/${area}: pure folders do no I/O and import shared types from src/model`;
  const allowed = PURE[from] ?? [];
  if (allowed.includes(area)) return undefined;
  if (area in PURE) return `goes against the pipeline's direction: src/${from} may import only ${allowed.join(', ') || 'itself'}`;
  return `is src/${area}, not a pure part of src/ (add it to PURE only once it does no I/O)`;
}

function builtinProblem(from: string, specifier: string): string | undefined {
  const base = specifier.replace(/^node:/, '').split('/')[0]!;
  const allowed = [...PURE_BUILTINS, ...(PURE_BUILTINS_OF[from] ?? [])];
  if (allowed.includes(base)) return undefined;
  return IO_BUILTINS.has(base)
    ? 'is an I/O module: pure folders do no I/O'
    : `is a built-in module not allowed in src/${from} (allowed: ${allowed.join(', ')})`;
}

/** The violations in one file (`file` repository-relative, under a pure part of src/). */
export function checkFile(file: string, text: string): Violation[] {
  const from = areaOf(file);
  if (from === null || !(from in PURE)) throw new Error(`${file} is not in a pure part of src/`);
  const out: Violation[] = [];
  for (const { specifier, line } of specifiersOf(file, text)) {
    const reason = whyNot(file, from, specifier);
    if (reason !== undefined) out.push({ file, line, specifier, reason });
  }
  return out;
}
