/**
 * The knowledge graph in the MCP memory server's format (entities with observations, and
 * relations between them), read from wherever the project keeps it (memoryLocation.ts) in
 * any of its real shapes (memoryParse.ts). Read-only here; search semantics follow that server.
 */
export interface MemoryEntity {
  name: string;
  /** '' when the file gives none. */
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
