/**
 * The layers' door: a layer's work (agent, validate with the project's commands, retry), its brief
 * from the spec, what was validated, and the squads layers run in.
 */
export { uncheckedGate, uncheckedWork } from './checkedWork';
export type { LayerBrief, LayerJob, LayerMode } from './layerJob';
export { MAX_CONTINUED_CHARS, runLayer } from './layerWork';
export { specBrief } from './specBrief';
export { squadsOf } from './squads';
export { tickAcceptedWork, untickLayer, untickRun } from './specTicks';
export { validateLayer } from './validateLayer';
export { ownedFilesHash, recordedValidation } from './validatedFiles';
