/**
 * The registry's door: Mustard's entity registry (read, described, written) and the MCP memory
 * graph, and the project files an agent's context names.
 */
export { findMemoryEntity, loadMemory, memoryIndex, openNodes, relationsOf } from './memory';
export { locateMemoryFile } from './memoryLocation';
export type { MemoryGraph } from './memoryTypes';
export { loadProjectFiles, type ProjectFiles } from './projectFiles';
export {
  describeEntity,
  type EntityInfo,
  type EntityRegistry,
  findEntity,
  loadRegistry,
  newEntityGuide,
  patternOf,
  referenceModule,
} from './registry';
export { spellingKey } from './registryNames';
export { enumValues } from './registryRead';
export { saveRegistry, upsertEntity } from './registryWrite';
