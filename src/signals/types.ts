import type { SignalOptions } from '../model/index.js';

/** The signal contracts live in src/model (the core builds the input, policy names the ids). */
export type { DataNeed, RegistryOrigins, SignalDefinition, SignalId, SignalInput, SignalOptions } from '../model/index.js';

export const DEFAULT_SIGNAL_OPTIONS: SignalOptions = {
  releaseAgeHours: 48,
  dormantDays: 365,
  youngPackageDays: 30,
  publisherLookback: 10,
};
