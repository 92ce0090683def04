import { join } from 'node:path';
import { z } from 'zod';
import { MEMORY_FILE, readOptionalText } from './files';
import { parseJsonSource } from './jsonSource';
import { checkSchema } from './schemaCheck';

/**
 * `.claude/memory.jsonl`: the knowledge graph in the MCP memory server's JSONL format, one
 * entity or relation per line. Read-only here; search semantics follow that server.
 */
export interface MemoryEntity {
  name: string;
  entityType: string;
  observations: string[];
}

export interface MemoryRelation {
  from: string;
  to: string;
  relationType: string;
}

export interface MemoryGraph {
  entities: MemoryEntity[];
  relations: MemoryRelation[];
}

// Loose: newer server versions may add fields; we keep only what we use. The kind is
// checked first so a wrong `type` reads "expected one of …" rather than a union failure.
const kindSchema = z.looseObject({ type: z.enum(['entity', 'relation']) });
const entitySchema = z.looseObject({
  type: z.literal('entity'),
  name: z.string().min(1),
  entityType: z.string(),
  observations: z.array(z.string()).default([]),
});
const relationSchema = z.looseObject({
  type: z.literal('relation'),
  from: z.string().min(1),
  to: z.string().min(1),
  relationType: z.string(),
});

/** Loads the graph; a missing file is an empty graph. A broken line throws ProjectFileError. */
export async function loadMemory(workspace: string): Promise<MemoryGraph> {
  const text = await readOptionalText(join(workspace, MEMORY_FILE));
  return text === undefined ? { entities: [], relations: [] } : parseMemory(text);
}

export function parseMemory(text: string, file = MEMORY_FILE): MemoryGraph {
  const graph: MemoryGraph = { entities: [], relations: [] };
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const source = parseJsonSource(line, file, { lineOffset: index });
    if (checkSchema(kindSchema, source).type === 'entity') {
      const entity = checkSchema(entitySchema, source);
      graph.entities.push({ name: entity.name, entityType: entity.entityType, observations: entity.observations });
    } else {
      const relation = checkSchema(relationSchema, source);
      graph.relations.push({ from: relation.from, to: relation.to, relationType: relation.relationType });
    }
  });
  return graph;
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
  return withInnerRelations(graph, graph.entities.filter((e) => wanted.has(e.name)));
}

/** Every relation from or to an entity. */
export function relationsOf(graph: MemoryGraph, name: string): MemoryRelation[] {
  return graph.relations.filter((r) => r.from === name || r.to === name);
}

function withInnerRelations(graph: MemoryGraph, entities: MemoryEntity[]): MemoryGraph {
  const names = new Set(entities.map((e) => e.name));
  return { entities, relations: graph.relations.filter((r) => names.has(r.from) && names.has(r.to)) };
}
