import type { ReviewResult } from '../model/index.js';
import { renderJson } from './json.js';
import { renderMarkdown, type MarkdownOptions } from './markdown.js';
import { renderText, type TextOptions } from './text.js';

export type ReportFormat = 'json' | 'markdown' | 'text';
export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'markdown', 'text'];

export function render(result: ReviewResult, format: ReportFormat, opts: MarkdownOptions & TextOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'markdown':
      return `${renderMarkdown(result, opts)}\n`;
    case 'text':
      return renderText(result, opts);
  }
}

export { renderJson, toJson } from './json.js';
export { renderMarkdown, renderChangeSection, truncateUtf8 } from './markdown.js';
export { renderText } from './text.js';
export { verdict, changeLabel, riskyChanges, routineChanges } from './common.js';
export * from './escape.js';
export { guardRailFindings, guardRailHeadline, guardRailLabel } from './guard-rails.js';
