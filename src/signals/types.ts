import type { Finding, Severity, SignalId, SignalInput, SignalOptions } from '../model/index.js';

/** The signal contracts live in src/model (the core builds the input, policy names the ids). */
export type { RegistryOrigins, SignalId, SignalInput, SignalOptions } from '../model/index.js';

export const DEFAULT_SIGNAL_OPTIONS: SignalOptions = {
  releaseAgeHours: 48,
  dormantDays: 365,
  youngPackageDays: 30,
  publisherLookback: 10,
};

export interface SignalDefinition {
  id: SignalId;
  defaultSeverity: Severity;
  /** One line for the README's table and `--help`. */
  description: string;
  /** Works from the lockfiles alone (runs with --offline). */
  offline: boolean;
  run(input: SignalInput): Finding[];
}
