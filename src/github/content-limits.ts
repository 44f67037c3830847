/**
 * The App's content caps: a repository's config may lower them or switch content off, never raise
 * them above the defaults (they bound the App's memory and time for every installation).
 */
import { clampContent, type Config, type PolicyNote } from '../policy/index.js';

/** The config the App reviews with: content caps clamped to the defaults. */
export function appConfig(config: Config): Config {
  const content = { ...config.content };
  clampContent(content);
  return { ...config, content };
}

/** A note naming the content caps the repository tried to raise, if any. */
export function clampedContentNote(config: Config): PolicyNote[] {
  const raised = clampContent({ ...config.content });
  if (raised.length === 0) return [];
  return [
    {
      kind: 'config-ignored',
      message: `content.${raised.join(', content.')}: a repository may lower the content caps, not raise them above the App's defaults; the defaults were used.`,
    },
  ];
}
