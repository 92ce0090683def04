/**
 * The engine facade as one injectable value, so the host can be exercised with a fake in
 * tests and the import of src/core happens in one place.
 */
import * as engine from '../core/engine';

export type Engine = typeof engine;
export const realEngine: Engine = engine;
