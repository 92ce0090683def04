/** Prisma models: `@@map` / `@map` names; relation fields (another model, or a list) are not columns. */
import { table, type SchemaModel } from './schemaModel';

export function readPrisma(model: SchemaModel, file: string, text: string): void {
  const models: { name: string; body: string }[] = [];
  // Line by line: a model's body ends at the first line that is only `}` (no backtracking regex).
  let current: { name: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const start = /^\s*model\s+(\w+)\s*\{/.exec(line);
    if (start) current = { name: start[1] ?? '', lines: [] };
    else if (current && /^\s*\}/.test(line)) {
      models.push({ name: current.name, body: current.lines.join('\n') });
      current = undefined;
    } else current?.lines.push(line);
  }
  const names = new Set(models.map((m) => m.name));
  for (const { name, body } of models) {
    const mapped = /@@map\(\s*"([^"]+)"\s*\)/.exec(body)?.[1];
    const created = table(model, mapped ?? name, file, mapped ? [name] : []);
    for (const line of body.split('\n')) {
      const field = /^\s*(\w+)\s+(\w+)(\[\])?(\?)?/.exec(line);
      if (!field || line.trim().startsWith('@@') || line.trim().startsWith('//')) continue;
      if (names.has(field[2] ?? '') || field[3]) continue;
      created.columns.add(/@map\(\s*"([^"]+)"\s*\)/.exec(line)?.[1] ?? field[1] ?? '');
    }
  }
}
