export { lockwardenApp, sweep, type LockwardenAppOptions } from './app.js';
export { GitHubApi } from './api.js';
export { ReviewQueue } from './queue.js';
export { memoryJournal, fileJournal, type Journal } from './journal.js';
export { CHECK_NAME, planCheck, annotations } from './check-output.js';
export { STICKY_MARKER, renderSticky, parseAllowCommand, readApprovals, findSticky } from './comment.js';
export { loadRepoConfig, CONFIG_PATH } from './config.js';
export { runReviewJob, type ReviewTarget } from './review-job.js';
