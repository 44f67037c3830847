/**
 * Which signals a review runs, and the data they need: the enabled signals plus those an enabled
 * combiner weighs. The review engine gathers exactly those needs, so a switched-off signal costs nothing.
 */
import type { DataNeed, SignalDefinition, SignalId } from '../model/index.js';

/** The ids of `signals` that run when `enabled` says which are on: a combiner that is on brings its inputs. */
export function signalsToRun(signals: readonly SignalDefinition[], enabled: (id: SignalId) => boolean): Set<SignalId> {
  const run = new Set<SignalId>();
  const add = (s: SignalDefinition): void => {
    if (run.has(s.id)) return;
    run.add(s.id);
    for (const input of s.combines ?? []) add(input);
  };
  for (const s of signals) if (enabled(s.id)) add(s);
  return run;
}

/** Everything the running signals read besides the lockfiles. */
export function needsOf(signals: readonly SignalDefinition[], running: ReadonlySet<SignalId>): Set<DataNeed> {
  const needs = new Set<DataNeed>();
  for (const s of signals) if (running.has(s.id)) for (const n of s.needs) needs.add(n);
  return needs;
}
