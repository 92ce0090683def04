/**
 * How one registry file is written, so COMPLETE can write it back the same way: its version
 * (Mustard 2.1, 3.1, 4.0, ours without one), the key for sub-items (`sub` or `subs`), how refs
 * are spelled (wikilinks or bare), whether empty lists are left out, and the text layout
 * (indent, line ends, final newline). Never converted to another shape.
 */
import { isWikilink } from './registryNames';
import { isJsonObject } from '../sources';

/** `ours`: the shape docs/configuration.md gives (no version). `unknown`: a version we do not know. */
export type RegistryFamily = 'ours' | 'v2' | 'v3' | 'v4' | 'unknown';

export interface RegistryFormat {
  /** As written in `_meta.version`, `_m.v` or `version`. */
  version?: string;
  family: RegistryFamily;
  /** The key of an entity's sub-item list. */
  childKey: 'sub' | 'subs';
  refStyle: 'wikilink' | 'bare';
  /** Mustard leaves empty lists out; our shape writes `refs: []`, `subs: []`. */
  omitEmpty: boolean;
  /** Only our shape has an entity `pattern` key. */
  writesPattern: boolean;
  /** Only v2.1 has no refs; it writes a new entity as `1` (all defaults). */
  hasRefs: boolean;
  text: TextLayout;
}

export interface TextLayout {
  indent: string;
  newline: '\n' | '\r\n';
  finalNewline: boolean;
}

export const KNOWN_VERSIONS = ['2.1', '3.1', '4.0'];

export function registryVersion(doc: Record<string, unknown>): string | undefined {
  const meta = isJsonObject(doc._meta) ? doc._meta.version : undefined;
  const compact = isJsonObject(doc._m) ? doc._m.v : undefined;
  const version = meta ?? compact ?? doc.version;
  return typeof version === 'string' || typeof version === 'number' ? String(version) : undefined;
}

/** The entities' mapping (`e`, or `entities` in files that spell it out). */
export function entitiesOf(doc: Record<string, unknown>): unknown {
  return doc.e ?? doc.entities;
}

export function detectFormat(doc: Record<string, unknown>, text: string): RegistryFormat {
  const version = registryVersion(doc);
  const family = familyOf(version, doc);
  const observed = observeEntities(entitiesOf(doc));
  const childKey =
    observed.sub !== observed.subs
      ? observed.sub > observed.subs
        ? 'sub'
        : 'subs'
      : family === 'ours' || family === 'v2'
        ? 'subs'
        : 'sub';
  return {
    ...(version !== undefined ? { version } : {}),
    family,
    childKey,
    refStyle: observed.wikilinks > 0 ? 'wikilink' : 'bare',
    omitEmpty: family !== 'ours',
    writesPattern: family === 'ours',
    hasRefs: family !== 'v2',
    text: textLayout(text),
  };
}

function familyOf(version: string | undefined, doc: Record<string, unknown>): RegistryFamily {
  if (version !== undefined) {
    const major = /^\s*v?(\d+)/.exec(version)?.[1];
    return major === '2' ? 'v2' : major === '3' ? 'v3' : major === '4' ? 'v4' : 'unknown';
  }
  // No version: Mustard's marks, else ours.
  if (isJsonObject(doc._p) || isJsonObject(doc._k) || isJsonObject(doc._m)) return 'v2';
  return 'ours';
}

/** Counts of what the file's entities use, to write new ones alike. */
function observeEntities(entities: unknown): { sub: number; subs: number; wikilinks: number } {
  const seen = { sub: 0, subs: 0, wikilinks: 0 };
  if (!isJsonObject(entities)) return seen;
  let looked = 0;
  for (const name in entities) {
    const entry = entities[name];
    if (!isJsonObject(entry)) continue;
    if (Array.isArray(entry.sub)) seen.sub++;
    if (Array.isArray(entry.subs)) seen.subs++;
    if (Array.isArray(entry.refs) && entry.refs.some((r) => typeof r === 'string' && isWikilink(r))) seen.wikilinks++;
    // A sample settles it; a 10,000-entity registry need not be walked twice.
    if (++looked >= 500) break;
  }
  return seen;
}

export function textLayout(text: string): TextLayout {
  const body = text.trim();
  const indent = /\n([ \t]+)\S/.exec(body)?.[1] ?? (body.includes('\n') || body.length <= 2 ? '  ' : '');
  const tail = text.slice(text.trimEnd().length);
  return {
    indent,
    newline: text.includes('\r\n') ? '\r\n' : '\n',
    finalNewline: text.length === 0 || tail.includes('\n'),
  };
}

export function serializeRegistry(doc: unknown, layout: TextLayout): string {
  const json = JSON.stringify(doc, null, layout.indent);
  const lines = layout.newline === '\n' ? json : json.replace(/\n/g, '\r\n');
  return layout.finalNewline ? `${lines}${layout.newline}` : lines;
}
