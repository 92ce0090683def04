/**
 * TypeORM entities: a class decorated `@Entity()` is a table named by `@Entity('name')` /
 * `@Entity({ name })`, else by TypeORM's DefaultNamingStrategy.tableName — the class name in
 * snake_case (`UserProfile` → user_profile). Columns keep the property's name (the default
 * columnName) unless `name:` is given: `@Column`, `@PrimaryColumn`, `@PrimaryGeneratedColumn`,
 * `@CreateDateColumn`, `@UpdateDateColumn`, `@DeleteDateColumn`, `@VersionColumn`. A
 * `@ManyToOne` always owns its foreign key (`@JoinColumn({ name })`, else `<property>Id`, the
 * default joinColumnName for a referenced `id`); a `@OneToOne` only with `@JoinColumn`;
 * `@OneToMany`, `@ManyToMany`, `@RelationId` are no column. Columns of base classes (read in any
 * file) are inherited. Files are read together.
 */
import { snakeCase, splitTopLevel, table, type SchemaModel } from './schemaModel';

const COLUMN =
  /^(Column|PrimaryColumn|PrimaryGeneratedColumn|CreateDateColumn|UpdateDateColumn|DeleteDateColumn|VersionColumn|ObjectIdColumn)$/;

interface TsClass {
  name: string;
  file: string;
  entity?: string;
  base?: string;
  columns: string[];
}

const quoted = (text: string | undefined) =>
  /^\s*(?:'([^']*)'|"([^"]*)"|`([^`$]*)`)\s*$/
    .exec(text ?? '')
    ?.slice(1)
    .find((v) => v !== undefined);
/** `{ name: 'x', … }` among a decorator's arguments → x. */
const nameOption = (args: string[]) =>
  args
    .map((a) => /^\s*\{([\s\S]*)\}\s*$/.exec(a)?.[1])
    .flatMap((o) => (o === undefined ? [] : splitTopLevel(o)))
    .map((p) => /^\s*name\s*:\s*(.+)$/s.exec(p)?.[1])
    .map(quoted)
    .find((v) => v !== undefined);

export function readTypeormFiles(
  model: SchemaModel,
  files: { file: string; text: string }[],
  warnings: string[],
): void {
  const classes = new Map<string, TsClass>();
  for (const { file, text } of files) readClasses(file, text, classes, warnings);
  const columnsOf = (found: TsClass, seen: Set<string>): string[] => {
    const base = found.base ? classes.get(found.base) : undefined;
    if (!base || seen.has(base.name)) return found.columns;
    seen.add(base.name);
    return [...columnsOf(base, seen), ...found.columns];
  };
  for (const found of classes.values()) {
    if (found.entity === undefined) continue;
    const created = table(model, found.entity || snakeCase(found.name), found.file, [found.name]);
    for (const column of columnsOf(found, new Set([found.name]))) created.columns.add(column);
  }
}

function readClasses(file: string, text: string, classes: Map<string, TsClass>, warnings: string[]): void {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/[^\n]*/g, '');
  let previous = 0;
  for (const match of code.matchAll(/\bclass\s+(\w+)(?:<[^>{]*>)?(?:\s+extends\s+(\w+))?[^{;]*\{/g)) {
    const open = (match.index ?? 0) + match[0].length - 1;
    const close = closing(code, open);
    if (close < 0) {
      warnings.push(
        `${file}:${code.slice(0, open).split('\n').length}: class ${match[1]} is never closed; it is not compared`,
      );
      break;
    }
    // The decorators between the previous class (or the imports) and this one.
    const before = code.slice(Math.max(previous, (match.index ?? 0) - 2000), match.index);
    previous = close;
    const entity = /@Entity\s*\(([^)]*)\)[^;{}]*$/.exec(before);
    const args = entity ? splitTopLevel(entity[1] ?? '') : [];
    classes.set(match[1]!, {
      name: match[1]!,
      file,
      entity: entity ? (quoted(args[0]) ?? nameOption(args) ?? '') : undefined,
      base: match[2],
      columns: members(code.slice(open + 1, close)),
    });
  }
}

/** The columns the decorated properties of a class body declare. */
function members(body: string): string[] {
  const columns: string[] = [];
  let decorators: { name: string; args: string[] }[] = [];
  const token =
    /@(\w+)\s*(\()?|(?:(?:public|private|protected|readonly|declare|static|override)\s+)*(\w+)\s*[!?]?\s*:/g;
  for (let match = token.exec(body); match; match = token.exec(body)) {
    if (match[1]) {
      let args: string[] = [];
      if (match[2]) {
        const open = match.index + match[0].length - 1;
        const close = closing(body, open);
        if (close < 0) break;
        args = splitTopLevel(body.slice(open + 1, close));
        token.lastIndex = close + 1;
      }
      decorators.push({ name: match[1], args });
      continue;
    }
    const property = match[3]!;
    const has = (name: string) => decorators.find((d) => d.name === name);
    const column = decorators.find((d) => COLUMN.test(d.name));
    const join = has('JoinColumn');
    // `@Column(() => Profile)` embeds another class's columns: not read here.
    if (column && !/=>/.test(column.args[0] ?? '')) columns.push(nameOption(column.args) ?? property);
    else if (has('ManyToOne') || (has('OneToOne') && join))
      columns.push((join && nameOption(join.args)) ?? `${property}Id`);
    decorators = [];
    // Skip the property's type and initializer up to the end of the statement.
    const end = body.slice(token.lastIndex).search(/[;\n]/);
    token.lastIndex = end < 0 ? body.length : token.lastIndex + end + 1;
  }
  return columns;
}

/** The index of the bracket closing the one at `open`, skipping strings; -1 if none. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
