#!/usr/bin/env node
/**
 * Type-checks the plain JavaScript (bench/, examples/, scripts/) with tsconfig.scripts.json and
 * reports only the errors in those files: the compiled dist/ and dist-support/ they import are part
 * of the program (their types come from there) but are checked as TypeScript by `tsc -p tsconfig.json`.
 * Needs dist/ and dist-support/ built (`npm run typecheck` builds them first). Exit 1 on any error.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const configFile = join(root, 'tsconfig.scripts.json');
const read = ts.readConfigFile(configFile, ts.sys.readFile);
const config = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configFile);
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const checked = new Set(config.fileNames.map((f) => ts.sys.resolvePath(f)));

const diagnostics = [...(read.error ? [read.error] : []), ...config.errors, ...ts.getPreEmitDiagnostics(program)].filter(
  (d) => d.file === undefined || checked.has(ts.sys.resolvePath(d.file.fileName)),
);
const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
if (diagnostics.length > 0) process.stderr.write(ts.formatDiagnostics(diagnostics, host));
console.log(`typecheck-js: ${checked.size} files, ${diagnostics.length} errors`);
process.exit(diagnostics.length > 0 ? 1 : 0);
