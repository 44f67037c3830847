/**
 * Defanged, metadata-clean attacks for the content evaluation (issue 14): each is a release by the same
 * account, old enough to pass a cooldown, with the same scripts and dependencies as the version before;
 * only the code differs. Hosts are `*.example`, addresses TEST-NET: nothing here reaches anything.
 */
import { chalk, debug, esmWalletHook, minifiedObfuscated, solana } from './clipper-cases.js';
import { batchLauncher, eslintPrettier, nxTelemetry, shaiHulud, uaParser } from './install-cases.js';
import { base64Exec, beacon, downloadRun, flatmap, pythonInNpm } from './payload-cases.js';
import { envWebhook, npmrcStealer, workflowWriter } from './stealer-cases.js';

export type { EvalCase } from './case.js';
import type { EvalCase } from './case.js';

/** Every attack case, in a stable order. */
export function attackCases(): EvalCase[] {
  return [
    chalk(),
    debug(),
    base64Exec(),
    pythonInNpm(),
    downloadRun(),
    solana(),
    flatmap(),
    shaiHulud(),
    nxTelemetry(),
    eslintPrettier(),
    uaParser(),
    batchLauncher(),
    envWebhook(),
    npmrcStealer(),
    workflowWriter(),
    beacon(),
    minifiedObfuscated(),
    esmWalletHook(),
  ];
}
