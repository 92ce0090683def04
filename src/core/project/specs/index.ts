/**
 * The specs' door: where specs live and their lifecycle (create, approve, complete, reopen), their
 * front matter, their tasks and the layers that own them, and the spec gate's recorded decisions.
 */
export { fenceTracker } from './markdownFence';
export {
  recordedDecision,
  type RecordedSpecDecision,
  recordSpecDecision,
  SPEC_DECISIONS_FILE,
  type SpecGateAction,
  SpecGateError,
  WAITING_SPEC_STATUSES,
} from './specDecisionRecord';
export { layersWithWork, layerTasksText, specPattern, specReferences, withTemplateHeader } from './specDocument';
export { joinSpec, SPEC_ID, type SpecFrontMatter, splitFrontMatter, updateFrontMatterYaml } from './specFrontMatter';
export type { ForeignSpecState, MustardSpecState, SpecInfo } from './specInfo';
export {
  type LayerWork,
  namedPaths,
  type SpecChecklistItem,
  type SpecTasks,
  stripFrontMatter,
  type UnownedItem,
} from './specTasks';
export { tickSpecItems, withTicks } from './specTicks';
export { specWork, unownedInSpecFile, unownedWork } from './specWork';
export {
  approveSpec,
  createSpec,
  isOurSpecText,
  listSpecs,
  loadSpec,
  moveToCompleted,
  parseSpec,
  reopenCompleted,
  replaceSpecBody,
  type Spec,
  updateSpecFrontMatter,
  updateSpecStatus,
} from './specs';
