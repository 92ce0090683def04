import { loadConfig, type OrchestratorConfig } from '../config';
import { loadMemory, type MemoryGraph } from './memory';
import { loadRegistry, type EntityRegistry } from './registry';

export interface ProjectFiles {
  config: OrchestratorConfig;
  registry: EntityRegistry;
  memory: MemoryGraph;
  /** Workspace-relative path of the memory graph read, if any. */
  memoryFile?: string;
  /**
   * What the registry and memory files say that could not be understood (skipped lines,
   * unknown shapes, paths not followed): the run starts anyway and reports each as a warning.
   */
  warnings: string[];
  /**
   * Layer instructions held in memory, by agent name: a run with no config uses the census's
   * layers and their context files without writing them (census/init/inMemory.ts).
   */
  contexts?: Record<string, string>;
}

/**
 * Loads every project file a run depends on, up front: a broken file (config, registry
 * JSON) throws its ProjectFileError here, before any model call is made or paid for.
 */
export async function loadProjectFiles(workspace: string): Promise<ProjectFiles> {
  const config = await loadConfig(workspace);
  const [registry, memory] = await Promise.all([loadRegistry(workspace), loadMemory(workspace, config)]);
  return {
    config,
    registry,
    memory: memory.graph,
    ...(memory.file !== undefined ? { memoryFile: memory.file } : {}),
    warnings: [...registry.warnings, ...memory.warnings],
  };
}
