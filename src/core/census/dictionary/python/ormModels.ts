/**
 * ORM model classes to tables, across every Python file read (a base class or mixin may sit in
 * another file):
 * - Django: `models.Model` subclasses (or of a known Django model) → `<app>_<model>` unless
 *   `Meta.db_table`; abstract models are no table, their fields go to subclasses; proxies are no
 *   table; a concrete parent adds `<parent>_ptr_id`; `id` unless a field is the primary key.
 * - SQLModel: classes with `table=True` → `__tablename__` or the lowercased class name; every
 *   annotated attribute (its own or a base's) is a column but `Relationship(...)` and ClassVar.
 * - SQLAlchemy: `__tablename__` (or a `declared_attr` one inherited: the lowercased class name;
 *   Flask-SQLAlchemy's `db.Model` without one: the class name in snake_case; a subclass without
 *   one of a mapped class: single-table inheritance, its columns go to the parent's table);
 *   `Column` / `mapped_column` (their string name first), `x: Mapped[T]` without a value;
 *   `relationship(...)` and other values are not columns; mixins' columns are inherited.
 */
import { table, type SchemaModel } from '../schemaModel';
import { djangoAppLabel, djangoField, djangoTableName, joinColumns } from './djangoNames';
import type { PyAttribute, PyClass } from './pythonClasses';
import { callArgs, calleeName, stringValue, type PythonSource } from './pythonSyntax';

type Flavor = 'django' | 'sqlmodel' | 'sqlalchemy' | undefined;

export function readOrmModels(model: SchemaModel, classes: PyClass[]): void {
  const django = new Map<PythonSource, boolean>();
  const mentionsDjango = (source: PythonSource) =>
    django.get(source) ?? django.set(source, /\bdjango\b/.test(source.text)).get(source) === true;
  const byName = new Map<string, PyClass[]>();
  for (const cls of classes) {
    const same = byName.get(cls.name);
    if (same) same.push(cls);
    else byName.set(cls.name, [cls]);
  }
  // A base is the class of that name in the same file, else the first one read.
  const baseOf = (cls: PyClass, base: string): PyClass | undefined => {
    const name = base.split('.').pop() ?? base;
    const found = byName.get(name) ?? [];
    return found.find((c) => c.source === cls.source && c !== cls) ?? found.find((c) => c !== cls);
  };
  // Every ancestor, depth first; `through` says which ancestors' own ancestors count too.
  const ancestorsOf = (cls: PyClass, through: (ancestor: PyClass) => boolean, seen = new Set<PyClass>()): PyClass[] => {
    const result: PyClass[] = [];
    for (const base of cls.bases) {
      const found = baseOf(cls, base);
      if (!found || seen.has(found)) continue;
      seen.add(found);
      result.push(found);
      if (through(found)) result.push(...ancestorsOf(found, through, seen));
    }
    return result;
  };
  const ancestors = (cls: PyClass) => ancestorsOf(cls, () => true);
  // Django: the abstract ancestors up to the first concrete one (whose fields are in its own table).
  const djangoParents = (cls: PyClass) => ancestorsOf(cls, (ancestor) => ancestor.meta.get('abstract') === 'True');
  const flavors = new Map<PyClass, Flavor>();
  const flavor = (cls: PyClass): Flavor => {
    if (flavors.has(cls)) return flavors.get(cls);
    flavors.set(cls, undefined);
    const djangoFile = mentionsDjango(cls.source);
    let found: Flavor;
    if (cls.bases.some((b) => b === 'SQLModel' || b.endsWith('.SQLModel'))) found = 'sqlmodel';
    else if (
      cls.bases.some((b) => b === 'models.Model' || (djangoFile && (b === 'Model' || /(^|\.)Abstract\w*User$/.test(b))))
    )
      found = 'django';
    else
      found = cls.bases
        .map((b) => baseOf(cls, b))
        .map((b) => (b ? flavor(b) : undefined))
        .find(Boolean);
    if (!found && (cls.tablename !== undefined || cls.computedTablename || cls.bases.some(isFlaskModel)))
      found = 'sqlalchemy';
    flavors.set(cls, found);
    return found;
  };
  for (const cls of classes) {
    const kind = flavor(cls);
    if (kind === 'django') readDjangoModel(model, cls, djangoParents(cls), flavor);
    else if (kind === 'sqlmodel' || kind === 'sqlalchemy') readAlchemyModel(model, cls, ancestors(cls), kind);
  }
}

function readDjangoModel(
  model: SchemaModel,
  cls: PyClass,
  ancestors: PyClass[],
  flavor: (cls: PyClass) => Flavor,
): void {
  if (cls.meta.get('abstract') === 'True' || cls.meta.get('proxy') === 'True') return;
  const app = cls.meta.get('app_label') ?? djangoAppLabel(cls.source.file);
  const name = cls.meta.get('db_table') ?? djangoTableName(app, cls.name);
  const created = table(model, name, cls.source.file, [cls.name]);
  // Fields of abstract ancestors come first, as Django orders them; a concrete parent is its own table.
  const abstracts = ancestors.filter((a) => flavor(a) === 'django' && a.meta.get('abstract') === 'True');
  const concrete = ancestors.find(
    (a) => flavor(a) === 'django' && a.meta.get('abstract') !== 'True' && a.meta.get('proxy') !== 'True',
  );
  const attributes = [
    ...abstracts.reverse().flatMap((a) => a.attributes.map((attribute) => ({ attribute, source: a.source }))),
    ...cls.attributes.map((attribute) => ({ attribute, source: cls.source })),
  ];
  // No automatic `id` when a field is the primary key, or with a CompositePrimaryKey (Django 5.2).
  const primary = attributes.some(
    ({ attribute, source }) =>
      attribute.value?.name === 'CallExpression' &&
      (callArgs(source, attribute.value).keyword.has('primary_key') ||
        calleeName(source, attribute.value) === 'CompositePrimaryKey'),
  );
  if (concrete) created.columns.add(`${concrete.name.toLowerCase()}_ptr_id`);
  else if (!primary) created.columns.add('id');
  for (const { attribute, source } of attributes) {
    const field = djangoField(source, attribute.value, attribute.name);
    if (!field) continue;
    if ('column' in field) created.columns.add(field.column);
    else {
      const join = table(model, field.manyToMany.table ?? `${name}_${attribute.name}`, cls.source.file, [
        `${cls.name}.${attribute.name}`,
      ]);
      for (const column of joinColumns(cls.name, field.manyToMany.target)) join.columns.add(column);
    }
  }
}

function readAlchemyModel(
  model: SchemaModel,
  cls: PyClass,
  ancestors: PyClass[],
  kind: 'sqlmodel' | 'sqlalchemy',
): void {
  if (cls.abstract) return;
  if (kind === 'sqlmodel' && cls.keywords.get('table') !== 'True') return;
  // A class computing `__tablename__` itself is the declarative base or a mixin; its subclasses are the tables.
  const computed = !cls.computedTablename && ancestors.some((a) => a.computedTablename);
  const name =
    cls.tablename ?? (kind === 'sqlmodel' || computed ? cls.name.toLowerCase() : inheritedName(cls, ancestors));
  if (name === undefined) return;
  // Columns of bases that are not tables themselves (mixins, SQLModel's `UserBase`), then the class's own.
  const inherited = ancestors.filter((a) => a.tablename === undefined && a.keywords.get('table') !== 'True').reverse();
  const columns: string[] = [];
  for (const owner of [...inherited, cls])
    for (const attribute of owner.attributes) {
      const column =
        kind === 'sqlmodel' ? sqlModelColumn(owner.source, attribute) : alchemyColumn(owner.source, attribute);
      if (column !== undefined && !columns.includes(column)) columns.push(column);
    }
  if (columns.length === 0) return;
  const created = table(model, name, cls.source.file, [cls.name]);
  for (const column of columns) created.columns.add(column);
}

/**
 * A mapped class without a name of its own: Flask-SQLAlchemy's `db.Model` gives it its class name
 * in snake_case; under a mapped parent it is single-table inheritance (its columns are the
 * nearest mapped ancestor's table's).
 */
function inheritedName(cls: PyClass, ancestors: PyClass[]): string | undefined {
  if (cls.bases.some(isFlaskModel)) return snakeCase(cls.name);
  for (const ancestor of ancestors) {
    if (ancestor.tablename !== undefined) return ancestor.tablename;
    if (ancestor.bases.some(isFlaskModel)) return snakeCase(ancestor.name);
  }
  return undefined;
}

/** Flask-SQLAlchemy's `db.Model`: a class without `__tablename__` gets its name in snake_case. */
const isFlaskModel = (base: string) => /^(db|database)\.Model$/.test(base);

/** `OrderLine` → order_line, `HTTPRequest` → http_request (as Flask-SQLAlchemy names tables). */
function snakeCase(name: string): string {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

const NOT_COLUMNS =
  /^(relationship|relation|Relationship|backref|column_property|synonym|association_proxy|composite|query_expression|hybrid_property)$/;

/** `Column("name", …)` / `mapped_column("name", …)` → name; `x: Mapped[int]` → x; anything else is no column. */
function alchemyColumn(source: PythonSource, attribute: PyAttribute): string | undefined {
  if (attribute.name.startsWith('__')) return undefined;
  const value = attribute.value;
  if (!value) return attribute.annotation?.startsWith('Mapped[') ? attribute.name : undefined;
  if (value.name !== 'CallExpression') return undefined;
  const callee = calleeName(source, value);
  if (callee === 'deferred')
    return alchemyColumn(source, { ...attribute, value: callArgs(source, value).positional[0] });
  if (callee !== 'Column' && callee !== 'mapped_column') return undefined;
  return stringValue(source, callArgs(source, value).positional[0]) ?? attribute.name;
}

/** SQLModel: every annotated field but relationships, ClassVars and private attributes. */
function sqlModelColumn(source: PythonSource, attribute: PyAttribute): string | undefined {
  if (attribute.annotation === undefined || attribute.name.startsWith('_') || attribute.name === 'model_config')
    return undefined;
  if (/^(typing\.)?ClassVar\b/.test(attribute.annotation)) return undefined;
  const value = attribute.value;
  if (value?.name === 'CallExpression') {
    const callee = calleeName(source, value);
    if (NOT_COLUMNS.test(callee)) return undefined;
    const column = callee === 'Field' ? callArgs(source, value).keyword.get('sa_column') : undefined;
    if (column?.name === 'CallExpression')
      return stringValue(source, callArgs(source, column).positional[0]) ?? attribute.name;
  }
  return attribute.name;
}
