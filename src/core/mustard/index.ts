/**
 * Mustard's door: its current generation of project files (docs/mustard.md): mustard.json,
 * grain.model.json, the layers' guards and briefs, .claude/spec folders and change requests.
 */
export { cleanLine, markdownText } from './changeRequests';
export { globBase, layerOfFolder } from './folders';
export { GRAIN_MODEL_FILE, type GrainModel, readGrainModel } from './grainModel';
export { relatedModules } from './grainModules';
export { grainMention } from './grainNames';
export { extractGuards, readGuards } from './guards';
export { grainSummary, guardsForLayer, guardsText } from './layerBrief';
export { MUSTARD_JSON, readMustardJson } from './mustardJson';
export { loadMustardProject, type MustardProject } from './mustardProject';
export { isMustardSpecFolder, type MustardSpecFolder, type MustardWave, readMustardSpecFolder } from './specFolder';
export { listMustardSpecs } from './specList';
