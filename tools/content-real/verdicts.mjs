/**
 * My verdict on each finding at medium or above, by `name@to signal file` (written after reading the
 * change; a finding without one is rendered as "not judged yet").
 */
export const VERDICTS = {};
