/**
 * Reading one registry file as liberally as its real shapes need (docs/configuration.md "Files written by Mustard and the memory server"): Mustard
 * 2.1 (`_p` path templates, entities as numbers or flag objects), 3.1 (`_patterns` kind →
 * entity, `_enums` lists, `sub` lists), 4.0 (`_patterns` per language, enum objects,
 * `{file, refs}` entities with wikilinks), ours, empty skeletons and versions to come. The
 * document itself is kept untouched for writing back; what is read from it goes into plain
 * records. Whatever cannot be understood is a warning naming its key, never a stop.
 */
import { describeValue, FileWarnings, isJsonObject, type ParsedSource } from '../sources';
import { KNOWN_VERSIONS, detectFormat, entitiesOf, type RegistryFormat } from './registryFormat';

export interface RegistryFile {
  /** Workspace-relative path of the file. */
  path: string;
  /** Workspace-relative folder of the subproject it belongs to; '' for the workspace's own. */
  project: string;
  /** The file's JSON as read (a new file: the skeleton we create). Written back as it is. */
  document: unknown;
  format: RegistryFormat;
  /** false when the file's top level or its entities could not be understood: never written. */
  writable: boolean;
  /** Set when COMPLETE changed the document and it must be saved. */
  changed?: boolean;
}

/** One entity as a file has it: `value` is the file's own (number, flag object, `{file, refs}`, …). */
export interface RegistryRecord {
  name: string;
  value: unknown;
  file: RegistryFile;
}

export interface ReadRegistryFile {
  file: RegistryFile;
  entities: RegistryRecord[];
  /** `_patterns` kind → reference (a module path or an entity name). */
  patterns: [string, string][];
  /** `_patterns` language → its conventions object (4.0). */
  conventions: [string, Record<string, unknown>][];
  /** `_enums` name → the file's own value (a list, `{values, file, …}`, …). */
  enums: [string, unknown][];
  warnings: string[];
}

export function readRegistryFile(source: ParsedSource, text: string, project: string): ReadRegistryFile {
  const warnings = new FileWarnings(source);
  const doc = source.value;
  if (!isJsonObject(doc)) {
    warnings.add(
      [],
      `expected a JSON object with the entities under "e", got ${describeValue(doc)}; read as an empty registry and never written`,
    );
    const file: RegistryFile = {
      path: source.file,
      project,
      document: doc,
      format: detectFormat({}, text),
      writable: false,
    };
    return { file, entities: [], patterns: [], conventions: [], enums: [], warnings: warnings.list() };
  }
  const format = detectFormat(doc, text);
  if (format.family === 'unknown') {
    warnings.addGeneral(
      `registry version ${format.version} is not one this Orchestrator knows (${KNOWN_VERSIONS.join(', ')}); read as far as its shape goes`,
    );
  }
  const file: RegistryFile = { path: source.file, project, document: doc, format, writable: true };
  const entities = readEntities(doc, file, warnings);
  const { patterns, conventions } = readPatterns(doc._patterns, warnings);
  const enums = readEnums(doc._enums, warnings);
  if (doc._p !== undefined && !isJsonObject(doc._p))
    warnings.add(['_p'], `expected a mapping of path templates, got ${describeValue(doc._p)}; ignored`);
  return { file, entities, patterns, conventions, enums, warnings: warnings.list() };
}

function readEntities(doc: Record<string, unknown>, file: RegistryFile, warnings: FileWarnings): RegistryRecord[] {
  const key = doc.e === undefined && doc.entities !== undefined ? 'entities' : 'e';
  const entities = entitiesOf(doc);
  const records: RegistryRecord[] = [];
  if (entities === undefined || entities === null) return records;
  if (Array.isArray(entities)) {
    // A list of `{name, …}` objects: read, and new entities are appended alike.
    entities.forEach((item, i) => {
      if (isJsonObject(item) && typeof item.name === 'string' && item.name !== '') {
        records.push({ name: item.name, value: item, file });
        checkEntry(item, key, i, warnings);
      } else {
        warnings.add([key, i], `expected an entity object with a "name", got ${describeValue(item)}; skipped`);
      }
    });
    return records;
  }
  if (!isJsonObject(entities)) {
    warnings.add(
      [key],
      `expected a mapping of entities, got ${describeValue(entities)}; no entities read, and the file is never written`,
    );
    file.writable = false;
    return records;
  }
  for (const name in entities) {
    if (!Object.hasOwn(entities, name) || name.startsWith('_') || name.trim() === '') continue; // `_placeholder` and friends
    const value = entities[name];
    if (typeof value === 'number' || value === true) {
      records.push({ name, value, file }); // 2.1: `1` = all defaults
    } else if (isJsonObject(value)) {
      records.push({ name, value, file });
      checkEntry(value, key, name, warnings);
    } else {
      warnings.add([key, name], `expected an entity object or a number, got ${describeValue(value)}; skipped`);
    }
  }
  return records;
}

/** The keys we read from an entry; anything else is the file's own business. */
function checkEntry(entry: Record<string, unknown>, key: string, name: string | number, warnings: FileWarnings): void {
  for (const field of ['refs', 'sub', 'subs', 'enums'] as const) {
    const value = entry[field];
    if (value === undefined || typeof value === 'string') continue;
    if (!Array.isArray(value)) {
      warnings.add([key, name, field], `expected a list of names, got ${describeValue(value)}; ignored`);
      continue;
    }
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] !== 'string')
        warnings.add([key, name, field, i], `expected a name, got ${describeValue(value[i])}; ignored`);
    }
  }
  if (entry.pattern !== undefined && typeof entry.pattern !== 'string') {
    warnings.add([key, name, 'pattern'], `expected a pattern kind, got ${describeValue(entry.pattern)}; ignored`);
  }
}

function readPatterns(value: unknown, warnings: FileWarnings): Pick<ReadRegistryFile, 'patterns' | 'conventions'> {
  const out: Pick<ReadRegistryFile, 'patterns' | 'conventions'> = { patterns: [], conventions: [] };
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return out;
  if (!isJsonObject(value)) {
    warnings.add(['_patterns'], `expected a mapping, got ${describeValue(value)}; ignored`);
    return out;
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') out.patterns.push([key, item]);
    else if (isJsonObject(item)) out.conventions.push([key, item]);
    else
      warnings.add(
        ['_patterns', key],
        `expected a reference (text) or a conventions object, got ${describeValue(item)}; ignored`,
      );
  }
  return out;
}

function readEnums(value: unknown, warnings: FileWarnings): [string, unknown][] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    // Rare: a list of names, or of `{name, values}` objects.
    const out: [string, unknown][] = [];
    value.forEach((item, i) => {
      if (typeof item === 'string') out.push([item, []]);
      else if (isJsonObject(item) && typeof item.name === 'string') out.push([item.name, item]);
      else warnings.add(['_enums', i], `expected an enum name or {name, values}, got ${describeValue(item)}; ignored`);
    });
    return out;
  }
  if (!isJsonObject(value)) {
    warnings.add(['_enums'], `expected a mapping of enums, got ${describeValue(value)}; ignored`);
    return [];
  }
  const out: [string, unknown][] = [];
  for (const [name, item] of Object.entries(value)) {
    if (Array.isArray(item) || isJsonObject(item)) out.push([name, item]);
    else
      warnings.add(['_enums', name], `expected a list of values or {values, …}, got ${describeValue(item)}; ignored`);
  }
  return out;
}

/** An enum's values, whatever its shape (`[…]`, `{values: […]}`); undefined when none are listed. */
export function enumValues(raw: unknown): unknown[] | undefined {
  if (Array.isArray(raw)) return raw;
  if (isJsonObject(raw) && Array.isArray(raw.values)) return raw.values;
  return undefined;
}
