/**
 * Tables and columns as the project's schema files say them: SQL migrations (CREATE TABLE, ALTER
 * TABLE ADD/DROP/RENAME COLUMN, DROP TABLE, in file order), Prisma models (@@map / @map names;
 * relation fields are not columns), Drizzle table modules, Django and SQLAlchemy models, and EF
 * Core migrations (CreateTable, AddColumn, DropColumn). A file we cannot fully read is a warning,
 * not a stop.
 */
export interface SchemaTable {
  name: string;
  /** Other names the table goes by (a Prisma or Django model's class name). */
  aliases: string[];
  columns: Set<string>;
  /** Where it was defined, for messages. */
  file: string;
}

export type SchemaModel = Map<string, SchemaTable>;

const key = (name: string) => name.toLowerCase();
const unquote = (name: string) => name.replace(/^[`"[]|[`"\]]$/g, '').split('.').pop() ?? name;

function table(model: SchemaModel, name: string, file: string, aliases: string[] = []): SchemaTable {
  const found = model.get(key(name));
  if (found) return found;
  const created: SchemaTable = { name, aliases, columns: new Set(), file };
  model.set(key(name), created);
  return created;
}

/** Reads one schema file into the model; the file's kind comes from its name and content. */
export function readSchemaFile(model: SchemaModel, file: string, text: string): void {
  if (file.endsWith('.sql')) readSql(model, file, text);
  else if (file.endsWith('.prisma')) readPrisma(model, file, text);
  else if (file.endsWith('.py')) readPython(model, file, text);
  else if (file.endsWith('.cs')) readEfCore(model, file, text);
  else if (/\.[cm]?[jt]sx?$/.test(file)) readDrizzle(model, file, text);
}

const SQL_NAME = String.raw`((?:[\`"[]?\w+[\`"\]]?\.)?[\`"[]?\w+[\`"\]]?)`;
const SQL_KEYWORDS = new Set(['constraint', 'primary', 'foreign', 'unique', 'key', 'index', 'check', 'exclude', 'fulltext', 'spatial', 'period']);

function readSql(model: SchemaModel, file: string, text: string): void {
  const sql = text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const statements = sql.split(';');
  for (const statement of statements) {
    const create = new RegExp(String.raw`create\s+(?:temporary\s+|temp\s+)?table\s+(?:if\s+not\s+exists\s+)?${SQL_NAME}\s*\(([\s\S]*)\)`, 'i').exec(statement);
    if (create) {
      const created = table(model, unquote(create[1] ?? ''), file);
      for (const part of splitTopLevel(create[2] ?? '')) {
        const column = /^\s*([`"[]?\w+[`"\]]?)/.exec(part)?.[1];
        if (column && !SQL_KEYWORDS.has(unquote(column).toLowerCase())) created.columns.add(unquote(column));
      }
      continue;
    }
    const alter = new RegExp(String.raw`alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${SQL_NAME}\s+([\s\S]*)`, 'i').exec(statement);
    if (alter) {
      const altered = table(model, unquote(alter[1] ?? ''), file);
      for (const action of splitTopLevel(alter[2] ?? '')) {
        const add = /^\s*add\s+(?:column\s+)?(?:if\s+not\s+exists\s+)?([`"[]?\w+[`"\]]?)/i.exec(action);
        const drop = /^\s*drop\s+(?:column\s+)?(?:if\s+exists\s+)?([`"[]?\w+[`"\]]?)/i.exec(action);
        const rename = /^\s*rename\s+(?:column\s+)?([`"[]?\w+[`"\]]?)\s+to\s+([`"[]?\w+[`"\]]?)/i.exec(action);
        if (add && !SQL_KEYWORDS.has(unquote(add[1] ?? '').toLowerCase())) altered.columns.add(unquote(add[1] ?? ''));
        else if (drop && !SQL_KEYWORDS.has(unquote(drop[1] ?? '').toLowerCase())) altered.columns.delete(unquote(drop[1] ?? ''));
        else if (rename) {
          altered.columns.delete(unquote(rename[1] ?? ''));
          altered.columns.add(unquote(rename[2] ?? ''));
        }
      }
      continue;
    }
    const drop = new RegExp(String.raw`drop\s+table\s+(?:if\s+exists\s+)?${SQL_NAME}`, 'i').exec(statement);
    if (drop) model.delete(key(unquote(drop[1] ?? '')));
  }
}

/** Splits at commas outside parentheses and quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function readPrisma(model: SchemaModel, file: string, text: string): void {
  const models = [...text.matchAll(/^\s*model\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm)];
  const names = new Set(models.map((m) => m[1]));
  for (const [, name = '', body = ''] of models) {
    const mapped = /@@map\(\s*"([^"]+)"\s*\)/.exec(body)?.[1];
    const created = table(model, mapped ?? name, file, mapped ? [name] : []);
    for (const line of body.split('\n')) {
      const field = /^\s*(\w+)\s+(\w+)(\[\])?(\?)?/.exec(line);
      if (!field || line.trim().startsWith('@@') || line.trim().startsWith('//')) continue;
      // A relation field (another model, or a list of them) is not a column.
      if (names.has(field[2]) || field[3]) continue;
      created.columns.add(/@map\(\s*"([^"]+)"\s*\)/.exec(line)?.[1] ?? field[1] ?? '');
    }
  }
}

function readDrizzle(model: SchemaModel, file: string, text: string): void {
  for (const match of text.matchAll(/\b(?:pg|mysql|sqlite)Table\(\s*['"`](\w+)['"`]\s*,\s*\{([\s\S]*?)\}\s*(?:,|\))/g)) {
    const created = table(model, match[1] ?? '', file);
    for (const column of (match[2] ?? '').matchAll(/(\w+)\s*:\s*\w+\(\s*(?:['"`](\w+)['"`])?/g)) created.columns.add(column[2] ?? column[1] ?? '');
  }
}

function readPython(model: SchemaModel, file: string, text: string): void {
  for (const match of text.matchAll(/^class\s+(\w+)\(([^)]*)\):\n((?:[ \t]+.*\n|\s*\n)*)/gm)) {
    const [, name = '', bases = '', body = ''] = match;
    const tableName = /__tablename__\s*=\s*['"](\w+)['"]/.exec(body)?.[1] ?? /db_table\s*=\s*['"](\w+)['"]/.exec(body)?.[1];
    const django = /models\.Model\b/.test(bases);
    if (!tableName && !django) continue;
    const created = table(model, tableName ?? name.toLowerCase(), file, [name]);
    if (django) created.columns.add('id');
    for (const column of body.matchAll(/^[ \t]+(\w+)\s*(?::[^=\n]+)?=\s*(?:db\.)?(?:Column|mapped_column|models\.\w+Field|models\.ForeignKey|models\.OneToOneField)\(/gm)) {
      const field = column[1] ?? '';
      created.columns.add(/models\.(ForeignKey|OneToOneField)\(/.test(column[0]) ? `${field}_id` : field);
    }
  }
}

function readEfCore(model: SchemaModel, file: string, text: string): void {
  for (const match of text.matchAll(/CreateTable\(\s*name:\s*"(\w+)"[\s\S]*?columns:\s*table\s*=>\s*new\s*\{([\s\S]*?)\}\s*,\s*constraints/g)) {
    const created = table(model, match[1] ?? '', file);
    for (const column of (match[2] ?? '').matchAll(/(\w+)\s*=\s*table\.Column</g)) created.columns.add(column[1] ?? '');
  }
  for (const match of text.matchAll(/AddColumn<[^>]+>\(\s*name:\s*"(\w+)",\s*table:\s*"(\w+)"/g)) table(model, match[2] ?? '', file).columns.add(match[1] ?? '');
  for (const match of text.matchAll(/DropColumn\(\s*name:\s*"(\w+)",\s*table:\s*"(\w+)"/g)) model.get(key(match[2] ?? ''))?.columns.delete(match[1] ?? '');
}
