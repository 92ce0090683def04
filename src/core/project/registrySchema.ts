import { z } from 'zod';

/**
 * `.claude/entity-registry.json`. Loose objects: the project's sync script may add its own
 * keys (to the file or to an entity) and saving must keep them. Known keys are checked.
 */
export const registryEntitySchema = z.looseObject({
  refs: z.array(z.string()).optional(),
  subs: z.array(z.string()).optional(),
  pattern: z.string().optional(),
});

export const registryDocumentSchema = z.looseObject({
  _patterns: z.record(z.string(), z.string()).optional(),
  _enums: z.record(z.string(), z.unknown()).optional(),
  e: z.record(z.string(), registryEntitySchema).optional(),
});

export interface RegistryEntity {
  /** Entities this one references. */
  refs?: string[];
  /** Sub-item entities it owns. */
  subs?: string[];
  /** A `_patterns` kind (simple, withSubItems, selfReferencing, manyToMany, …). */
  pattern?: string;
  [key: string]: unknown;
}

export interface RegistryDocument {
  /** kind → reference module that shows how that kind is implemented. */
  _patterns?: Record<string, string>;
  _enums?: Record<string, unknown>;
  e?: Record<string, RegistryEntity>;
  [key: string]: unknown;
}
