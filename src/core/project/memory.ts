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
  // Line by line without splitting the whole text (a graph can have tens of thousands of
  // lines). Each line goes through the native JSON parser and a plain-loop shape check;
  // only a line that fails either is parsed again to locate and explain the problem.
  let index = 0;
  for (let start = 0; start <= text.length; index++) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const line = text.charCodeAt(end - 1) === 0x0d ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (line.trim() === '' || addFast(graph, line)) continue;
    addChecked(graph, line, file, index);
  }
  return graph;
}

/** The common case: valid JSON of a valid shape. false sends the line to addChecked. */
function addFast(graph: MemoryGraph, line: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return false;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const item = value as Record<string, unknown>;
  if (item.type === 'entity') {
    const { name, entityType, observations } = item;
    if (typeof name !== 'string' || name.length === 0 || typeof entityType !== 'string') return false;
    if (observations !== undefined && !isStringArray(observations)) return false;
    graph.entities.push({ name, entityType, observations: observations ?? [] });
    return true;
  }
  if (item.type === 'relation') {
    const { from, to, relationType } = item;
    if (typeof from !== 'string' || from.length === 0 || typeof to !== 'string' || to.length === 0 || typeof relationType !== 'string') return false;
    graph.relations.push({ from, to, relationType });
    return true;
  }
  return false;
}

/** The schemas' way: a broken line throws its ProjectFileError with line, column and key. */
function addChecked(graph: MemoryGraph, line: string, file: string, index: number): void {
  const source = parseJsonSource(line, file, { lineOffset: index });
  if (checkSchema(kindSchema, source).type === 'entity') {
    const entity = checkSchema(entitySchema, source);
    graph.entities.push({ name: entity.name, entityType: entity.entityType, observations: entity.observations });
  } else {
    const relation = checkSchema(relationSchema, source);
    graph.relations.push({ from: relation.from, to: relation.to, relationType: relation.relationType });
  }
}

function isStringArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
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
    if (!index.subjects.has(lower) && entity.entityType.toLowerCase() !== 'convention') index.subjects.set(lower, entity);
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
