import { join } from 'node:path';
import type { OrchestratorConfig } from '../config';
import { readOptionalText } from '../sources';
import { locateMemoryFile } from './memoryLocation';
import { readMemory } from './memoryParse';
import type { MemoryEntity, MemoryGraph, MemoryRelation } from './memoryTypes';

export type { MemoryEntity, MemoryGraph, MemoryRelation } from './memoryTypes';

export interface LoadedMemory {
  graph: MemoryGraph;
  /** Workspace-relative path of the file read; undefined when there is none. */
  file?: string;
  /** Lines and items skipped, paths not followed: `file:line: problem`. */
  warnings: string[];
}

/** Finds and reads the graph; none is an empty graph. Never throws on content, only on I/O. */
export async function loadMemory(
  workspace: string,
  config: Pick<OrchestratorConfig, 'memory'> = {},
): Promise<LoadedMemory> {
  const location = await locateMemoryFile(workspace, config);
  const text = location.file === undefined ? undefined : await readOptionalText(join(workspace, location.file));
  if (location.file === undefined || text === undefined) {
    const missing =
      location.from === 'config'
        ? [`${location.file}: the memory file set by \`memory:\` in .claude/orchestrator.yaml does not exist`]
        : [];
    return { graph: { entities: [], relations: [] }, warnings: [...location.warnings, ...missing] };
  }
  const read = readMemory(text, location.file);
  return { graph: read.graph, file: location.file, warnings: [...location.warnings, ...read.warnings] };
}

/** The graph in `text` (warnings dropped: see readMemory). */
export function parseMemory(text: string, file = '.claude/memory.jsonl'): MemoryGraph {
  return readMemory(text, file).graph;
}

/**
 * Lower-case name → entity, built once per graph (the graph is read-only once loaded):
 * `all` holds every entity, `subjects` those a request can be about (not conventions).
 * The first entity of a name wins, as a scan in file order would find it.
 */
export interface MemoryIndex {
  all: Map<string, MemoryEntity>;
  subjects: Map<string, MemoryEntity>;
  /** Length of the longest name. */
  longestName: number;
}

const indexes = new WeakMap<MemoryGraph, { size: number; index: MemoryIndex }>();

export function memoryIndex(graph: MemoryGraph): MemoryIndex {
  const cached = indexes.get(graph);
  if (cached && cached.size === graph.entities.length) return cached.index;
  const index: MemoryIndex = { all: new Map(), subjects: new Map(), longestName: 0 };
  for (const entity of graph.entities) {
    const lower = entity.name.toLowerCase();
    if (!index.all.has(lower)) index.all.set(lower, entity);
    if (!index.subjects.has(lower) && entity.entityType.toLowerCase() !== 'convention')
      index.subjects.set(lower, entity);
    if (lower.length > index.longestName) index.longestName = lower.length;
  }
  indexes.set(graph, { size: graph.entities.length, index });
  return index;
}

/** The entity of that name, case-insensitively (the first one in the file). */
export function findMemoryEntity(graph: MemoryGraph, name: string): MemoryEntity | undefined {
  return memoryIndex(graph).all.get(name.toLowerCase());
}

/**
 * Entities whose name, type or any observation contains `query` (case-insensitive), and the
 * relations between them, as the MCP server's `search_nodes`.
 */
export function searchNodes(graph: MemoryGraph, query: string): MemoryGraph {
  const needle = query.toLowerCase();
  const entities = graph.entities.filter(
    (e) =>
      e.name.toLowerCase().includes(needle) ||
      e.entityType.toLowerCase().includes(needle) ||
      e.observations.some((o) => o.toLowerCase().includes(needle)),
  );
  return withInnerRelations(graph, entities);
}

/** The named entities (exact names, as the MCP server's `open_nodes`) and relations between them. */
export function openNodes(graph: MemoryGraph, names: readonly string[]): MemoryGraph {
  const wanted = new Set(names);
  return withInnerRelations(
    graph,
    graph.entities.filter((e) => wanted.has(e.name)),
  );
}

/** Every relation from or to an entity. */
export function relationsOf(graph: MemoryGraph, name: string): MemoryRelation[] {
  return graph.relations.filter((r) => r.from === name || r.to === name);
}

function withInnerRelations(graph: MemoryGraph, entities: MemoryEntity[]): MemoryGraph {
  const names = new Set(entities.map((e) => e.name));
  return { entities, relations: graph.relations.filter((r) => names.has(r.from) && names.has(r.to)) };
}
