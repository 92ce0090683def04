/**
 * The engine facade as one injectable value, so the host can be exercised with a fake in
 * tests and the engine is reached in one place.
 *
 * Loaded lazily: src/core (yaml, the core's zod schemas) is the
 * bulk of the extension's code and activation needs none of it. The engine is its own bundle,
 * dist/engine.js (entry src/core/engineBundle.ts), which scripts/build.mjs keeps out of
 * dist/extension.js; the first engine call require()s it. Elsewhere in src/extension only
 * types may be imported from src/core, besides its portable leaves (src/core/text, runnerNames.ts;
 * PORTABLE in scripts/floors.cjs): the build fails otherwise.
 */
import type * as EngineFacade from '../core/engine';
import type * as EngineBundle from '../core/engineBundle';

export type Engine = typeof EngineFacade;

let loaded: typeof EngineBundle | undefined;

/** Loads the engine once (synchronously: local code, like any require). */
export function loadEngine(): typeof EngineBundle {
  // scripts/build.mjs turns this require into `require("./engine.js")`, dist/engine.js beside
  // dist/extension.js (both CommonJS); from source (tsx) it loads the TypeScript module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('../core/engineBundle') as typeof EngineBundle;
  return loaded;
}

/**
 * `name` of the engine, loading the bundle on the first call. Every engine function is async, so
 * the wrapper is too: a failure to load surfaces as the call's rejection, like any engine error.
 */
function lazy<K extends keyof Engine>(name: K): Engine[K] {
  const call = async (...args: unknown[]): Promise<unknown> => (loadEngine()[name] as (...a: unknown[]) => Promise<unknown>)(...args);
  return call as unknown as Engine[K];
}

/** The real engine, loaded on first use. Listing every function keeps it type-checked against the facade. */
export const realEngine: Engine = {
  runFeature: lazy('runFeature'),
  runBugfix: lazy('runBugfix'),
  runAudit: lazy('runAudit'),
  auditChoices: lazy('auditChoices'),
  approveSpec: lazy('approveSpec'),
  assignLayers: lazy('assignLayers'),
  resumeRun: lazy('resumeRun'),
  listSpecs: lazy('listSpecs'),
  listRuns: lazy('listRuns'),
  runInfo: lazy('runInfo'),
  latestResumableRun: lazy('latestResumableRun'),
  rollback: lazy('rollback'),
  runChanges: lazy('runChanges'),
  fileAtCheckpoint: lazy('fileAtCheckpoint'),
  initWorkspace: lazy('initWorkspace'),
  proposeWorkspace: lazy('proposeWorkspace'),
  syncRegistry: lazy('syncRegistry'),
  gc: lazy('gc'),
  traceSpec: lazy('traceSpec'),
  verifySpecs: lazy('verifySpecs'),
  requestChange: lazy('requestChange'),
  followUpRun: lazy('followUpRun'),
  runAttempts: lazy('runAttempts'),
  attemptDiff: lazy('attemptDiff'),
  useAttempt: lazy('useAttempt'),
  runEvents: lazy('runEvents'),
  journalEvents: lazy('journalEvents'),
  importSpec: lazy('importSpec'),
  agentModels: lazy('agentModels'),
  openQueue: lazy('openQueue'),
  applyRun: lazy('applyRun'),
  branchRun: lazy('branchRun'),
  discardRun: lazy('discardRun'),
  runFilesRoot: lazy('runFilesRoot'),
  defaultIsolation: lazy('defaultIsolation'),
  prepareDemo: lazy('prepareDemo'),
  cliAgents: lazy('cliAgents'),
  runnerChoices: lazy('runnerChoices'),
  sandboxStatus: lazy('sandboxStatus'),
  setRunner: lazy('setRunner'),
  runnersStats: lazy('runnersStats'),
  listWorkflows: lazy('listWorkflows'),
  checkWorkflow: lazy('checkWorkflow'),
  checkDictionary: lazy('checkDictionary'),
  specsAtGate: lazy('specsAtGate'),
  decideSpecAs: lazy('decideSpecAs'),
  phaseGatesWaiting: lazy('phaseGatesWaiting'),
  decidePhaseGateAs: lazy('decidePhaseGateAs'),
};
