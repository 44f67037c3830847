/** The progress line on stderr while registry documents are read (only on a terminal, not with --quiet). */
import type { CliIo } from './main.js';

export function progress(io: CliIo, enabled: boolean) {
  if (!enabled) return { update: () => {}, done: () => {} };
  let last = 0;
  let shown = false;
  return {
    update: ({ done, total }: { done: number; total: number }) => {
      const t = Date.now();
      if (t - last < 100 && done < total) return;
      last = t;
      shown = true;
      io.stderr.write(`\r\u001b[2Klockwarden: registry metadata ${done}/${total}`);
    },
    done: () => {
      if (shown) io.stderr.write('\r\u001b[2K');
    },
  };
}
