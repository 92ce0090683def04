/**
 * Reading a memory graph in every shape the MCP memory server and its forks write
 * (REALWORLD.md): JSONL (also inside a `.json` file), or one JSON object `{entities,
 * relations}` on one line or pretty-printed (also under a `.jsonl` name, its `relations`
 * sometimes holding entities); items with or without `type`, extra fields, duplicates
 * (merged), relations nested in entities, relations to unknown entities (kept). A line or
 * item that is not understood is skipped with a warning naming `file:line`; nothing stops.
 */
import { FileWarnings, describeValue } from './fileWarnings';
import { parseJsonSource } from './jsonSource';
import type { MemoryEntity, MemoryGraph, MemoryRelation } from './memory';
import { ProjectFileError } from './errors';

export interface ReadMemory {
  graph: MemoryGraph;
  warnings: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function readMemory(text: string, file: string): ReadMemory {
  const graph = new GraphBuilder();
  const lineWarnings = new FileWarnings({ file, locate: () => ({ line: 1, column: 1 }) });
  const document = readAsDocument(text, file, graph);
  if (document) return { graph: graph.done(), warnings: document.warnings };

  // JSONL, line by line without splitting the whole text (graphs run to tens of thousands of lines).
  let line = 0;
  const warn = (at: number, detail: string): void => lineWarnings.addLine(at, detail);
  for (let start = 0; start <= text.length; ) {
    line++;
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const content = text.slice(start, text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
    start = end + 1;
    if (content.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      warn(line, `not a JSON line, skipped: ${excerpt(content.trim())}`);
      continue;
    }
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) graph.add(item, (detail) => warn(line, detail));
  }
  return { graph: graph.done(), warnings: lineWarnings.list() };
}

/**
 * The whole text as one JSON document, when it is one: `{entities, relations}` or a list of
 * items, possibly after lines of prose. undefined for JSONL (whose first line alone is a
 * complete item). A document that does not parse, and no line of which is JSON, gets one
 * warning at its syntax error.
 */
function readAsDocument(text: string, file: string, graph: GraphBuilder): { warnings: string[] } | undefined {
  const begin = /^[ \t]*[{[]/m.exec(text);
  if (!begin) return undefined;
  const before = text.slice(0, begin.index);
  const lineOffset = before.split('\n').length - 1;
  const body = text.slice(begin.index);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    if (lineOffset > 0 || someLineIsJson(body)) return undefined;
    try {
      parseJsonSource(body, file);
    } catch (located) {
      if (located instanceof ProjectFileError) return { warnings: [`${located.message}; the memory graph was not read`] };
    }
    return { warnings: [`${file}: ${(error as Error).message}; the memory graph was not read`] };
  }
  let parsed: ReturnType<typeof parseJsonSource> | undefined;
  const warnings = new FileWarnings({ file, locate: (path) => (parsed ??= parseJsonSource(body, file, { lineOffset })).locate(path) });
  const at = (path: (string | number)[]) => (detail: string) => warnings.add(path, detail);
  if (Array.isArray(value)) {
    value.forEach((item, i) => graph.add(item, at([i])));
  } else if (isObject(value) && (Array.isArray(value.entities) || Array.isArray(value.relations))) {
    for (const key of ['entities', 'relations'] as const) {
      const list = value[key];
      if (Array.isArray(list)) list.forEach((item, i) => graph.add(item, at([key, i])));
      else if (list !== undefined) warnings.add([key], `expected a list, got ${describeValue(list)}; skipped`);
    }
  } else {
    return undefined; // one item on one line: a one-line JSONL file
  }
  if (lineOffset > 0 && before.trim() !== '') warnings.addLine(1, `${lineOffset === 1 ? 'line' : `lines 1-${lineOffset}`} before the JSON document skipped`);
  return { warnings: warnings.list() };
}

function someLineIsJson(text: string): boolean {
  let checked = 0;
  for (const line of text.split('\n', 200)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      if (isObject(JSON.parse(trimmed))) return true;
    } catch {
      // not a line of JSONL
    }
    if (++checked >= 20) break;
  }
  return false;
}

/** Entities by name (duplicates merged) and relations (exact duplicates dropped), in file order. */
class GraphBuilder {
  private readonly entities = new Map<string, MemoryEntity>();
  private readonly relations = new Map<string, MemoryRelation>();

  add(item: unknown, warn: (detail: string) => void): void {
    if (!isObject(item)) return warn(`expected an entity or a relation, got ${describeValue(item)}; skipped`);
    const type = typeof item.type === 'string' ? item.type.toLowerCase() : undefined;
    const isRelation = type === 'relation' || (type === undefined && item.from !== undefined && item.to !== undefined);
    const isEntity = type === 'entity' || (type === undefined && !isRelation && item.name !== undefined);
    if (isRelation) this.addRelation(item, undefined, warn);
    else if (isEntity) this.addEntity(item, warn);
    else warn(type === undefined ? 'neither an entity (no "name") nor a relation (no "from"/"to"); skipped' : `unknown type ${JSON.stringify(item.type)}; skipped`);
  }

  private addEntity(item: Record<string, unknown>, warn: (detail: string) => void): void {
    const name = nameOf(item.name);
    if (name === undefined) return warn(`entity without a name (${describeValue(item.name)}); skipped`);
    const entityType = typeof item.entityType === 'string' ? item.entityType : '';
    const observations = observationsOf(item.observations);
    const known = this.entities.get(name);
    if (known) {
      // Re-appended lines: one entity with every observation; the first type stands.
      if (known.entityType === '') known.entityType = entityType;
      for (const o of observations) if (!known.observations.includes(o)) known.observations.push(o);
    } else {
      this.entities.set(name, { name, entityType, observations: [...new Set(observations)] });
    }
    if (Array.isArray(item.relations)) for (const r of item.relations) this.addRelation(r, name, warn);
  }

  private addRelation(item: unknown, from: string | undefined, warn: (detail: string) => void): void {
    if (!isObject(item)) return warn(`expected a relation, got ${describeValue(item)}; skipped`);
    const source = nameOf(item.from) ?? from;
    const target = nameOf(item.to);
    if (source === undefined || target === undefined) return warn('relation without "from" or "to"; skipped');
    const relationType = typeof item.relationType === 'string' ? item.relationType : '';
    const key = `${source}\u0000${target}\u0000${relationType}`;
    if (!this.relations.has(key)) this.relations.set(key, { from: source, to: target, relationType });
  }

  done(): MemoryGraph {
    return { entities: [...this.entities.values()], relations: [...this.relations.values()] };
  }
}

const excerpt = (text: string): string => (text.length > 60 ? `${text.slice(0, 60)}…` : text);

function nameOf(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Strings as they are; forks' `{text|content|observation: …}` objects by their text; anything else as JSON. */
function observationsOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((o) => {
    if (typeof o === 'string') return [o];
    if (isObject(o)) {
      const text = o.text ?? o.content ?? o.observation ?? o.value;
      if (typeof text === 'string') return [text];
    }
    return o === null || o === undefined ? [] : [JSON.stringify(o)];
  });
}
