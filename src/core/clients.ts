/**
 * The registries one review reads: the npm registry client (null offline) and the Python package index
 * client, made on first need (resolving pip's configuration may ask pip itself), plus the read options.
 */
import { setMaxListeners } from 'node:events';
import type { Ecosystem, PythonIndexClient, ReadOptions, RegistryClient } from '../model/index.js';

export type PythonIndexOption = PythonIndexClient | (() => PythonIndexClient | Promise<PythonIndexClient>) | null | undefined;

export class ReviewClients {
  /** Set once {@link preparePython} ran and found an index. */
  python: PythonIndexClient | null = null;
  /** Why there is no index client, once {@link preparePython} ran without finding one. */
  pythonError: string | undefined;
  private pythonReady: Promise<void> | undefined;

  constructor(
    readonly registry: RegistryClient | null,
    private readonly pythonOption: PythonIndexOption,
  ) {}

  get online(): boolean {
    return this.registry !== null;
  }

  /** Makes the Python index client, once (a configuration error becomes `pythonError`). */
  preparePython(): Promise<void> {
    return (this.pythonReady ??= (async () => {
      try {
        const p = this.pythonOption;
        this.python = typeof p === 'function' ? await p() : (p ?? null);
        if (this.python === null) this.pythonError = 'no Python package index configured';
      } catch (e) {
        this.pythonError = `package index not configured: ${(e as Error).message}`;
      }
    })());
  }

  /** The client for an ecosystem (the Python one only once prepared); null offline. */
  for(ecosystem: Ecosystem): RegistryClient | null {
    return !this.registry ? null : ecosystem === 'pypi' ? this.python : this.registry;
  }

  /** HTTP requests this review's clients sent; undefined offline. */
  requests(): number | undefined {
    if (!this.registry) return undefined;
    return this.registry.stats().requests + (this.python ? this.python.stats().requests : 0);
  }
}

/** The review's signal for its reads: every read in flight listens to it (thousands in a big review), which is no leak. */
export function readOptions(signal: AbortSignal | undefined): ReadOptions {
  if (!signal) return {};
  const reads = AbortSignal.any([signal]);
  setMaxListeners(0, reads);
  return { signal: reads };
}
