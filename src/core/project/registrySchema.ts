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

/**
 * The same rules as `registryDocumentSchema`, as plain loops. The registry can hold
 * 10,000 entities and is read on every run; zod only runs when this says no, to produce
 * the located error message.
 */
export function isValidRegistryDocument(value: unknown): value is RegistryDocument {
  if (!isPlainObject(value)) return false;
  const { _patterns, _enums, e } = value;
  if (_patterns !== undefined && !(isPlainObject(_patterns) && Object.values(_patterns).every((v) => typeof v === 'string'))) return false;
  if (_enums !== undefined && !isPlainObject(_enums)) return false;
  if (e === undefined) return true;
  if (!isPlainObject(e)) return false;
  for (const name in e) {
    if (!Object.hasOwn(e, name)) continue;
    const entity = e[name];
    if (!isPlainObject(entity)) return false;
    if (entity.refs !== undefined && !isStringArray(entity.refs)) return false;
    if (entity.subs !== undefined && !isStringArray(entity.subs)) return false;
    if (entity.pattern !== undefined && typeof entity.pattern !== 'string') return false;
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}
