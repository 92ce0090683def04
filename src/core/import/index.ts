/**
 * The importers' door. Reading Kiro, Spec Kit and Mustard folders is its own bundle
 * (dist/import.js), loaded on first use through importRoom (load.ts); this door gives the rest of
 * the engine that loader, the types, and what the engine bundle carries itself: which folders are
 * foreign specs, their format, and the layer picks of a proposal.
 */
export type { LayerAssignment } from './assignLayers';
export { findForeignFolders } from './foreignFolders';
export { foreignFormat } from './foreignFormat';
export type { ImportedSpec } from './importedSpec';
export {
  ACCEPTED,
  isPendingProposal,
  MODEL_FOUND_NONE,
  NO_LAYER,
  pendingProposalItems,
  PROPOSED,
  TASK_LINE,
  taskLinesOf,
  withLayerPicks,
} from './layerPicks';
export { importRoom } from './load';
export { withSourceTicks } from './sourceTicks';
