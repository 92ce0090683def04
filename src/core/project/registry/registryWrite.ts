/**
 * COMPLETE's registry update without a sync command: the entity is added to (or merged
 * into) the file that has it, in that file's own shape — a 2.1 file gets `"Name": 1`, a 3.1
 * file `{refs}` with `sub` lists and no empty lists, a 4.0 file wikilinked refs, ours
 * `{refs, subs, pattern}`. Unknown keys, key order and the text layout are kept.
 */
import { join } from 'node:path';
import { isJsonObject, writeFileAtomic } from '../sources';
import { addRecord, findEntity, resolveRef, type EntityRegistry } from './registry';
import { entitiesOf, serializeRegistry } from './registryFormat';
import { refId } from './registryNames';
import type { RegistryFile } from './registryRead';

export interface EntityUpdate {
  refs?: string[];
  subs?: string[];
  /** A `_patterns` kind; only our shape keeps it on the entity. */
  pattern?: string;
}

/**
 * Adds the entity, or merges `update` into the existing one (found case-insensitively, in
 * whichever registry has it). A new entity goes to the registry of `project` when it has
 * one, else the workspace's own. Returns the stored name; throws when that file cannot be
 * written (it was not understood).
 */
export function upsertEntity(
  registry: EntityRegistry,
  name: string,
  update: EntityUpdate,
  options: { project?: string } = {},
): string {
  const existing = findEntity(registry, name);
  if (existing) {
    if (!existing.file.writable) throw new Error(`${existing.file.path} was not understood, so it is not written`);
    if (isJsonObject(existing.value)) mergeInto(registry, existing.value, update, existing.file);
    // A 2.1 entity written as a number (all defaults) has nothing the update could add.
    return existing.name;
  }
  const file = registry.files.find((f) => f.project === (options.project ?? '')) ?? (registry.files[0] as RegistryFile);
  if (!file.writable || !isJsonObject(file.document))
    throw new Error(`${file.path} was not understood, so it is not written`);
  const value = newEntry(registry, update, file);
  insertEntity(file.document, name, value, file);
  addRecord(registry, { name, value, file });
  file.changed = true;
  return name;
}

function newEntry(registry: EntityRegistry, update: EntityUpdate, file: RegistryFile): unknown {
  const { format } = file;
  if (format.family === 'v2') return 1;
  const entry: Record<string, unknown> = {};
  mergeInto(registry, entry, update, file);
  return entry;
}

function mergeInto(
  registry: EntityRegistry,
  entry: Record<string, unknown>,
  update: EntityUpdate,
  file: RegistryFile,
): void {
  const { format } = file;
  const before = JSON.stringify(entry);
  if (format.hasRefs) addNames(registry, entry, 'refs', update.refs ?? [], file);
  addNames(registry, entry, format.family === 'v2' ? 'subs' : format.childKey, update.subs ?? [], file);
  if (format.writesPattern && update.pattern) entry.pattern = update.pattern;
  if (!format.omitEmpty) {
    entry.refs ??= [];
    entry.subs ??= [];
  }
  if (JSON.stringify(entry) !== before) file.changed = true;
}

/** Appends the names the list does not have yet (compared as the registry resolves them), spelled as the file spells refs. */
function addNames(
  registry: EntityRegistry,
  entry: Record<string, unknown>,
  key: string,
  names: string[],
  file: RegistryFile,
): void {
  const current = entry[key];
  const list: unknown[] = Array.isArray(current) ? current : typeof current === 'string' ? [current] : [];
  const have = new Set(
    list
      .filter((v): v is string => typeof v === 'string')
      .map((raw) => (resolveRef(registry, raw) ?? refId(raw)).toLowerCase()),
  );
  const added = names.filter((n) => !have.has(n.toLowerCase()));
  if (added.length === 0) return;
  entry[key] = [...list, ...added.map((n) => (file.format.refStyle === 'wikilink' ? `[[${n}]]` : n))];
}

/** Into `e` (created if missing): in sorted position when the file keeps entities sorted, else last. */
function insertEntity(doc: Record<string, unknown>, name: string, value: unknown, file: RegistryFile): void {
  const entities = entitiesOf(doc);
  if (Array.isArray(entities)) {
    entities.push(isJsonObject(value) ? { name, ...value } : { name });
  } else {
    const key = doc.e === undefined && doc.entities !== undefined ? 'entities' : 'e';
    const map = isJsonObject(entities) ? entities : {};
    const names = Object.keys(map);
    const sorted = names.length > 1 && names.every((n, i) => i === 0 || (names[i - 1] as string) <= n);
    map[name] = value;
    doc[key] = sorted ? Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : map;
  }
  // 2.1 counts its entities in `_m.n`.
  const meta = doc._m;
  if (file.format.family === 'v2' && isJsonObject(meta) && typeof meta.n === 'number') meta.n += 1;
}

/** Writes the registries COMPLETE changed, atomically, in their own layout. */
export async function saveRegistry(workspace: string, registry: EntityRegistry): Promise<void> {
  for (const file of registry.files) {
    if (!file.changed) continue;
    await writeFileAtomic(join(workspace, file.path), serializeRegistry(file.document, file.format.text));
    file.changed = false;
  }
}
