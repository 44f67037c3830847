/**
 * deprecated: the new version carries a deprecation message.
 */
import type { Finding } from '../model/index.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { clean, finding, registryTarget, spec } from './util.js';

const ID = 'deprecated';

function run(input: SignalInput): Finding[] {
  const rt = registryTarget(input);
  if (!rt) return [];
  const msg = rt.meta.deprecated;
  if (typeof msg !== 'string' || msg.trim() === '') return [];
  return [
    finding(ID, 'low', `${spec(input.change.name, rt.version)} is deprecated: "${clean(msg.trim(), 300)}".`, {
      version: rt.version,
      deprecated: msg.length > 2000 ? `${msg.slice(0, 2000)}… [truncated]` : msg,
    }),
  ];
}

export const deprecated: SignalDefinition = {
  id: ID,
  defaultSeverity: 'low',
  description: 'The new version is deprecated (the message is shown).',
  offline: false,
  needs: ['packument'],
  run,
};
