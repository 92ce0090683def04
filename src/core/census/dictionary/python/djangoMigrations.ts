/**
 * Django migrations, in file order within each app (0001_, 0002_, …): CreateModel (its fields,
 * `options={"db_table": …, "abstract": True, "proxy": True}`), AddField, RemoveField,
 * RenameField, AlterField (a foreign key's new column), DeleteModel, RenameModel, AlterModelTable.
 * A model's table name is remembered across the app's migrations (a db_table set once holds).
 */
import type { SyntaxNode } from '@lezer/common';
import { key, renameColumn, renameTable, table, type SchemaModel } from '../schemaModel';
import { djangoAppLabel, djangoField, djangoTableName, joinColumns } from './djangoNames';
import { callArgs, calleeText, callsUnder, stringValue, textOf, type PythonSource } from './pythonSyntax';

export function isDjangoMigration(source: PythonSource): boolean {
  return /\bclass\s+Migration\s*\(\s*migrations\.Migration\s*\)/.test(source.text);
}

/** `app.model` → its table, for the migrations read so far (per model being read). */
const tableNames = new WeakMap<SchemaModel, Map<string, string>>();

export function readDjangoMigration(model: SchemaModel, source: PythonSource): void {
  const app = djangoAppLabel(source.file);
  const names = tableNames.get(model) ?? new Map<string, string>();
  tableNames.set(model, names);
  const tableOf = (modelName: string) =>
    names.get(`${app}.${modelName.toLowerCase()}`) ?? djangoTableName(app, modelName);
  const file = source.file;
  for (const call of callsUnder(source.tree.topNode)) {
    const op = /^migrations\.(\w+)$/.exec(calleeText(source, call))?.[1];
    if (!op) continue;
    const { positional, keyword } = callArgs(source, call);
    const str = (index: number, kw: string) => stringValue(source, keyword.get(kw) ?? positional[index]);
    const modelName =
      str(0, op === 'CreateModel' || op === 'DeleteModel' || op === 'AlterModelTable' ? 'name' : 'model_name') ?? '';
    switch (op) {
      case 'CreateModel': {
        const options = dictionary(source, keyword.get('options') ?? positional[2]);
        if (options.get('abstract') === 'True' || options.get('proxy') === 'True') break;
        const name = options.get('db_table') ?? djangoTableName(app, modelName);
        names.set(`${app}.${modelName.toLowerCase()}`, name);
        const created = table(model, name, file, [modelName]);
        for (const [fieldName, field] of fieldList(source, keyword.get('fields') ?? positional[1]))
          addField(model, created.name, modelName, fieldName, djangoField(source, field, fieldName), file);
        break;
      }
      case 'AddField': {
        const fieldName = str(1, 'name') ?? '';
        addField(
          model,
          tableOf(modelName),
          modelName,
          fieldName,
          djangoField(source, keyword.get('field') ?? positional[2], fieldName),
          file,
        );
        break;
      }
      case 'AlterField': {
        const fieldName = str(1, 'name') ?? '';
        const field = djangoField(source, keyword.get('field') ?? positional[2], fieldName);
        const columns = model.get(key(tableOf(modelName)))?.columns;
        if (field && 'column' in field && columns && !columns.has(field.column)) {
          columns.delete(fieldName);
          columns.delete(`${fieldName}_id`);
          columns.add(field.column);
        }
        break;
      }
      case 'RemoveField': {
        const fieldName = str(1, 'name') ?? '';
        const columns = model.get(key(tableOf(modelName)))?.columns;
        columns?.delete(fieldName);
        columns?.delete(`${fieldName}_id`);
        model.delete(key(`${tableOf(modelName)}_${fieldName}`));
        break;
      }
      case 'RenameField': {
        const [from, to] = [str(1, 'old_name') ?? '', str(2, 'new_name') ?? ''];
        const columns = model.get(key(tableOf(modelName)))?.columns;
        if (columns?.has(`${from}_id`)) renameColumn(model, tableOf(modelName), `${from}_id`, `${to}_id`, file);
        else if (columns?.has(from)) renameColumn(model, tableOf(modelName), from, to, file);
        break;
      }
      case 'DeleteModel':
        model.delete(key(tableOf(modelName)));
        break;
      case 'RenameModel': {
        const [from, to] = [str(0, 'old_name') ?? '', str(1, 'new_name') ?? ''];
        const old = tableOf(from);
        const renamed =
          names.has(`${app}.${from.toLowerCase()}`) && old !== djangoTableName(app, from)
            ? old
            : djangoTableName(app, to);
        names.set(`${app}.${to.toLowerCase()}`, renamed);
        renameTable(model, old, renamed, file);
        const aliases = model.get(key(renamed))?.aliases;
        if (aliases)
          aliases.splice(
            0,
            aliases.length,
            ...aliases
              .map((alias) => (alias === from ? to : alias))
              .filter((alias, i, all) => all.indexOf(alias) === i),
          );
        break;
      }
      case 'AlterModelTable': {
        const to = str(1, 'table');
        if (!to) break;
        renameTable(model, tableOf(modelName), to, file);
        names.set(`${app}.${modelName.toLowerCase()}`, to);
        break;
      }
    }
  }
}

function addField(
  model: SchemaModel,
  tableName: string,
  modelName: string,
  fieldName: string,
  field: ReturnType<typeof djangoField>,
  file: string,
): void {
  if (!field) return;
  if ('column' in field) table(model, tableName, file).columns.add(field.column);
  else {
    const join = table(model, field.manyToMany.table ?? `${tableName}_${fieldName}`, file, [
      `${modelName}.${fieldName}`,
    ]);
    for (const column of joinColumns(modelName, field.manyToMany.target)) join.columns.add(column);
  }
}

/** `[("id", models.AutoField(…)), ("name", models.CharField(…))]` → [name, field call]. */
function fieldList(source: PythonSource, node: SyntaxNode | undefined): [string, SyntaxNode | undefined][] {
  const fields: [string, SyntaxNode | undefined][] = [];
  for (let item = node?.firstChild ?? null; item; item = item.nextSibling) {
    if (item.name !== 'TupleExpression' && item.name !== 'ParenthesizedExpression') continue;
    const parts = item.getChildren('String');
    const name = stringValue(source, parts[0]);
    const call = item.getChild('CallExpression') ?? undefined;
    if (name) fields.push([name, call]);
  }
  return fields;
}

/** `{"db_table": "x", "abstract": True}` → its string keys and values (strings unquoted). */
function dictionary(source: PythonSource, node: SyntaxNode | undefined): Map<string, string> {
  const result = new Map<string, string>();
  if (node?.name !== 'DictionaryExpression') return result;
  let pendingKey: string | undefined;
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name === '{' || child.name === '}' || child.name === ',' || child.name === ':') continue;
    if (pendingKey === undefined) pendingKey = stringValue(source, child) ?? '';
    else {
      result.set(pendingKey, stringValue(source, child) ?? textOf(source, child));
      pendingKey = undefined;
    }
  }
  return result;
}
