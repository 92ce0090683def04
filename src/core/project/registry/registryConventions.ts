/**
 * What a registry says about where an entity's code goes, in lines an agent can read:
 * Mustard 2.1's `_p` path templates filled in for the entity (and `_i` integration points,
 * `_k` flag legend), and 4.0's per-language conventions (`_patterns.typescript`, …), which
 * are large nested objects: flattened to `path: value` lines, bounded.
 */
import { fillTemplate, placeholderValues } from './registryNames';
import { isJsonObject } from '../sources';

/** `_p` filled in for `name`: `db: apps/db/schema/order-item.ts`, `be.svc: …`. */
export function pathTemplateLines(templates: unknown, name: string, kebabOverride?: string): string[] {
  if (!isJsonObject(templates)) return [];
  const values = placeholderValues(name, kebabOverride);
  return flatten(templates, { maxLines: 40, maxDepth: 3 }).map(
    ({ key, value }) => `${key}: ${fillTemplate(value, values)}`,
  );
}

/** `_i`: the files to update when an entity is added (lists per layer). */
export function integrationLines(points: unknown): string[] {
  if (!isJsonObject(points)) return [];
  return flatten(points, { maxLines: 30, maxDepth: 2 }).map(({ key, value }) => `${key}: ${value}`);
}

/** `_k`: what the flags of a 2.1 entry mean. */
export function legendLines(legend: unknown): string[] {
  if (!isJsonObject(legend)) return [];
  return Object.entries(legend)
    .filter(([, meaning]) => typeof meaning === 'string')
    .map(([flag, meaning]) => `${flag} = ${String(meaning)}`);
}

const LANGUAGES: [RegExp, string[]][] = [
  [/\.(ts|tsx|mts|cts)$/i, ['typescript', 'ts', 'node', 'javascript']],
  [/\.(js|jsx|mjs|cjs)$/i, ['javascript', 'js', 'node', 'typescript']],
  [/\.rs$/i, ['rust']],
  [/\.go$/i, ['go', 'golang']],
  [/\.cs$/i, ['csharp', 'dotnet', 'cs', 'net']],
  [/\.py$/i, ['python', 'py']],
  [/\.(java)$/i, ['java', 'spring']],
  [/\.(kt|kts)$/i, ['kotlin', 'java']],
  [/\.rb$/i, ['ruby', 'rails']],
  [/\.php$/i, ['php', 'laravel']],
  [/\.(swift)$/i, ['swift']],
  [/\.(dart)$/i, ['dart', 'flutter']],
];

/**
 * The conventions that apply to a file: the language its extension says, when the registry
 * has it; else every language's (a new entity, or a file of another language).
 */
export function conventionsFor(
  conventions: [string, Record<string, unknown>][],
  file: string | undefined,
): [string, Record<string, unknown>][] {
  const candidates = file ? (LANGUAGES.find(([ext]) => ext.test(file))?.[1] ?? []) : [];
  for (const candidate of candidates) {
    const match = conventions.find(([language]) => language.toLowerCase() === candidate);
    if (match) return [match];
  }
  return conventions;
}

/** One language's conventions, flattened: plain keys first, then the `_`-prefixed statistics. */
export function conventionLines(conventions: Record<string, unknown>, maxLines = 30): string[] {
  return flatten(conventions, { maxLines, maxDepth: 4 }).map(({ key, value }) => `${key}: ${value}`);
}

interface FlatLine {
  key: string;
  value: string;
}

const MAX_LINE = 200;
const LIST_ITEMS = 6;

/** Scalars as `a.b.c: value`; lists of scalars joined; lists of objects counted; bounded. */
function flatten(root: Record<string, unknown>, limits: { maxLines: number; maxDepth: number }): FlatLine[] {
  const out: FlatLine[] = [];
  let omitted = 0;
  const push = (key: string, value: string): void => {
    if (out.length >= limits.maxLines) {
      omitted++;
      return;
    }
    out.push({ key, value: value.length > MAX_LINE ? `${value.slice(0, MAX_LINE)}…` : value });
  };
  const walk = (value: unknown, key: string, depth: number): void => {
    if (value === null || value === undefined || value === '') return;
    if (typeof value !== 'object') return push(key, String(value));
    if (Array.isArray(value)) {
      const scalars = value.filter((v) => v !== null && typeof v !== 'object');
      if (scalars.length === value.length) {
        if (value.length > 0)
          push(
            key,
            `${scalars.slice(0, LIST_ITEMS).join(', ')}${value.length > LIST_ITEMS ? `, … (${value.length} in all)` : ''}`,
          );
      } else {
        push(key, `${value.length} entries`);
      }
      return;
    }
    const entries = Object.entries(value);
    if (depth >= limits.maxDepth)
      return push(
        key,
        `{${entries
          .map(([k]) => k)
          .slice(0, LIST_ITEMS)
          .join(', ')}${entries.length > LIST_ITEMS ? ', …' : ''}}`,
      );
    const ordered = [...entries.filter(([k]) => !k.startsWith('_')), ...entries.filter(([k]) => k.startsWith('_'))];
    for (const [k, v] of ordered) walk(v, key ? `${key}.${k}` : k, depth + 1);
  };
  walk(root, '', 0);
  if (omitted > 0) out.push({ key: '…', value: `${omitted} more` });
  return out;
}
