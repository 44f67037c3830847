/**
 * The contracts every stage of lockwarden shares, one concern per file:
 *   event → changed lockfiles → parse base & head → diff → registry metadata → signals → policy → report
 * Types and the tiny pure helpers that belong to them only; implementations live in their stage.
 */
export * from './lockfile.js';
export * from './change.js';
export * from './finding.js';
export * from './packument.js';
export * from './python-dist.js';
export * from './registry.js';
export * from './signal.js';
export * from './notes.js';
export * from './review.js';
export * from './guard-rail.js';
export * from './contents.js';
export * from './content-analysis.js';
export * from './lines.js';
export * from './advisory.js';
export * from './content-fetch.js';
export * from './python-contents.js';
