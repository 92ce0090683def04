/**
 * Django's own naming, shared by its models and its migrations: a model's table is
 * `<app_label>_<modelname>` (the app is the folder holding models.py or migrations/), a foreign
 * key's column is `<field>_id`, a ManyToManyField without `through=` makes the join table
 * `<table>_<field>` with `id`, `<model>_id` and `<target>_id` (`from_…` / `to_…` when it points
 * at its own model).
 */
import type { SyntaxNode } from '@lezer/common';
import { callArgs, calleeName, stringValue, textOf, type PythonSource } from './pythonSyntax';

export type DjangoField = { column: string } | { manyToMany: { target: string; table?: string } } | undefined;

/** The app label of a models file or a migration: `accounts/models.py`, `blog/models/post.py`, `shop/migrations/0001_initial.py`. */
export function djangoAppLabel(file: string): string {
  const parts = file.split('/');
  const migrations = parts.lastIndexOf('migrations');
  const models = Math.max(parts.lastIndexOf('models.py'), parts.slice(0, -1).lastIndexOf('models'));
  const at = migrations >= 0 ? migrations : models;
  const app = at > 0 ? parts[at - 1] : parts.length > 1 ? parts[parts.length - 2] : undefined;
  return (app ?? '').toLowerCase();
}

export function djangoTableName(app: string, model: string): string {
  return app ? `${app}_${model.toLowerCase()}` : model.toLowerCase();
}

/** What a field call makes: a column, a join table, or nothing (a reverse relation, a property). */
export function djangoField(source: PythonSource, call: SyntaxNode | undefined, name: string): DjangoField {
  if (call?.name !== 'CallExpression') return undefined;
  const kind = calleeName(source, call);
  const { positional, keyword } = callArgs(source, call);
  const dbColumn = stringValue(source, keyword.get('db_column'));
  if (kind === 'ManyToManyField') {
    if (keyword.has('through')) return undefined;
    const to = keyword.get('to') ?? positional[0];
    const target = to ? (stringValue(source, to) ?? textOf(source, to)) : '';
    const table = stringValue(source, keyword.get('db_table'));
    return { manyToMany: { target: target.split('.').pop() ?? target, ...(table ? { table } : {}) } };
  }
  if (/^(ForeignKey|OneToOneField|ParentalKey)$/.test(kind)) return { column: dbColumn ?? `${name}_id` };
  if (/Field$/.test(kind)) return { column: dbColumn ?? name };
  return undefined;
}

/** A join table's columns. */
export function joinColumns(model: string, target: string): string[] {
  const from = model.toLowerCase();
  const to = target === 'self' ? from : target.toLowerCase();
  return from === to ? ['id', `from_${from}_id`, `to_${to}_id`] : ['id', `${from}_id`, `${to}_id`];
}
