/** Mustard's current generation of project files (docs/mustard.md). */
export * from './mustardJson';
export * from './grainModel';
export * from './guards';
export * from './mustardProject';
export * from './layerBrief';
export * from './grainNames';
export * from './folders';
export * from './specFolder';
export * from './changeRequests';
