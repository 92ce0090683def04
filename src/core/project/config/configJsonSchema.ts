import * as z from 'zod/mini';
import { sandboxJsonSchema, sandboxSchema } from './configFields';
import { configSchema } from './configSchema';

/**
 * The config's zod schema (configSchema.ts, the one source) as what people read: a JSON Schema
 * (draft-07, what the YAML language server reads) for the editor, contributed for
 * `.claude/orchestrator.yaml` (package.json `yamlValidation`, media/orchestrator.schema.json) and
 * written by `init` beside the config; and the table of every option and its default in
 * docs/configuration.md. `node scripts/config-schema.mjs` rewrites both committed copies; a unit
 * test keeps them equal to this output.
 */

export const CONFIG_SCHEMA_FILE = '.claude/orchestrator.schema.json';

/** The config's first line, naming the schema beside it (resolved from the config's folder). */
export const SCHEMA_MODELINE = 'yaml-language-server: $schema=orchestrator.schema.json';

type Json = Record<string, unknown>;

export function configJsonSchema(): Json {
  const schema = z.toJSONSchema(configSchema, {
    io: 'input',
    target: 'draft-7',
    // z.int() says "at most 2^53 - 1": true of every number here, and noise on every hover.
    override: ({ zodSchema, jsonSchema }) => {
      const node = jsonSchema as Json;
      if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
      if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
      if (zodSchema === sandboxSchema) {
        const both = sandboxJsonSchema({ ...node });
        for (const key of Object.keys(node)) delete node[key];
        Object.assign(node, both);
      }
    },
  }) as Json;
  return { ...schema, title: 'Orchestrator configuration (.claude/orchestrator.yaml)' };
}

export const OPTIONS_BEGIN =
  '<!-- options: generated from src/core/project/config by `node scripts/config-schema.mjs`; edit the descriptions there -->';
export const OPTIONS_END = '<!-- /options -->';

/** `doc` with its generated table of options replaced by the current one; throws without the markers. */
export function withOptionsTable(doc: string): string {
  const begin = doc.indexOf(OPTIONS_BEGIN);
  const end = doc.indexOf(OPTIONS_END);
  if (begin < 0 || end < begin) throw new Error(`the markers ${OPTIONS_BEGIN} … ${OPTIONS_END} are missing`);
  return `${doc.slice(0, begin + OPTIONS_BEGIN.length)}\n\n${optionsTable()}\n${doc.slice(end)}`;
}

/** Every option of the config, one row each: its key, what it takes, its default, what it does. */
export function optionsTable(): string {
  const rows = optionRows(configJsonSchema(), '');
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  // Descriptions are plain text (the editor shows them as such): `<layer>` must not read as HTML.
  const prose = (text: string) => cell(text).replace(/</g, '&lt;');
  return (
    [
      '| option | takes | default | what |',
      '|---|---|---|---|',
      ...rows.map((r) => `| \`${r.key}\` | ${cell(r.takes)} | ${cell(r.fallback)} | ${prose(r.what)} |`),
    ].join('\n') + '\n'
  );
}

interface Row {
  key: string;
  takes: string;
  fallback: string;
  what: string;
}

function optionRows(node: Json, prefix: string): Row[] {
  const rows: Row[] = [];
  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, Json>)) {
    const key = prefix === '' ? name : `${prefix}.${name}`;
    rows.push({ key, takes: takes(child), fallback: defaultText(child), what: String(child.description ?? '') });
    rows.push(...childRows(child, key));
  }
  return rows;
}

/** A section's keys, or a map's under `<its key's title>`; in a short-or-long union, the long form's. */
function childRows(node: Json, key: string): Row[] {
  const long = (node.anyOf as Json[] | undefined)?.find((option) => option.type === 'object');
  if (long) return childRows(long, key);
  if (node.properties) return optionRows(node, key);
  const entry = node.additionalProperties;
  if (entry && typeof entry === 'object' && (entry as Json).properties) {
    const title = ((node.propertyNames ?? {}) as Json).title ?? 'name';
    return optionRows(entry as Json, `${key}.<${String(title)}>`);
  }
  return [];
}

function takes(node: Json): string {
  if (node.anyOf) return (node.anyOf as Json[]).map(takes).join(', or ');
  if (node.enum) return (node.enum as unknown[]).map((v) => `\`${String(v)}\``).join(' | ');
  if (node.const !== undefined) return `\`${String(node.const)}\``;
  switch (node.type) {
    case 'array':
      return `list of ${plural(takes(node.items as Json))}`;
    case 'object': {
      if (node.properties) return 'section';
      const keys = (node.propertyNames ?? {}) as Json;
      const entry = node.additionalProperties as Json;
      const keyText = keys.enum ? takes(keys) : `\`<${String(keys.title ?? 'name')}>\``;
      return `map: ${keyText} → ${entry.properties ? 'section' : takes(entry)}`;
    }
    case 'integer':
      return `whole number${bounds(node)}`;
    case 'number':
      return `number${bounds(node)}`;
    case 'boolean':
      return '`true` | `false`';
    default:
      return node.format === 'uri' ? 'URL' : 'text';
  }
}

const plural = (text: string): string => (text === 'text' ? 'texts' : text === 'URL' ? 'URLs' : text);

function bounds(node: Json): string {
  const { minimum, maximum, exclusiveMinimum } = node as {
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
  };
  if (minimum !== undefined && maximum !== undefined) return ` ${minimum}–${maximum}`;
  if (exclusiveMinimum !== undefined) return ` > ${exclusiveMinimum}`;
  if (minimum !== undefined) return ` ≥ ${minimum}`;
  return '';
}

function defaultText(node: Json): string {
  if (!('default' in node)) return '';
  const value = node.default;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    // A section's defaults are its keys' own, listed below it.
    return keys.length === 0 || node.properties || node.anyOf ? '' : keys.join(', ');
  }
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}
