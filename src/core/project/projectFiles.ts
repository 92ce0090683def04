import { loadConfig, type OrchestratorConfig } from './config';
import { loadMemory, type MemoryGraph } from './memory';
import { loadRegistry, type EntityRegistry } from './registry';

export interface ProjectFiles {
  config: OrchestratorConfig;
  registry: EntityRegistry;
  memory: MemoryGraph;
}

/**
 * Loads every project file a run depends on, up front: a broken file throws its
 * ProjectFileError here, before any model call is made or paid for.
 */
export async function loadProjectFiles(workspace: string): Promise<ProjectFiles> {
  const [config, registry, memory] = await Promise.all([loadConfig(workspace), loadRegistry(workspace), loadMemory(workspace)]);
  return { config, registry, memory };
}
