/**
 * Rails: `db/schema.rb` (machine-written by `db:schema:dump`) and `db/migrate/*.rb` read line by
 * line — the DSL is regular enough, and a Ruby parser would be a large dependency for it.
 * Which files are read (schema.rb is the truth when it exists) is decided in dictionaryCheck.ts;
 * migrations come in timestamp (file-name) order. `def down` is skipped: it undoes `up`.
 * A `t.…` line or statement whose names are not literals is a warning with its line.
 */
import { key, renameColumn, renameTable, splitTopLevel, table, type SchemaModel } from './schemaModel';

/** Block methods on `t` that name no column. */
const NOT_COLUMNS = new Set([
  'index',
  'check_constraint',
  'foreign_key',
  'exclusion_constraint',
  'unique_constraint',
  'remove_index',
  'rename_index',
  'change_default',
  'change_null',
  'change',
  'remove_foreign_key',
  'remove_check_constraint',
  'column_exists',
  'index_exists',
]);

/** `"accounts"` or `:accounts` → accounts; undefined for anything else (a variable, a call). */
const literal = (arg: string | undefined) =>
  /^\s*(?:"([^"]+)"|'([^']+)'|:(\w+)|:"([^"]+)")\s*$/
    .exec(arg ?? '')
    ?.slice(1)
    .find((v) => v !== undefined);

/** Ruby's `user` for `users`, as ActiveSupport's singularize does for ordinary English plurals. */
export function singular(word: string): string {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (/[^su]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Parentheses opened and not closed on a line, outside quotes. */
function open(line: string): number {
  return (
    (line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '').match(/\(/g)?.length ?? 0) -
    (line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '').match(/\)/g)?.length ?? 0)
  );
}

interface Block {
  table: string;
  indent: number;
  line: number;
}

export function readRails(model: SchemaModel, file: string, text: string, warnings: string[]): void {
  const lines = text.split('\n');
  let block: Block | undefined;
  let skipTo: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    let line = raw.replace(/^\s*#.*$/, '');
    const indent = raw.length - raw.trimStart().length;
    // A call spread over lines (`t.virtual(\n  :classification,\n …)`) is read as one line.
    const start = i;
    while (open(line) > 0 && i + 1 < lines.length && i - start < 50 && !/^\s*end\s*$/.test(lines[i + 1]!))
      line += ` ${lines[++i]!.trim()}`;
    if (skipTo !== undefined) {
      if (indent <= skipTo && /^\s*end\b/.test(line)) skipTo = undefined;
      continue;
    }
    if (block) {
      if (indent <= block.indent && /^\s*end\b/.test(line)) block = undefined;
      else blockLine(model, file, block.table, line, i + 1, warnings);
      continue;
    }
    // `def down` undoes `def up`; `def self.down` in old migrations; `dir.down do` in `reversible`.
    if (/^\s*def\s+(self\.)?down\b|^\s*\w+\.down\s+do\b/.test(line)) {
      skipTo = indent;
      continue;
    }
    const call =
      /^\s*(create_table|change_table|create_join_table|add_column|remove_column|remove_columns|rename_column|rename_table|drop_table|drop_join_table|add_reference|add_belongs_to|remove_reference|remove_belongs_to|add_timestamps|remove_timestamps)\b\s*\(?(.*)$/.exec(
        line,
      );
    if (!call) continue;
    const opensBlock = /\bdo\s*(\|[^|]*\|)?\s*$/.test(call[2] ?? '');
    const args = splitTopLevel(
      (call[2] ?? '').replace(/\)?\s*(\bdo\s*(\|[^|]*\|)?|\{.*)\s*$/, '').replace(/\)\s*$/, ''),
    );
    const name = literal(args[0]);
    if (name === undefined) {
      warnings.push(`${file}:${i + 1}: ${call[1]} with a table name that is not a literal; it is not compared`);
      if (opensBlock) skipTo = indent;
      continue;
    }
    statement(model, file, call[1]!, name, args, i + 1, warnings);
    if (opensBlock) {
      if (call[1] === 'create_table' || call[1] === 'change_table') block = { table: name, indent, line: i + 1 };
      else if (call[1] === 'create_join_table') block = { table: joinTableName(args), indent, line: i + 1 };
      else skipTo = indent;
    }
  }
  if (block)
    warnings.push(
      `${file}:${block.line}: the block of table ${block.table} is never closed with end; its columns up to the end of the file were read`,
    );
}

/** `table_name: :x` or the two names sorted and joined, as Rails' create_join_table names it. */
function joinTableName(args: string[]): string {
  const given = args.map((a) => /^\s*table_name:\s*(.+)$/.exec(a)?.[1]).find((v) => v !== undefined);
  if (given && literal(given)) return literal(given)!;
  return [literal(args[0]) ?? '', literal(args[1]) ?? ''].sort().join('_');
}

const option = (args: string[], name: string) =>
  args.map((a) => new RegExp(`^\\s*${name}:\\s*(.+?)\\s*$`).exec(a)?.[1]).find((v) => v !== undefined);

function statement(
  model: SchemaModel,
  file: string,
  method: string,
  name: string,
  args: string[],
  line: number,
  warnings: string[],
): void {
  const second = literal(args[1]);
  switch (method) {
    case 'create_table': {
      const created = table(model, name, file);
      const id = option(args, 'id');
      const primary = option(args, 'primary_key');
      if (id === 'false') break;
      // `primary_key: ["a", "b"]` (composite): those columns are declared in the block.
      if (primary?.startsWith('[')) break;
      created.columns.add(literal(primary) ?? 'id');
      break;
    }
    case 'create_join_table': {
      const created = table(model, joinTableName(args), file);
      for (const side of [literal(args[0]), second]) if (side) created.columns.add(`${singular(side)}_id`);
      break;
    }
    case 'add_column':
      if (second) table(model, name, file).columns.add(second);
      else warnings.push(`${file}:${line}: add_column with a column name that is not a literal; it is not compared`);
      break;
    case 'remove_column':
      // `remove_column :users, :email, :string`: the third argument is the type.
      if (second) model.get(key(name))?.columns.delete(second);
      break;
    case 'remove_columns':
      for (const arg of args.slice(1)) if (literal(arg)) model.get(key(name))?.columns.delete(literal(arg)!);
      break;
    case 'rename_column':
      if (second && literal(args[2])) renameColumn(model, name, second, literal(args[2])!, file);
      break;
    case 'rename_table':
      if (second) renameTable(model, name, second, file);
      break;
    case 'drop_table':
      model.delete(key(name));
      break;
    case 'drop_join_table':
      model.delete(key(joinTableName(args)));
      break;
    case 'add_reference':
    case 'add_belongs_to':
    case 'remove_reference':
    case 'remove_belongs_to': {
      const columns = second ? referenceColumns(second, args) : [];
      if (method.startsWith('add')) for (const column of columns) table(model, name, file).columns.add(column);
      else for (const column of columns) model.get(key(name))?.columns.delete(column);
      break;
    }
    case 'add_timestamps':
      for (const column of ['created_at', 'updated_at']) table(model, name, file).columns.add(column);
      break;
    case 'remove_timestamps':
      for (const column of ['created_at', 'updated_at']) model.get(key(name))?.columns.delete(column);
      break;
  }
}

/** `user` → user_id, plus user_type when polymorphic; `foreign_key: { column: … }` is not read. */
function referenceColumns(name: string, args: string[]): string[] {
  const polymorphic = option(args, 'polymorphic');
  return polymorphic && polymorphic !== 'false' ? [`${name}_id`, `${name}_type`] : [`${name}_id`];
}

/** One line inside a `create_table` / `change_table` block: `t.string "name", null: false`. */
function blockLine(
  model: SchemaModel,
  file: string,
  tableName: string,
  line: string,
  number: number,
  warnings: string[],
): void {
  const call = /^\s*\w+\.(\w+)\b\s*\(?(.*)$/.exec(line);
  if (!call || NOT_COLUMNS.has(call[1]!)) return;
  const method = call[1]!;
  const args = splitTopLevel((call[2] ?? '').replace(/\)\s*$/, ''));
  const names = args.map(literal);
  const leading: string[] = [];
  for (const name of names) {
    if (name === undefined) break;
    leading.push(name);
  }
  const columns = table(model, tableName, file).columns;
  switch (method) {
    case 'timestamps':
      columns.add('created_at').add('updated_at');
      return;
    case 'remove_timestamps':
      columns.delete('created_at');
      columns.delete('updated_at');
      return;
    case 'references':
    case 'belongs_to':
      for (const name of leading) for (const column of referenceColumns(name, args)) columns.add(column);
      return;
    case 'remove_references':
    case 'remove_belongs_to':
      for (const name of leading) for (const column of referenceColumns(name, args)) columns.delete(column);
      return;
    case 'remove':
      for (const name of leading) columns.delete(name);
      return;
    case 'rename':
      if (leading.length >= 2) renameColumn(model, tableName, leading[0]!, leading[1]!, file);
      return;
    case 'column':
      if (leading[0]) columns.add(leading[0]);
      else warnings.push(`${file}:${number}: t.column with a name that is not a literal; it is not compared`);
      return;
  }
  if (leading.length === 0) {
    if ((call[2] ?? '').trim() !== '')
      warnings.push(`${file}:${number}: t.${method} with a name that is not a literal; it is not compared`);
    return;
  }
  // `t.string :first_name, :last_name` declares both.
  for (const name of leading) columns.add(name);
}
