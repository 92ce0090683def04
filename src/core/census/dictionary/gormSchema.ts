/**
 * GORM models in Go: a struct is a model when it embeds `gorm.Model`, carries a `gorm:"…"` tag
 * or has a `TableName()` method. Its table is what `TableName()` returns when that is a literal,
 * else GORM's default naming: the struct's name in snake_case, made plural (`UserModel` →
 * user_models, `Category` → categories). Columns: exported fields in snake_case (`AuthorID` →
 * author_id) unless `gorm:"column:x"`; `gorm.Model` gives id, created_at, updated_at,
 * deleted_at; an embedded struct's fields are the model's own; `gorm:"-"`, relations (a field
 * whose type is another struct read here, a slice of one, `foreignKey` / `many2many` tags) and
 * unexported fields are not columns. Files are read together: a model's relation may be in another.
 */
import { snakeCase, table, type SchemaModel } from './schemaModel';

interface GoStruct {
  name: string;
  file: string;
  line: number;
  body: string;
}

const GORM_MODEL = ['id', 'created_at', 'updated_at', 'deleted_at'];
const UNCOUNTABLE = new Set([
  'equipment',
  'information',
  'rice',
  'money',
  'species',
  'series',
  'fish',
  'sheep',
  'jeans',
  'police',
  'news',
  'data',
  'metadata',
]);
const IRREGULAR: Record<string, string> = {
  person: 'people',
  man: 'men',
  child: 'children',
  sex: 'sexes',
  move: 'moves',
  mouse: 'mice',
  ox: 'oxen',
};

/** The plural of a snake_case name's last word, as jinzhu/inflection makes it for English words. */
export function plural(name: string): string {
  const at = name.lastIndexOf('_') + 1;
  const [head, word] = [name.slice(0, at), name.slice(at)];
  if (UNCOUNTABLE.has(word)) return name;
  if (IRREGULAR[word]) return head + IRREGULAR[word];
  if (/[^aeiou]y$/.test(word)) return `${head}${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${head}${word}es`;
  return `${head}${word}s`;
}

export function readGormFiles(model: SchemaModel, files: { file: string; text: string }[], warnings: string[]): void {
  const structs = new Map<string, GoStruct>();
  const tableNames = new Map<string, string>();
  for (const { file, text } of files) {
    const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
    for (const match of code.matchAll(/^type\s+(\w+)\s+struct\s*\{/gm)) {
      const start = (match.index ?? 0) + match[0].length;
      const end = structEnd(code, start);
      const line = code.slice(0, match.index).split('\n').length;
      if (end < 0) {
        warnings.push(`${file}:${line}: struct ${match[1]} is never closed; it is not compared`);
        continue;
      }
      structs.set(match[1]!, { name: match[1]!, file, line, body: code.slice(start, end) });
    }
    for (const match of code.matchAll(
      /^func\s*\(\s*(?:\w+\s+)?\*?(\w+)\s*\)\s*TableName\s*\(\s*\)\s*string\s*\{\s*return\s+"([^"]+)"/gm,
    ))
      tableNames.set(match[1]!, match[2]!);
  }
  for (const struct of structs.values()) {
    const isModel =
      /^\s*(gorm\.)?Model\s*$/m.test(struct.body.replace(/`[^`]*`/g, '')) ||
      /gorm:"/.test(struct.body) ||
      tableNames.has(struct.name);
    if (!isModel || /^\s*(gorm\.)?Model\s*$/.test(struct.name)) continue;
    const columns = columnsOf(struct, structs, new Set(), warnings);
    if (columns.length === 0) continue;
    const created = table(model, tableNames.get(struct.name) ?? plural(snakeCase(struct.name)), struct.file, [
      struct.name,
    ]);
    for (const column of columns) created.columns.add(column);
  }
}

/** The index of the `}` closing a struct body (a field's tag or inline struct may hold braces). */
function structEnd(code: string, start: number): number {
  let depth = 1;
  for (let i = start; i < code.length; i++) {
    const c = code[i];
    if (c === '`') i = code.indexOf('`', i + 1) < 0 ? code.length : code.indexOf('`', i + 1);
    else if (c === '"') i = code.indexOf('"', i + 1) < 0 ? code.length : code.indexOf('"', i + 1);
    else if (c === '/' && code[i + 1] === '/') i = code.indexOf('\n', i) < 0 ? code.length : code.indexOf('\n', i);
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function columnsOf(struct: GoStruct, structs: Map<string, GoStruct>, seen: Set<string>, warnings: string[]): string[] {
  if (seen.has(struct.name)) return [];
  seen.add(struct.name);
  const columns: string[] = [];
  const lines = struct.body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    const tag = /`([^`]*)`/.exec(line)?.[1] ?? '';
    const gorm = /\bgorm:"([^"]*)"/.exec(tag)?.[1] ?? '';
    const settings = new Map(
      gorm
        .split(';')
        .filter(Boolean)
        .map((s) => [s.split(':')[0]!.trim().toLowerCase(), s.slice(s.indexOf(':') + 1).trim()] as const),
    );
    if (settings.has('-') || /^-(:all|:migration)?$/.test(gorm.trim())) continue;
    const field = /^(\w+(?:\s*,\s*\w+)*)\s+([^`\s]+)/.exec(line.replace(/`[^`]*`/, '').trim());
    const embedded = field ? undefined : /^\*?([\w.]+)$/.exec(line.replace(/`[^`]*`/, '').trim())?.[1];
    if (embedded !== undefined) {
      const base = embedded.split('.').pop()!;
      if (embedded === 'gorm.Model' || (base === 'Model' && !structs.has('Model'))) columns.push(...GORM_MODEL);
      else if (structs.has(base))
        columns.push(
          ...columnsOf(structs.get(base)!, structs, seen, warnings).map(
            (c) => (settings.get('embeddedprefix') ?? '') + c,
          ),
        );
      continue;
    }
    if (!field) continue;
    const type = field[2]!;
    const typeName = type
      .replace(/^[*[\]]+/, '')
      .split('.')
      .pop()!;
    if (
      settings.has('foreignkey') ||
      settings.has('many2many') ||
      settings.has('references') ||
      settings.has('polymorphic')
    )
      continue;
    if (/^\[\]/.test(type) && type !== '[]byte' && !settings.has('type') && !settings.has('serializer')) continue;
    if (/^map\[|^func|^chan\b|^interface/.test(type)) continue;
    if (structs.has(typeName) && !type.includes('.')) {
      if (settings.has('embedded'))
        columns.push(
          ...columnsOf(structs.get(typeName)!, structs, new Set(seen), warnings).map(
            (c) => (settings.get('embeddedprefix') ?? '') + c,
          ),
        );
      continue;
    }
    // `users.UserModel` from another package: a relation when that struct is read here too.
    if (structs.has(typeName) && !settings.has('serializer') && !settings.has('type')) continue;
    for (const name of field[1]!.split(',').map((n) => n.trim())) {
      if (!/^[A-Z]/.test(name)) continue;
      columns.push(settings.get('column') ?? snakeCase(name));
    }
  }
  return columns;
}
