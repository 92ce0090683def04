/**
 * The schema as the dictionary check sees it: tables by name (case-insensitive), each with its
 * columns and the file that defined it. Every reader (SQL, Prisma, Drizzle, EF Core, Python)
 * writes into one model, in file order, so a later migration's drop or rename wins.
 */
export interface SchemaTable {
  name: string;
  /** Other names the table goes by (a Prisma, Django or SQLAlchemy model's class name). */
  aliases: string[];
  columns: Set<string>;
  /** Where it was defined, for messages. */
  file: string;
}

export type SchemaModel = Map<string, SchemaTable>;

export const key = (name: string) => name.toLowerCase();

/** `"public"."users"`, `[dbo].[Users]`, `` `users` `` → the bare table or column name. */
export const unquote = (name: string) =>
  name
    .replace(/^[`"[]|[`"\]]$/g, '')
    .split('.')
    .pop()
    ?.replace(/^[`"[]|[`"\]]$/g, '') ?? name;

/** The table of that name, created (empty) when the model has none yet. */
export function table(model: SchemaModel, name: string, file: string, aliases: string[] = []): SchemaTable {
  const found = model.get(key(name));
  if (found) {
    for (const alias of aliases) if (!found.aliases.includes(alias)) found.aliases.push(alias);
    return found;
  }
  const created: SchemaTable = { name, aliases, columns: new Set(), file };
  model.set(key(name), created);
  return created;
}

/** A table renamed by a migration keeps its columns under the new name. */
export function renameTable(model: SchemaModel, from: string, to: string, file: string): void {
  const found = model.get(key(from));
  model.delete(key(from));
  const renamed = table(model, to, file, found?.aliases ?? []);
  for (const column of found?.columns ?? []) renamed.columns.add(column);
}

export function renameColumn(model: SchemaModel, tableName: string, from: string, to: string, file: string): void {
  const found = table(model, tableName, file);
  found.columns.delete(from);
  found.columns.add(to);
}

/** GORM's toDBName and TypeORM's snakeCase: `UserModelID` → user_model_id, `HTTPCode` → http_code. */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Splits at commas outside parentheses, brackets, braces and quotes. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * Where a string or comment of the language starts at `i`: the index of its last character;
 * undefined when none starts there.
 */
export type SkipLiteral = (text: string, i: number) => number | undefined;

/** `//` to the end of the line and `/* … *\/`, as C#, PHP and JavaScript write comments. */
export function cComment(text: string, i: number): number | undefined {
  if (text[i] !== '/') return undefined;
  const end = text[i + 1] === '/' ? text.indexOf('\n', i) : text[i + 1] === '*' ? text.indexOf('*/', i) + 1 : undefined;
  return end === undefined ? undefined : end <= 0 ? text.length : end;
}

/** The index of the bracket closing the one at `open`, past the language's strings and comments; -1 if none. */
export function closingBracket(text: string, open: number, skip: SkipLiteral): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const past = skip(text, i);
    if (past !== undefined) i = past;
    else if (text[i] === '(' || text[i] === '{' || text[i] === '[') depth++;
    else if (text[i] === ')' || text[i] === '}' || text[i] === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The braces after the first match of `header` (a migration's up method), with where they start; the whole text when there is none. */
export function bodyAfter(text: string, header: RegExp, skip: SkipLiteral): { code: string; offset: number } {
  const found = header.exec(text);
  const open = found ? text.indexOf('{', found.index) : -1;
  if (open < 0) return { code: text, offset: 0 };
  const close = closingBracket(text, open, skip);
  return { code: text.slice(open, close < 0 ? text.length : close + 1), offset: open };
}
