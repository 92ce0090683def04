/**
 * The classes of a Python file as the ORM readers need them: bases, class keywords
 * (`table=True`), `__tablename__` (a string, or computed by a `declared_attr` function), the
 * inner `Meta` (Django's db_table, abstract, proxy, app_label) and each class-level attribute
 * with its annotation and value.
 */
import type { SyntaxNode } from '@lezer/common';
import { callArgs, lineOf, stringValue, textOf, type PythonSource } from './pythonSyntax';

export interface PyAttribute {
  name: string;
  /** The annotation's text (`Mapped[int]`), when annotated. */
  annotation?: string;
  /** The assigned value, when assigned. */
  value?: SyntaxNode;
  line: number;
}

export interface PyClass {
  name: string;
  source: PythonSource;
  line: number;
  /** Positional bases as written (`models.Model`, `UserBase`). */
  bases: string[];
  keywords: Map<string, string>;
  /** `__tablename__ = "users"`. */
  tablename?: string;
  /** `def __tablename__(cls)` (under `@declared_attr`): the name is computed from the class. */
  computedTablename: boolean;
  /** `__abstract__ = True` (SQLAlchemy). */
  abstract: boolean;
  /** The inner Meta's simple assignments, strings unquoted (`db_table`, `abstract`, `app_label`). */
  meta: Map<string, string>;
  attributes: PyAttribute[];
}

/** The module's classes, including those under `if` / `try` blocks, not those inside functions or classes. */
export function pythonClasses(source: PythonSource): PyClass[] {
  const classes: PyClass[] = [];
  const visit = (node: SyntaxNode) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'ClassDefinition') classes.push(readClass(source, child));
      else if (child.name === 'DecoratedStatement') {
        const inner = child.getChild('ClassDefinition');
        if (inner) classes.push(readClass(source, inner));
      } else if (/Statement$|^Body$/.test(child.name) && child.name !== 'DecoratedStatement') visit(child);
    }
  };
  visit(source.tree.topNode);
  return classes;
}

function readClass(source: PythonSource, node: SyntaxNode): PyClass {
  // A class's bases and keywords are an argument list, read as a call's.
  const args = callArgs(source, node);
  const bases = args.positional.map((base) => textOf(source, base).replace(/\s+/g, ''));
  const keywords = new Map([...args.keyword].map(([name, value]) => [name, textOf(source, value)]));
  const found: PyClass = {
    name: textOf(source, node.getChild('VariableName') ?? node),
    source,
    line: lineOf(source.text, node.from),
    bases,
    keywords,
    computedTablename: false,
    abstract: false,
    meta: new Map(),
    attributes: [],
  };
  const body = node.getChild('Body');
  for (let statement = body?.firstChild ?? null; statement; statement = statement.nextSibling) {
    if (statement.name === 'AssignStatement') readAssignment(source, statement, found);
    else if (
      statement.name === 'ClassDefinition' &&
      textOf(source, statement.getChild('VariableName') ?? statement) === 'Meta'
    )
      readMeta(source, statement, found.meta);
    else if (statement.name === 'FunctionDefinition' || statement.name === 'DecoratedStatement') {
      const fn = statement.name === 'FunctionDefinition' ? statement : statement.getChild('FunctionDefinition');
      if (fn && textOf(source, fn.getChild('VariableName') ?? fn) === '__tablename__') found.computedTablename = true;
    }
  }
  return found;
}

function readAssignment(source: PythonSource, statement: SyntaxNode, into: PyClass): void {
  const target = statement.firstChild;
  if (target?.name !== 'VariableName') return;
  const name = textOf(source, target);
  const typeDef = statement.getChild('TypeDef');
  const assigns = statement.getChildren('AssignOp');
  // `a = b = Column()` is rare in models; the value is what follows the last `=`.
  const value = assigns.length > 0 ? (assigns[assigns.length - 1]?.nextSibling ?? undefined) : undefined;
  if (name === '__tablename__') {
    const tablename = stringValue(source, value);
    if (tablename !== undefined) into.tablename = tablename;
    else into.computedTablename = true;
    return;
  }
  if (name === '__abstract__') {
    into.abstract = value !== undefined && textOf(source, value) === 'True';
    return;
  }
  const annotation = typeDef ? textOf(source, typeDef).replace(/^:\s*/, '').replace(/\s+/g, '') : undefined;
  into.attributes.push({
    name,
    ...(annotation === undefined ? {} : { annotation }),
    ...(value ? { value } : {}),
    line: lineOf(source.text, statement.from),
  });
}

function readMeta(source: PythonSource, meta: SyntaxNode, into: Map<string, string>): void {
  for (let statement = meta.getChild('Body')?.firstChild ?? null; statement; statement = statement.nextSibling) {
    if (statement.name !== 'AssignStatement') continue;
    const target = statement.firstChild;
    const value = statement.getChild('AssignOp')?.nextSibling;
    if (target?.name === 'VariableName' && value)
      into.set(textOf(source, target), stringValue(source, value) ?? textOf(source, value));
  }
}
