/**
 * One gatherer per kind of data a signal can need ({@link DATA_NEEDS}): a new kind is one gatherer
 * file and one entry here (the Record makes the compiler ask for it).
 */
import type { DataNeed } from '../../model/index.js';
import { advisoriesGatherer } from './advisories.js';
import { attestationsGatherer } from './attestations.js';
import { contentAnalysisGatherer } from './content-analysis.js';
import { contentsGatherer } from './contents.js';
import { packumentGatherer } from './packument.js';
import { registryOriginsGatherer } from './registry-origins.js';
import { sdistContentsGatherer } from './sdist-contents.js';
import type { Gatherer } from './types.js';
import { wheelListingsGatherer } from './wheel-listings.js';

export type { GatherContext, GatheredData, Gatherer, GatherStep, Subject } from './types.js';

export const GATHERERS: Readonly<Record<DataNeed, Gatherer>> = {
  packument: packumentGatherer,
  attestations: attestationsGatherer,
  'wheel-listings': wheelListingsGatherer,
  'sdist-contents': sdistContentsGatherer,
  'registry-origins': registryOriginsGatherer,
  advisories: advisoriesGatherer,
  contents: contentsGatherer,
  'content-analysis': contentAnalysisGatherer,
};
