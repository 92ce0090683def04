/**
 * Alembic revisions, applied in their chain's order (`down_revision`, not the file names' — they
 * are random hex): the operations of `upgrade()` only — op.create_table, add_column, drop_column,
 * alter_column(new_column_name=), drop_table, rename_table, and the same inside
 * `with op.batch_alter_table("t") as batch_op:`.
 */
import type { SyntaxNode } from '@lezer/common';
import { key, renameColumn, renameTable, table, type SchemaModel } from '../schemaModel';
import { callArgs, calleeName, callsUnder, stringValue, textOf, type PythonSource } from './pythonSyntax';

export function isAlembicRevision(source: PythonSource): boolean {
  return /^def\s+upgrade\s*\(/m.test(source.text) && /^(down_)?revision\b/m.test(source.text);
}

/** Revisions ordered from the base to the head; those outside a chain (a branch, a merge) keep their place after. */
export function alembicOrder(sources: PythonSource[]): PythonSource[] {
  const revisionOf = (source: PythonSource, name: string) =>
    new RegExp(String.raw`^${name}\s*(?::[^=\n]*)?=\s*\(?\s*['"]([^'"]+)['"]`, 'm').exec(source.text)?.[1];
  const info = sources.map((source) => ({
    source,
    revision: revisionOf(source, 'revision'),
    down: revisionOf(source, 'down_revision'),
  }));
  const ordered: PythonSource[] = [];
  const placed = new Set<string | undefined>();
  let next = info.filter((i) => i.down === undefined || !info.some((o) => o.revision === i.down));
  while (next.length > 0) {
    for (const item of next) {
      ordered.push(item.source);
      placed.add(item.revision);
    }
    next = info.filter((i) => !ordered.includes(i.source) && placed.has(i.down));
  }
  return [...ordered, ...sources.filter((source) => !ordered.includes(source))];
}

export function readAlembicRevision(model: SchemaModel, source: PythonSource): void {
  for (let node = source.tree.topNode.firstChild; node; node = node.nextSibling) {
    if (node.name !== 'FunctionDefinition' || !/^upgrade/.test(textOf(source, node.getChild('VariableName') ?? node)))
      continue;
    const batches = new Map<string, string>();
    for (const call of callsUnder(node)) operation(model, source, call, batches);
  }
}

function operation(model: SchemaModel, source: PythonSource, call: SyntaxNode, batches: Map<string, string>): void {
  const name = calleeName(source, call);
  const receiver =
    call.firstChild?.name === 'MemberExpression' ? textOf(source, call.firstChild.firstChild ?? call.firstChild) : '';
  const { positional, keyword } = callArgs(source, call);
  const str = (index: number, kw: string) => stringValue(source, keyword.get(kw) ?? positional[index]);
  const file = source.file;
  if (name === 'batch_alter_table') {
    // `with op.batch_alter_table("t") as batch_op:` — the name after `as` stands for the table.
    const alias = call.parent?.name === 'WithStatement' ? call.parent.getChild('VariableName') : null;
    const tableName = str(0, 'table_name');
    if (alias && tableName) batches.set(textOf(source, alias), tableName);
    return;
  }
  const batch = batches.get(receiver);
  if (receiver !== 'op' && batch === undefined) return;
  // In a batch, the table is implied and every argument shifts left by one.
  const shift = batch === undefined ? 0 : -1;
  const tableName = batch ?? str(0, 'table_name');
  if (!tableName) return;
  switch (name) {
    case 'create_table': {
      const created = table(model, tableName, file);
      for (const arg of positional.slice(1)) {
        const column = columnName(source, arg);
        if (column) created.columns.add(column);
      }
      break;
    }
    case 'add_column': {
      const column = columnName(source, keyword.get('column') ?? positional[1 + shift]);
      if (column) table(model, tableName, file).columns.add(column);
      break;
    }
    case 'drop_column': {
      const column = str(1 + shift, 'column_name');
      if (column) model.get(key(tableName))?.columns.delete(column);
      break;
    }
    case 'alter_column': {
      const column = str(1 + shift, 'column_name');
      const renamed = stringValue(source, keyword.get('new_column_name'));
      if (column && renamed) renameColumn(model, tableName, column, renamed, file);
      break;
    }
    case 'drop_table':
      model.delete(key(tableName));
      break;
    case 'rename_table': {
      const renamed = str(1, 'new_table_name');
      if (renamed) renameTable(model, tableName, renamed, file);
      break;
    }
  }
}

/** `sa.Column("email", sa.String())` → email. */
export function columnName(source: PythonSource, node: SyntaxNode | undefined): string | undefined {
  if (node?.name !== 'CallExpression' || calleeName(source, node) !== 'Column') return undefined;
  const { positional, keyword } = callArgs(source, node);
  return stringValue(source, keyword.get('name') ?? positional[0]);
}
