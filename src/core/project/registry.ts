import { join } from 'node:path';
import { REGISTRY_FILE, readOptionalText, writeFileAtomic } from './files';
import { parseJsonSource } from './jsonSource';
import {
  isValidRegistryDocument,
  registryDocumentSchema,
  registryEntitySchema,
  type RegistryDocument,
  type RegistryEntity,
} from './registrySchema';
import { checkSchema } from './schemaCheck';

export type { RegistryDocument, RegistryEntity } from './registrySchema';

/**
 * The entity registry as read from disk. `document` is the file's own object (validated,
 * not rebuilt) so saving keeps key order and keys we do not know about.
 */
export interface EntityRegistry {
  document: RegistryDocument;
  /** lower-case entity name → name as written; built once per load for fast look-ups. */
  readonly index: Map<string, string>;
}

/** Everything an agent prompt needs about one entity. */
export interface EntityInfo {
  name: string;
  entry: RegistryEntity;
  pattern?: string;
  referenceModule?: string;
  refs: string[];
  subs: string[];
  enums: Record<string, unknown>;
}

/** Loads the registry; a missing file is an empty registry. Throws ProjectFileError. */
export async function loadRegistry(workspace: string): Promise<EntityRegistry> {
  const text = await readOptionalText(join(workspace, REGISTRY_FILE));
  return text === undefined ? emptyRegistry() : parseRegistry(text);
}

export function parseRegistry(text: string, file = REGISTRY_FILE): EntityRegistry {
  const source = parseJsonSource(text, file);
  // Fast check first; zod (slow on 10,000 entities) only to explain a failure.
  if (!isValidRegistryDocument(source.value)) checkSchema(registryDocumentSchema, source);
  return withIndex(source.value as RegistryDocument);
}

export function emptyRegistry(): EntityRegistry {
  return withIndex({ _patterns: {}, _enums: {}, e: {} });
}

function withIndex(document: RegistryDocument): EntityRegistry {
  const index = new Map<string, string>();
  for (const name of Object.keys(document.e ?? {})) {
    const lower = name.toLowerCase();
    if (!index.has(lower)) index.set(lower, name);
  }
  return { document, index };
}

/** Exact name first, then case-insensitive. */
export function findEntity(registry: EntityRegistry, name: string): { name: string; entry: RegistryEntity } | undefined {
  const entities = registry.document.e ?? {};
  const exact = Object.hasOwn(entities, name) ? name : registry.index.get(name.toLowerCase());
  if (exact === undefined || !Object.hasOwn(entities, exact)) return undefined;
  return { name: exact, entry: entities[exact] as RegistryEntity };
}

/** The entity's pattern kind: its own `pattern`, else the kind whose reference module it is. */
export function patternOf(registry: EntityRegistry, name: string): string | undefined {
  const found = findEntity(registry, name);
  if (!found) return undefined;
  if (found.entry.pattern) return found.entry.pattern;
  const patterns = registry.document._patterns ?? {};
  return Object.keys(patterns).find((kind) => patterns[kind]?.toLowerCase() === found.name.toLowerCase());
}

/** `_patterns[kind]`: the module to imitate for that kind (kind matched case-insensitively). */
export function referenceModule(registry: EntityRegistry, kind: string): string | undefined {
  const patterns = registry.document._patterns ?? {};
  if (Object.hasOwn(patterns, kind)) return patterns[kind];
  const key = Object.keys(patterns).find((k) => k.toLowerCase() === kind.toLowerCase());
  return key === undefined ? undefined : patterns[key];
}

/**
 * Enums named anywhere in the entity's entry (field types, refs, …) or whose name starts
 * with the entity's name (`Order` → `OrderStatus`).
 */
export function relatedEnums(registry: EntityRegistry, name: string): Record<string, unknown> {
  const enums = registry.document._enums ?? {};
  const found = findEntity(registry, name);
  const entityName = (found?.name ?? name).toLowerCase();
  const mentioned = new Set<string>();
  if (found) collectWords(found.entry, mentioned);
  const related: Record<string, unknown> = {};
  for (const [enumName, values] of Object.entries(enums)) {
    if (mentioned.has(enumName.toLowerCase()) || enumName.toLowerCase().startsWith(entityName)) related[enumName] = values;
  }
  return related;
}

function collectWords(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    // `OrderStatus?`, `List<OrderStatus>`: take the identifiers out of type-like strings.
    for (const word of value.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) into.add(word.toLowerCase());
  } else if (Array.isArray(value)) {
    value.forEach((item) => collectWords(item, into));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.add(key.toLowerCase());
      collectWords(item, into);
    }
  }
}

/** Look-up plus everything derived from it, or undefined for an unknown entity. */
export function describeEntity(registry: EntityRegistry, name: string): EntityInfo | undefined {
  const found = findEntity(registry, name);
  if (!found) return undefined;
  const pattern = patternOf(registry, found.name);
  return {
    name: found.name,
    entry: found.entry,
    pattern,
    referenceModule: pattern === undefined ? undefined : referenceModule(registry, pattern),
    refs: [...(found.entry.refs ?? [])],
    subs: [...(found.entry.subs ?? [])],
    enums: relatedEnums(registry, found.name),
  };
}

/**
 * Adds an entity or merges `entry` into the existing one (found case-insensitively, so
 * `customer` updates `Customer`). Keys not in `entry` are kept. Returns the stored name.
 */
export function upsertEntity(registry: EntityRegistry, name: string, entry: RegistryEntity): string {
  const checked = registryEntitySchema.safeParse(entry);
  if (!checked.success) throw new Error(`invalid registry entry for "${name}": ${checked.error.issues[0]?.message ?? 'invalid'}`);
  const entities = (registry.document.e ??= {});
  const existing = findEntity(registry, name);
  const storedName = existing?.name ?? name;
  entities[storedName] = { ...(existing?.entry ?? {}), ...entry };
  if (!registry.index.has(storedName.toLowerCase())) registry.index.set(storedName.toLowerCase(), storedName);
  return storedName;
}

/** Writes the registry atomically, 2-space indented with a trailing newline. */
export async function saveRegistry(workspace: string, registry: EntityRegistry): Promise<void> {
  await writeFileAtomic(join(workspace, REGISTRY_FILE), `${JSON.stringify(registry.document, null, 2)}\n`);
}
