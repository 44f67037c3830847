/**
 * The entry of a content-analysis worker (./content-pool.ts): receives two packed archives, runs the
 * pure detectors, posts the analysis back. One task at a time; the pool ends the thread when over budget.
 */
import { parentPort } from 'node:worker_threads';
import { analyseContents, type ReleaseContext } from '../content/index.js';
import type { ContentAnalysis } from '../model/index.js';
import { type PackedArchives, unpackArchives } from './content-transfer.js';

export interface WorkerTask {
  id: number;
  archives: PackedArchives;
  release?: ReleaseContext;
}

export type WorkerReply = { id: number; ok: true; analysis: ContentAnalysis } | { id: number; ok: false; error: string };

parentPort?.on('message', (task: WorkerTask) => {
  let reply: WorkerReply;
  try {
    const { previous, next } = unpackArchives(task.archives);
    // the texts are strings now: the transferred buffer can go while the analysis runs
    (task as Partial<WorkerTask>).archives = undefined;
    reply = { id: task.id, ok: true, analysis: analyseContents(previous, next, task.release ? { release: task.release } : {}) };
  } catch (e) {
    reply = { id: task.id, ok: false, error: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
