/** Drizzle table modules: `pgTable('orders', { id: serial('id'), … })` (the column's own name wins). */
import { table, type SchemaModel } from './schemaModel';

export function readDrizzle(model: SchemaModel, file: string, text: string): void {
  for (const match of text.matchAll(
    /\b(?:pg|mysql|sqlite|singlestore)Table\(\s*['"`](\w+)['"`]\s*,\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g,
  )) {
    const created = table(model, match[1] ?? '', file);
    for (const column of (match[2] ?? '').matchAll(/(\w+)\s*:\s*\w+\(\s*(?:['"`](\w+)['"`])?/g))
      created.columns.add(column[2] ?? column[1] ?? '');
  }
}
