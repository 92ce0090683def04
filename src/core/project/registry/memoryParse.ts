/**
 * Reading a memory graph in every shape the MCP memory server and its forks write
 * (docs/configuration.md): JSONL (also inside a `.json` file), or one JSON object `{entities,
 * relations}` on one line or pretty-printed (also under a `.jsonl` name, its `relations`
 * sometimes holding entities); items with or without `type`, extra fields, duplicates
 * (merged), relations nested in entities, relations to unknown entities (kept). A line or
 * item that is not understood is skipped with a warning naming `file:line`; nothing stops.
 */
import {
  describeValue,
  FileWarnings,
  isJsonObject,
  isStringArray,
  parseJsonSource,
  ProjectFileError,
} from '../sources';
import type { MemoryEntity, MemoryGraph, MemoryRelation } from './memoryTypes';

export interface ReadMemory {
  graph: MemoryGraph;
  warnings: string[];
}

/** A JSONL line, or a key path inside one JSON document. */
type Where = number | (string | number)[];

export function readMemory(text: string, file: string): ReadMemory {
  const document = readAsDocument(text, file);
  if (document) return document;
  const warnings = new FileWarnings({ file, locate: () => ({ line: 1, column: 1 }) });
  const graph = new GraphBuilder((line, detail) => warnings.addLine(line as number, detail));
  // JSONL, line by line without splitting the whole text (graphs run to tens of thousands of lines).
  let line = 0;
  for (let start = 0; start <= text.length;) {
    line++;
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const content = text.slice(start, text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
    start = end + 1;
    if (content.trim() === '') continue;
    const value = parseLine(content);
    if (value === NOT_JSON) warnings.addLine(line, `not a JSON line, skipped: ${excerpt(content.trim())}`);
    else if (Array.isArray(value)) for (const item of value) graph.add(item, line);
    else graph.add(value, line);
  }
  return { graph: graph.done(), warnings: warnings.list() };
}

const NOT_JSON = Symbol('not JSON');

function parseLine(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return NOT_JSON;
  }
}

/**
 * The whole text as one JSON document, when it is one: `{entities, relations}` or a list of
 * items, possibly after lines of prose. undefined for JSONL (whose first line alone is a
 * complete item). A document that does not parse, and no line of which is JSON, gets one
 * warning at its syntax error.
 */
function readAsDocument(text: string, file: string): ReadMemory | undefined {
  const begin = /^[ \t]*[{[]/m.exec(text);
  if (!begin) return undefined;
  const before = text.slice(0, begin.index);
  const lineOffset = before.split('\n').length - 1;
  const body = text.slice(begin.index);
  const firstLineEnd = body.indexOf('\n');
  // JSONL: its first line is a complete value with more after it (a cheap test on a large file).
  if (firstLineEnd > 0 && body.slice(firstLineEnd).trim() !== '' && parseLine(body.slice(0, firstLineEnd)) !== NOT_JSON)
    return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    if (lineOffset > 0 || someLineIsJson(body)) return undefined;
    try {
      parseJsonSource(body, file);
    } catch (located) {
      if (located instanceof ProjectFileError)
        return {
          graph: { entities: [], relations: [] },
          warnings: [`${located.message}; the memory graph was not read`],
        };
    }
    return {
      graph: { entities: [], relations: [] },
      warnings: [`${file}: ${(error as Error).message}; the memory graph was not read`],
    };
  }
  let parsed: ReturnType<typeof parseJsonSource> | undefined;
  const warnings = new FileWarnings({
    file,
    locate: (path) => (parsed ??= parseJsonSource(body, file, { lineOffset })).locate(path),
  });
  const graph = new GraphBuilder((at, detail) => warnings.add(at as (string | number)[], detail));
  if (Array.isArray(value)) {
    value.forEach((item, i) => graph.add(item, [i]));
  } else if (isJsonObject(value) && (Array.isArray(value.entities) || Array.isArray(value.relations))) {
    for (const key of ['entities', 'relations'] as const) {
      const list = value[key];
      if (Array.isArray(list)) {
        list.forEach((item, i) => graph.add(item, [key, i]));
      } else if (list !== undefined) {
        warnings.add([key], `expected a list, got ${describeValue(list)}; skipped`);
      }
    }
  } else {
    return undefined; // one item on one line: a one-line JSONL file
  }
  if (lineOffset > 0 && before.trim() !== '')
    warnings.addLine(1, `${lineOffset === 1 ? 'line' : `lines 1-${lineOffset}`} before the JSON document skipped`);
  return { graph: graph.done(), warnings: warnings.list() };
}

function someLineIsJson(text: string): boolean {
  let checked = 0;
  for (const line of text.split('\n', 200)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      if (isJsonObject(JSON.parse(trimmed))) return true;
    } catch {
      // not a line of JSONL
    }
    if (++checked >= 20) break;
  }
  return false;
}

/**
 * Entities by name (duplicates merged) and relations (as written: a repeated one is harmless), in file
 * order. `warn` reports a problem at the item's place (a JSONL line, or a key path in one
 * document). Plain loops: a graph can hold tens of thousands of items.
 */
class GraphBuilder {
  private readonly entities = new Map<string, MemoryEntity>();
  private readonly relations: MemoryRelation[] = [];

  constructor(private readonly warn: (at: Where, detail: string) => void) {}

  add(item: unknown, at: Where): void {
    if (this.addCanonical(item)) return;
    if (!isJsonObject(item))
      return this.warn(at, `expected an entity or a relation, got ${describeValue(item)}; skipped`);
    const raw = item.type;
    const type =
      raw === 'entity' || raw === 'relation' || raw === undefined
        ? raw
        : typeof raw === 'string'
          ? raw.toLowerCase()
          : raw;
    const isRelation = type === 'relation' || (type === undefined && item.from !== undefined && item.to !== undefined);
    if (isRelation) return this.addRelation(item, undefined, at);
    if (type === 'entity' || (type === undefined && item.name !== undefined)) return this.addEntity(item, at);
    this.warn(
      at,
      type === undefined
        ? 'neither an entity (no "name") nor a relation (no "from"/"to"); skipped'
        : `unknown type ${JSON.stringify(raw)}; skipped`,
    );
  }

  /** The server's own line shapes, in as few steps as possible; false sends the item the long way. */
  private addCanonical(item: unknown): boolean {
    const value = item as Record<string, unknown>;
    if (typeof item !== 'object' || item === null) return false;
    if (value.type === 'entity') {
      const { name, entityType, observations } = value;
      if (typeof name !== 'string' || name === '' || typeof entityType !== 'string' || value.relations !== undefined)
        return false;
      if (observations !== undefined && !isStringArray(observations)) return false;
      if (this.entities.has(name)) return false; // a duplicate: merged the long way
      this.entities.set(name, { name, entityType, observations: observations ?? [] });
      return true;
    }
    if (value.type === 'relation') {
      const { from, to, relationType } = value;
      if (
        typeof from !== 'string' ||
        from === '' ||
        typeof to !== 'string' ||
        to === '' ||
        typeof relationType !== 'string'
      )
        return false;
      this.relations.push({ from, to, relationType });
      return true;
    }
    return false;
  }

  private addEntity(item: Record<string, unknown>, at: Where): void {
    const name = nameOf(item.name);
    if (name === undefined) return this.warn(at, `entity without a name (${describeValue(item.name)}); skipped`);
    const entityType = typeof item.entityType === 'string' ? item.entityType : '';
    const observations = observationsOf(item.observations);
    const known = this.entities.get(name);
    if (known) {
      // Re-appended lines: one entity with every observation; the first type stands.
      if (known.entityType === '') known.entityType = entityType;
      for (const o of observations) if (!known.observations.includes(o)) known.observations.push(o);
    } else {
      this.entities.set(name, { name, entityType, observations });
    }
    if (Array.isArray(item.relations)) for (const r of item.relations) this.addRelation(r, name, at);
  }

  private addRelation(item: unknown, from: string | undefined, at: Where): void {
    if (!isJsonObject(item)) return this.warn(at, `expected a relation, got ${describeValue(item)}; skipped`);
    const source = nameOf(item.from) ?? from;
    const target = nameOf(item.to);
    if (source === undefined || target === undefined) return this.warn(at, 'relation without "from" or "to"; skipped');
    const relationType = typeof item.relationType === 'string' ? item.relationType : '';
    this.relations.push({ from: source, to: target, relationType });
  }

  done(): MemoryGraph {
    return { entities: [...this.entities.values()], relations: this.relations };
  }
}

const excerpt = (text: string): string => (text.length > 60 ? `${text.slice(0, 60)}…` : text);

function nameOf(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && /\S/.test(value) ? value : undefined;
}

/** Strings as they are; forks' `{text|content|observation: …}` objects by their text; anything else as JSON. */
function observationsOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (isStringArray(value)) return value;
  const out: string[] = [];
  for (const o of Array.isArray(value) ? value : [value]) {
    if (typeof o === 'string') out.push(o);
    else if (isJsonObject(o) && typeof (o.text ?? o.content ?? o.observation ?? o.value) === 'string')
      out.push((o.text ?? o.content ?? o.observation ?? o.value) as string);
    else if (o !== null && o !== undefined) out.push(JSON.stringify(o));
  }
  return out;
}
