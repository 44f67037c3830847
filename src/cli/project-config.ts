/**
 * Configuration the CLI found in the directory under review and did not read (without
 * `--trust-project-config`): said once per file on stderr, and as notes in the report.
 */
import path from 'node:path';
import { isWithin } from '../registry/config-shared.js';
import type { PolicyNote } from '../policy/index.js';

export interface IgnoredProjectConfig {
  /** Records a file that was not read; the first time, says so on stderr. */
  onIgnored(file: string): void;
  notes(): PolicyNote[];
}

export function ignoredProjectConfig(cwd: string, stderr: { write(s: string): unknown }): IgnoredProjectConfig {
  const messages = new Map<string, string>();
  return {
    onIgnored(file: string): void {
      if (messages.has(file)) return;
      const shown = isWithin(cwd, file) && file !== cwd ? path.relative(cwd, file) : file;
      const message = `${shown} in the directory under review was not read: registries, indexes and credentials come only from your own configuration and the command line (--trust-project-config uses it)`;
      messages.set(file, message);
      stderr.write(`lockwarden: ${message}\n`);
    },
    notes: () => [...messages.values()].map((message) => ({ kind: 'config-ignored', message })),
  };
}
