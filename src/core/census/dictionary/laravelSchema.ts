/**
 * Laravel migrations (`database/migrations/*.php`, in file-name order, which is their date
 * order): the `up()` body only (`down()` undoes it) — `Schema::create` / `Schema::table` blocks
 * of `$table->…` calls, `Schema::rename`, `Schema::drop` / `dropIfExists`. Read by bracket
 * matching that skips PHP strings and comments; a call whose names are not literals, or a block
 * never closed, is a warning with its line.
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

const SCHEMA_CALL = /\bSchema::(?:connection\s*\([^)]*\)\s*->\s*)?(create|table|rename|drop|dropIfExists)\s*\(/g;
/** Blueprint methods that name no column. */
const NOT_COLUMNS = new Set([
  'index',
  'unique',
  'primary',
  'foreign',
  'fullText',
  'fulltext',
  'spatialIndex',
  'rawIndex',
  'engine',
  'charset',
  'collation',
  'comment',
  'temporary',
  'dropForeign',
  'dropIndex',
  'dropUnique',
  'dropPrimary',
  'dropFullText',
  'dropSpatialIndex',
  'renameIndex',
  'dropForeignIdFor',
]);

const literal = (arg: string | undefined) =>
  /^\s*(?:'([^']*)'|"([^"$]*)")\s*$/
    .exec(arg ?? '')
    ?.slice(1)
    .find((v) => v !== undefined);

/** `App\Models\TeamMember::class` → team_member (Eloquent's default foreign key stem). */
const snake = (name: string) => name.replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase();

export function readLaravel(model: SchemaModel, file: string, text: string, warnings: string[]): void {
  // The body of `function up()`; the whole text when there is none.
  const { code, offset } = bodyAfter(text, /\bfunction\s+up\s*\(/, phpLiteral);
  for (const match of code.matchAll(SCHEMA_CALL)) {
    const open = (match.index ?? 0) + match[0].length - 1;
    const close = closingBracket(code, open, phpLiteral);
    const line = lineAt(text, offset + open);
    if (close < 0) {
      warnings.push(
        `${file}:${line}: Schema::${match[1]}( is never closed; the migration from there on is not compared`,
      );
      return;
    }
    const args = splitTopLevel(code.slice(open + 1, close));
    const name = literal(args[0]);
    if (name === undefined) {
      warnings.push(`${file}:${line}: Schema::${match[1]} with a table name that is not a literal; it is not compared`);
      continue;
    }
    if (match[1] === 'rename') renameTable(model, name, literal(args[1]) ?? name, file);
    else if (match[1] === 'drop' || match[1] === 'dropIfExists') model.delete(key(name));
    else
      blueprint(
        model,
        file,
        name,
        match[1] === 'create',
        code.slice(open + 1, close),
        offset + open + 1,
        text,
        warnings,
      );
  }
}

/** The closure's `$table->…;` statements. */
function blueprint(
  model: SchemaModel,
  file: string,
  name: string,
  create: boolean,
  body: string,
  at: number,
  text: string,
  warnings: string[],
): void {
  const variable = /function\s*\([^)]*\$(\w+)\s*\)|fn\s*\([^)]*\$(\w+)\s*\)/.exec(body);
  const columns = table(model, name, file).columns;
  if (!variable) return;
  const self = variable[1] ?? variable[2];
  const call = new RegExp(String.raw`\$${self}\s*->\s*(\w+)\s*\(`, 'g');
  for (const match of body.matchAll(call)) {
    const open = (match.index ?? 0) + match[0].length - 1;
    const close = closingBracket(body, open, phpLiteral);
    if (close < 0) break;
    const method = match[1]!;
    if (NOT_COLUMNS.has(method)) continue;
    const args = splitTopLevel(body.slice(open + 1, close));
    const first = literal(args[0]);
    const list = /^\s*\[(.*)\]\s*$/s.exec(args[0] ?? '')?.[1];
    const named =
      list !== undefined
        ? splitTopLevel(list)
            .map(literal)
            .filter((v) => v !== undefined)
        : first === undefined
          ? []
          : [first];
    const unreadable = () =>
      warnings.push(
        `${file}:${lineAt(text, at + open)}: $${self}->${method}() with a column name that is not a literal; it is not compared`,
      );
    switch (method) {
      case 'id':
      case 'increments':
      case 'bigIncrements':
        columns.add(first ?? 'id');
        break;
      case 'timestamps':
      case 'timestampsTz':
      case 'nullableTimestamps':
        columns.add('created_at').add('updated_at');
        break;
      case 'softDeletes':
      case 'softDeletesTz':
        columns.add(first ?? 'deleted_at');
        break;
      case 'rememberToken':
        columns.add('remember_token');
        break;
      case 'morphs':
      case 'nullableMorphs':
      case 'uuidMorphs':
      case 'nullableUuidMorphs':
      case 'ulidMorphs':
      case 'nullableUlidMorphs':
        if (first) columns.add(`${first}_type`).add(`${first}_id`);
        else unreadable();
        break;
      case 'foreignIdFor': {
        const model = /(\w+)::class/.exec(args[0] ?? '')?.[1];
        const column = literal(args[1]) ?? (model ? `${snake(model)}_id` : undefined);
        if (column) columns.add(column);
        else unreadable();
        break;
      }
      case 'dropColumn':
      case 'dropColumns':
      case 'dropConstrainedForeignId':
        for (const arg of list !== undefined ? named : args.map(literal)) if (arg) columns.delete(arg);
        break;
      case 'renameColumn':
        if (first && literal(args[1])) renameColumn(model, name, first, literal(args[1])!, file);
        break;
      case 'dropTimestamps':
      case 'dropTimestampsTz':
        columns.delete('created_at');
        columns.delete('updated_at');
        break;
      case 'dropSoftDeletes':
      case 'dropSoftDeletesTz':
        columns.delete(first ?? 'deleted_at');
        break;
      case 'dropRememberToken':
        columns.delete('remember_token');
        break;
      case 'dropMorphs':
        if (first) for (const column of [`${first}_type`, `${first}_id`]) columns.delete(column);
        break;
      default:
        if (first !== undefined) columns.add(first);
        else if (create || args.length > 0) unreadable();
    }
  }
}

/** PHP's strings ('…' and "…" with escapes) and comments (//, #, block comments), skipped when brackets are matched. */
function phpLiteral(text: string, i: number): number | undefined {
  const c = text[i];
  if (c === '"' || c === "'") {
    let j = i + 1;
    for (; j < text.length && text[j] !== c; j++) if (text[j] === '\\') j++;
    return j;
  }
  if (c === '#') return text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
  return cComment(text, i);
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
