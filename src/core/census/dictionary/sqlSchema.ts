/**
 * SQL migrations read in file order: CREATE TABLE, ALTER TABLE ADD / DROP / RENAME COLUMN,
 * ALTER TABLE … RENAME TO, DROP TABLE. The Down part of a goose or dbmate migration is not read.
 */
import { key, renameColumn, renameTable, splitTopLevel, table, unquote, type SchemaModel } from './schemaModel';

const SQL_NAME = String.raw`((?:[\`"[]?\w+[\`"\]]?\.)?[\`"[]?\w+[\`"\]]?)`;
const SQL_KEYWORDS = new Set([
  'constraint',
  'primary',
  'foreign',
  'unique',
  'key',
  'index',
  'check',
  'exclude',
  'fulltext',
  'spatial',
  'period',
]);
const CREATE = new RegExp(
  String.raw`^\s*create\s+(?:temporary\s+|temp\s+)?table\s+(?:if\s+not\s+exists\s+)?${SQL_NAME}\s*\(`,
  'i',
);
const ALTER = new RegExp(String.raw`^\s*alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${SQL_NAME}\s+([\s\S]*)`, 'i');
const DROP = new RegExp(String.raw`^\s*drop\s+table\s+(?:if\s+exists\s+)?${SQL_NAME}`, 'i');

export function readSql(model: SchemaModel, file: string, text: string): void {
  // goose's `-- +goose Down` and dbmate's `-- migrate:down` sections undo the file's up part.
  const up = /^\s*--\s*(\+goose\s+down|migrate:down)\b/im.exec(text);
  const sql = (up ? text.slice(0, up.index) : text).replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  for (const statement of sql.split(';')) {
    const create = CREATE.exec(statement);
    if (create) {
      // The column list: from the opening parenthesis to the last closing one of the statement.
      const body = statement.slice(create[0].length, statement.lastIndexOf(')'));
      const created = table(model, unquote(create[1] ?? ''), file);
      for (const part of splitTopLevel(body)) {
        const column = /^\s*([`"[]?\w+[`"\]]?)/.exec(part)?.[1];
        if (column && !SQL_KEYWORDS.has(unquote(column).toLowerCase())) created.columns.add(unquote(column));
      }
      continue;
    }
    const alter = ALTER.exec(statement);
    if (alter) {
      const name = unquote(alter[1] ?? '');
      for (const action of splitTopLevel(alter[2] ?? '')) {
        const add = /^\s*add\s+(?:column\s+)?(?:if\s+not\s+exists\s+)?([`"[]?\w+[`"\]]?)/i.exec(action);
        const drop = /^\s*drop\s+(?:column\s+)?(?:if\s+exists\s+)?([`"[]?\w+[`"\]]?)/i.exec(action);
        const renameTo = /^\s*rename\s+to\s+([`"[]?\w+[`"\]]?)/i.exec(action);
        const rename = /^\s*rename\s+(?:column\s+)?([`"[]?\w+[`"\]]?)\s+to\s+([`"[]?\w+[`"\]]?)/i.exec(action);
        if (add && !SQL_KEYWORDS.has(unquote(add[1] ?? '').toLowerCase()))
          table(model, name, file).columns.add(unquote(add[1] ?? ''));
        else if (drop && !SQL_KEYWORDS.has(unquote(drop[1] ?? '').toLowerCase()))
          model.get(key(name))?.columns.delete(unquote(drop[1] ?? ''));
        else if (renameTo) renameTable(model, name, unquote(renameTo[1] ?? ''), file);
        else if (rename) renameColumn(model, name, unquote(rename[1] ?? ''), unquote(rename[2] ?? ''), file);
      }
      continue;
    }
    const drop = DROP.exec(statement);
    if (drop) model.delete(key(unquote(drop[1] ?? '')));
  }
}
