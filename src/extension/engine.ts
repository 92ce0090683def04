/**
 * The engine contract as one injectable value, so the host can be exercised with a fake in
 * tests and the engine is reached in one place.
 *
 * Loaded lazily: src/core (yaml, the core's zod schemas) is the
 * bulk of the extension's code and activation needs none of it. The engine is its own bundle,
 * dist/engine.js (entry src/core/engineBundle.ts), which scripts/build.mjs keeps out of
 * dist/extension.js; the first engine call require()s it. Elsewhere in src/extension only
 * types may be imported from src/core, besides its portable leaves (src/core/text;
 * PORTABLE in scripts/floors.cjs): the build fails otherwise.
 */
import type { Engine } from '../core/engine';
import type * as EngineBundle from '../core/engineBundle';

export type { Engine } from '../core/engine';

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
 * The real engine, loaded on the first call: `realEngine.<name>(…)` calls the contract's entry
 * of that name (src/core/engine). Every engine function is async, so the wrapper is too: a failure
 * to load surfaces as the call's rejection, like any engine error. Nothing else is read of it (no
 * `then`: it is not a promise), so activation loads nothing.
 */
type Call = (...args: unknown[]) => Promise<unknown>;
export const realEngine: Engine = new Proxy({} as Engine, {
  get: (_target, name) =>
    typeof name === 'string' && name !== 'then'
      ? async (...args: unknown[]): Promise<unknown> => (loadEngine().engine[name as keyof Engine] as Call)(...args)
      : undefined,
});
