/**
 * EF Core migrations: the operations of `Up()` only (`Down()` undoes them), in file order —
 * CreateTable, AddColumn, DropColumn, RenameColumn, RenameTable, DropTable — with their named
 * arguments in any order (`schema:` may sit between `name:` and `table:`). Tables are keyed by
 * their bare name: the dictionary names tables, not schemas.
 */
import {
  bodyAfter,
  cComment,
  closingBracket,
  key,
  renameColumn,
  renameTable,
  splitTopLevel,
  table,
  type SchemaModel,
} from './schemaModel';

const OPERATION =
  /\.(CreateTable|AddColumn|DropColumn|RenameColumn|RenameTable|DropTable)\s*(?:<[^<>()]*(?:<[^<>()]*>[^<>()]*)*>)?\s*\(/g;

export function readEfCore(model: SchemaModel, file: string, text: string, warnings: string[]): void {
  // The body of `Up(MigrationBuilder …)`; the whole text when there is none (a hand-written helper).
  const { code, offset } = bodyAfter(text, /\bvoid\s+Up\s*\(/, csharpLiteral);
  for (const match of code.matchAll(OPERATION)) {
    const open = (match.index ?? 0) + match[0].length - 1;
    const close = closingBracket(code, open, csharpLiteral);
    if (close < 0) {
      warnings.push(
        `${file}:${lineAt(text, offset + open)}: ${match[1]}( is never closed; the operations from there on are not compared`,
      );
      return;
    }
    const args = named(code.slice(open + 1, close));
    const name = args.get('name') ?? '';
    const tableName = args.get('table') ?? '';
    switch (match[1]) {
      case 'CreateTable': {
        const created = table(model, name, file);
        const columns = args.get('columns') ?? '';
        for (const column of columns.matchAll(/(\w+)\s*=\s*table\.Column\s*<[^>]*>\s*\(([^)]*)/g))
          created.columns.add(/\bname:\s*"([^"]+)"/.exec(column[2] ?? '')?.[1] ?? column[1] ?? '');
        break;
      }
      case 'AddColumn':
        table(model, tableName, file).columns.add(name);
        break;
      case 'DropColumn':
        model.get(key(tableName))?.columns.delete(name);
        break;
      case 'RenameColumn':
        renameColumn(model, tableName, name, args.get('newName') ?? name, file);
        break;
      case 'RenameTable':
        renameTable(model, name, args.get('newName') ?? name, file);
        break;
      case 'DropTable':
        model.delete(key(name));
        break;
    }
  }
}

/** C#'s strings and comments, skipped when brackets are matched. */
const csharpLiteral = (text: string, i: number): number | undefined =>
  text[i] === '"' ? stringEnd(text, i) : cComment(text, i);

/** The last index of the string starting at `start`: "…" with escapes, @"…" with "", and """raw""". */
function stringEnd(text: string, start: number): number {
  if (text.startsWith('"""', start)) {
    let quotes = 3;
    while (text[start + quotes] === '"') quotes++;
    const end = text.indexOf('"'.repeat(quotes), start + quotes);
    return end < 0 ? text.length : end + quotes - 1;
  }
  const verbatim = text[start - 1] === '@';
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\' && !verbatim) i++;
    else if (text[i] === '"') {
      if (verbatim && text[i + 1] === '"') i++;
      else return i;
    }
  }
  return text.length;
}

/** `name: "Orders", schema: "ordering", columns: table => new { … }` → name → value (strings unquoted). */
function named(args: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const part of splitTopLevel(args)) {
    const arg = /^\s*(\w+)\s*:/.exec(part);
    if (!arg) continue;
    const value = part.slice(arg[0].length).trim();
    result.set(arg[1] ?? '', /^@?"([^"]*)"$/.exec(value)?.[1] ?? value);
  }
  return result;
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}
