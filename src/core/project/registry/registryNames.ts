/**
 * Names as registries write them: refs as wikilinks (`[[Project]]`), bare names or namespaced
 * ids (`[[dashboard.entity.spec-row]]`), entity keys as PascalCase types or snake_case modules,
 * and the spellings path templates ask for (`{kebab-plural}`, `{PascalPlural}`).
 */

/** `[[Project]]`, `[[a.b.c|label]]`, ` Project ` → the id inside (`Project`, `a.b.c`). */
export function refId(raw: string): string {
  let text = raw.trim();
  const wiki = /^\[\[(.*)\]\]$/s.exec(text);
  if (wiki) text = wiki[1] ?? '';
  return (text.split('|')[0] ?? '').split('#')[0]?.trim() ?? '';
}

/** Whether a ref is written as a wikilink. */
export const isWikilink = (raw: string): boolean => /^\s*\[\[.*\]\]\s*$/s.test(raw);

/** Letters and digits only, lower case: `spec-row`, `spec_row`, `SpecRow` → `specrow`. */
export const spellingKey = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The last segment of a namespaced id (`dashboard.entity.spec-row` → `spec-row`). */
export function lastSegment(id: string): string {
  const parts = id.split(/[./:]/).filter(Boolean);
  return parts.at(-1) ?? id;
}

/** `OrderItem`, `order_item`, `order-item`, `orderItem` → `['order', 'item']`. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** English plural of the last word, the way code generators do it (category → categories). */
export function plural(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

const capital = (w: string): string => (w ? (w[0] ?? '').toUpperCase() + w.slice(1) : w);

/**
 * The placeholder values of Mustard's path templates for one entity; `kebab` may be
 * overridden (v2.1's `db` flag). Placeholders not listed stay as written.
 */
export function placeholderValues(name: string, kebabOverride?: string): Record<string, string> {
  const parts = words(name);
  const kebab = kebabOverride ?? parts.join('-');
  const kebabParts = kebab.split('-');
  const kebabPlural = [...kebabParts.slice(0, -1), plural(kebabParts.at(-1) ?? '')].join('-');
  const pascalPlural = name.replace(/[A-Za-z]+$/, (last) => (last ? plural(last) : last));
  const snake = parts.join('_');
  return {
    e: name,
    E: name,
    entity: name,
    Entity: name,
    name,
    Name: name,
    Pascal: name,
    PascalPlural: pascalPlural,
    camel: parts.map((w, i) => (i === 0 ? w : capital(w))).join(''),
    kebab,
    'kebab-plural': kebabPlural,
    snake,
    snake_plural: [...parts.slice(0, -1), plural(parts.at(-1) ?? '')].join('_'),
    lower: name.toLowerCase(),
  };
}

/** Replaces `{placeholder}`s that `values` knows; others are left for the reader. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([A-Za-z_-]+)\}/g, (whole, key: string) => values[key] ?? whole);
}
