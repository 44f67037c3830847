/**
 * The review's gather step: for every change, the data the running signals need, each kind by its
 * gatherer (src/core/gatherers), once per change; kinds that are not needed cost nothing.
 */
import { DATA_NEEDS, type Change, type DataNeed } from '../model/index.js';
import { keyOf } from './cap.js';
import { GATHERERS, type GatherContext, type GatherStep, type Subject } from './gatherers/index.js';

/** `needs` with the kinds their gatherers read first, in gathering order (the order of {@link DATA_NEEDS}). */
export function gatheringOrder(needs: ReadonlySet<DataNeed>): DataNeed[] {
  const all = new Set<DataNeed>();
  const add = (kind: DataNeed): void => {
    if (all.has(kind)) return;
    all.add(kind);
    for (const k of GATHERERS[kind].after) add(k);
  };
  for (const kind of needs) add(kind);
  return DATA_NEEDS.filter((k) => all.has(k));
}

/** A subject per change, with nothing gathered yet. */
function subjectOf(change: Change): Subject {
  return { change, key: keyOf(change), status: 'none', data: { packument: null, provenance: new Map(), wheels: new Map(), sdists: new Map() }, partial: false };
}

export async function gather(changes: readonly Change[], needs: ReadonlySet<DataNeed>, ctx: GatherContext): Promise<Subject[]> {
  const subjects = changes.map(subjectOf);
  const steps: GatherStep[] = [];
  for (const kind of gatheringOrder(needs)) steps.push(await GATHERERS[kind].start(subjects, ctx));
  // changes in parallel; for each change its kinds in order (its packument before what is read from it)
  await Promise.all(
    subjects.map(async (subject) => {
      for (const step of steps) await step(subject);
    }),
  );
  return subjects;
}
