import { join } from 'node:path';
import { isJsonObject, parseJsonSource, readOptionalText, REGISTRY_FILE } from '../sources';
import {
  conventionLines,
  conventionsFor,
  integrationLines,
  legendLines,
  pathTemplateLines,
} from './registryConventions';
import { detectFormat } from './registryFormat';
import { lastSegment, refId, spellingKey } from './registryNames';
import { readRegistryFile, type ReadRegistryFile, type RegistryFile, type RegistryRecord } from './registryRead';
import { subprojectsWith } from './subprojects';

export type { RegistryFile, RegistryRecord } from './registryRead';
export { enumValues } from './registryRead';

/**
 * The entity registries of a workspace: its own `.claude/entity-registry.json` and those of
 * its subprojects, each kept as its file has it (any Mustard version, ours) so COMPLETE can
 * write it back unchanged but for the entity it updates. Look-ups go through one view of
 * all of them; the workspace's own registry wins a name that several have.
 */
export interface EntityRegistry {
  /** The workspace's own file first (present even when it does not exist yet), then subprojects. */
  files: RegistryFile[];
  /** Exact name → the entity as its file has it; in file order. */
  entities: Map<string, RegistryRecord>;
  /** lower-case entity name → name as written; built once per load for fast look-ups. */
  readonly index: Map<string, string>;
  /** `_patterns` kind → reference module or entity (every file's string-valued patterns). */
  patterns: Record<string, string>;
  /** `_patterns` language → conventions (4.0). */
  conventions: [string, Record<string, unknown>][];
  /** `_enums` name → the file's value. */
  enums: Map<string, unknown>;
  /** What could not be understood: one line each, `file:line:col key: problem`. */
  warnings: string[];
}

/** Everything an agent prompt needs about one entity, whatever shape its registry has. */
export interface EntityInfo {
  name: string;
  /** The registry file it comes from (workspace-relative), and its subproject ('' for the root). */
  registryFile: string;
  project: string;
  /** The entry as the file has it. */
  entry: unknown;
  pattern?: string;
  referenceModule?: string;
  /** Resolved names; a ref to a name the registry does not have is marked so. */
  refs: string[];
  /** Sub-items (`sub` lists, `subs`). */
  subs: string[];
  /** The parent of a 2.1 sub-entity (`sub: "Order"`). */
  parent?: string;
  /** Where it is defined (4.0 `file`). */
  file?: string;
  enums: Record<string, unknown>;
  /** 2.1 `_p` templates filled in for this entity. */
  paths: string[];
  /** 4.0 conventions of its language. */
  conventions: string[];
  /** What the entry says besides the keys above (2.1 flags, 4.0 decorators, …) and what its flags mean. */
  details: string[];
}

/** Loads every registry; a missing file is an empty registry. Broken JSON throws ProjectFileError. */
export async function loadRegistry(workspace: string): Promise<EntityRegistry> {
  const subprojects = await subprojectsWith(workspace, 'entity-registry.json');
  const paths = [REGISTRY_FILE, ...subprojects.map((folder) => `${folder}/${REGISTRY_FILE}`)];
  const texts = await Promise.all(paths.map((path) => readOptionalText(join(workspace, path))));
  const read: ReadRegistryFile[] = [];
  texts.forEach((text, i) => {
    if (i === 0 && text === undefined) read.push(emptyFile());
    else if (text !== undefined)
      read.push(
        readRegistryFile(
          parseJsonSource(text, paths[i] as string),
          text,
          i === 0 ? '' : (subprojects[i - 1] as string),
        ),
      );
  });
  return combine(read);
}

/** One registry from text (the workspace's own file unless `file` says otherwise). */
export function parseRegistry(text: string, file = REGISTRY_FILE, project = ''): EntityRegistry {
  return combine([readRegistryFile(parseJsonSource(text, file), text, project)]);
}

export function emptyRegistry(): EntityRegistry {
  return combine([emptyFile()]);
}

/** The workspace's registry before it exists: written in our shape if COMPLETE adds to it. */
function emptyFile(): ReadRegistryFile {
  const document = { _patterns: {}, _enums: {}, e: {} };
  const file: RegistryFile = {
    path: REGISTRY_FILE,
    project: '',
    document,
    format: detectFormat(document, ''),
    writable: true,
  };
  return { file, entities: [], patterns: [], conventions: [], enums: [], warnings: [] };
}

function combine(read: ReadRegistryFile[]): EntityRegistry {
  const registry: EntityRegistry = {
    files: read.map((r) => r.file),
    entities: new Map(),
    index: new Map(),
    patterns: {},
    conventions: [],
    enums: new Map(),
    warnings: read.flatMap((r) => r.warnings),
  };
  for (const r of read) {
    for (const record of r.entities) addRecord(registry, record);
    for (const [kind, reference] of r.patterns)
      if (!Object.hasOwn(registry.patterns, kind)) registry.patterns[kind] = reference;
    registry.conventions.push(
      ...r.conventions.filter(([language]) => !registry.conventions.some(([l]) => l === language)),
    );
    for (const [name, value] of r.enums) if (!registry.enums.has(name)) registry.enums.set(name, value);
  }
  return registry;
}

/** Adds an entity to the view (a name already there keeps its first record). */
export function addRecord(registry: EntityRegistry, record: RegistryRecord): void {
  if (registry.entities.has(record.name)) return;
  registry.entities.set(record.name, record);
  const lower = record.name.toLowerCase();
  if (!registry.index.has(lower)) registry.index.set(lower, record.name);
}

/** Exact name first, then case-insensitive. */
export function findEntity(registry: EntityRegistry, name: string): RegistryRecord | undefined {
  return registry.entities.get(name) ?? registry.entities.get(registry.index.get(name.toLowerCase()) ?? '');
}

/** A name list from an entry key: a list of names or one name. */
function namesIn(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value] : [];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

/** The entity's pattern kind: its own `pattern`, else the kind whose reference it is (by name or file). */
export function patternOf(registry: EntityRegistry, name: string): string | undefined {
  const found = findEntity(registry, name);
  if (!found) return undefined;
  if (isJsonObject(found.value) && typeof found.value.pattern === 'string') return found.value.pattern;
  const file = isJsonObject(found.value) && typeof found.value.file === 'string' ? found.value.file : undefined;
  return Object.keys(registry.patterns).find((kind) => {
    const reference = registry.patterns[kind] as string;
    return reference.toLowerCase() === found.name.toLowerCase() || (file !== undefined && reference === file);
  });
}

/** `_patterns[kind]`: the module (or entity) to imitate for that kind, kind matched case-insensitively. */
export function referenceModule(registry: EntityRegistry, kind: string): string | undefined {
  if (Object.hasOwn(registry.patterns, kind)) return registry.patterns[kind];
  const key = Object.keys(registry.patterns).find((k) => k.toLowerCase() === kind.toLowerCase());
  return key === undefined ? undefined : registry.patterns[key];
}

/**
 * Enums the entity's entry names (its `enums` list, field types, …) or whose name starts
 * with the entity's name (`Order` → `OrderStatus`).
 */
export function relatedEnums(registry: EntityRegistry, name: string): Record<string, unknown> {
  const found = findEntity(registry, name);
  const entityName = (found?.name ?? name).toLowerCase();
  const mentioned = new Set<string>();
  if (found) collectWords(found.value, mentioned);
  const related: Record<string, unknown> = {};
  for (const [enumName, values] of registry.enums) {
    if (mentioned.has(enumName.toLowerCase()) || enumName.toLowerCase().startsWith(entityName))
      related[enumName] = values;
  }
  return related;
}

function collectWords(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    // `OrderStatus?`, `List<OrderStatus>`, `[[OrderStatus]]`: the identifiers out of type-like strings.
    for (const word of value.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) into.add(word.toLowerCase());
  } else if (Array.isArray(value)) {
    value.forEach((item) => collectWords(item, into));
  } else if (isJsonObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      into.add(key.toLowerCase());
      collectWords(item, into);
    }
  }
}

const spellings = new WeakMap<EntityRegistry, { size: number; keys: Map<string, string> }>();

/**
 * A ref as the registry writes it (`[[Project]]`, `Project`, `[[dashboard.entity.spec-row]]`)
 * → the entity's name; undefined when the registry has no such entity (refs often point
 * at names outside it).
 */
export function resolveRef(registry: EntityRegistry, raw: string): string | undefined {
  const id = refId(raw);
  if (!id) return undefined;
  const direct = findEntity(registry, id)?.name;
  if (direct) return direct;
  let cached = spellings.get(registry);
  if (!cached || cached.size !== registry.entities.size) {
    const keys = new Map<string, string>();
    for (const name of registry.entities.keys()) {
      const key = spellingKey(name);
      if (key && !keys.has(key)) keys.set(key, name);
    }
    cached = { size: registry.entities.size, keys };
    spellings.set(registry, cached);
  }
  const last = lastSegment(id);
  return findEntity(registry, last)?.name ?? cached.keys.get(spellingKey(id)) ?? cached.keys.get(spellingKey(last));
}

/** Refs and sub-items for a prompt: resolved names, else the id as written (`missing` notes it). */
function displayNames(registry: EntityRegistry, raws: string[], missing = ''): string[] {
  const out = raws.map((raw) => resolveRef(registry, raw) ?? `${refId(raw) || raw}${missing}`);
  return [...new Set(out)];
}

const SHOWN_KEYS = new Set(['refs', 'sub', 'subs', 'pattern', 'file', 'enums', 'name']);

/** Look-up plus everything derived from it, or undefined for an unknown entity. */
export function describeEntity(registry: EntityRegistry, name: string): EntityInfo | undefined {
  const found = findEntity(registry, name);
  if (!found) return undefined;
  const entry = isJsonObject(found.value) ? found.value : {};
  const pattern = patternOf(registry, found.name);
  const doc = isJsonObject(found.file.document) ? found.file.document : {};
  const file = typeof entry.file === 'string' ? entry.file : undefined;
  // 2.1: `sub` names the parent; 3.1/4.0: `sub` lists the sub-items.
  const parent = typeof entry.sub === 'string' ? entry.sub : undefined;
  const subs = [...namesIn(entry.subs), ...(Array.isArray(entry.sub) ? namesIn(entry.sub) : [])];
  const details = Object.entries(entry)
    .filter(([key]) => !SHOWN_KEYS.has(key))
    .map(([key, value]) => `${key}: ${compact(value)}`);
  if (details.length > 0 || typeof found.value === 'number')
    details.push(...legendLines(doc._k).map((line) => `(legend) ${line}`));
  const kebabOverride = typeof entry.db === 'string' ? entry.db : undefined;
  return {
    name: found.name,
    registryFile: found.file.path,
    project: found.file.project,
    entry: found.value,
    ...(pattern !== undefined ? { pattern } : {}),
    ...(pattern !== undefined && referenceModule(registry, pattern) !== undefined
      ? { referenceModule: referenceModule(registry, pattern) }
      : {}),
    refs: displayNames(registry, namesIn(entry.refs), ' (not in the registry)'),
    subs: displayNames(registry, subs),
    ...(parent !== undefined ? { parent: resolveRef(registry, parent) ?? parent } : {}),
    ...(file !== undefined ? { file } : {}),
    enums: {
      ...Object.fromEntries(namesIn(entry.enums).map((e) => [e, undefined])),
      ...relatedEnums(registry, found.name),
    },
    paths: pathTemplateLines(doc._p, found.name, kebabOverride),
    conventions: conventionsFor(conventionsIn(doc), file).flatMap(([language, c]) =>
      conventionLines(c).map((line) => `${language}.${line}`),
    ),
    details,
  };
}

/** A file's own 4.0 conventions (`_patterns` language → object): an entity follows its own registry's. */
function conventionsIn(doc: Record<string, unknown>): [string, Record<string, unknown>][] {
  return isJsonObject(doc._patterns)
    ? Object.entries(doc._patterns).filter((entry): entry is [string, Record<string, unknown>] =>
        isJsonObject(entry[1]),
      )
    : [];
}

/** For an entity the registry does not have yet: where its code goes, by the registry's own rules. */
export function newEntityGuide(
  registry: EntityRegistry,
  name: string,
): { paths: string[]; integration: string[]; conventions: string[] } {
  const doc =
    registry.files
      .map((f) => f.document)
      .find((d): d is Record<string, unknown> => isJsonObject(d) && (isJsonObject(d._p) || isJsonObject(d._i))) ?? {};
  return {
    paths: pathTemplateLines(doc._p, name),
    integration: integrationLines(doc._i),
    conventions: registry.conventions.flatMap(([language, c]) =>
      conventionLines(c, 15).map((line) => `${language}.${line}`),
    ),
  };
}

/** A value on one short line. */
function compact(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
