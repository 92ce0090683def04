import type * as z from 'zod/mini';
import { inEnglish } from '../../text/zodEnglish';
import { nearMiss } from '../../text/nearMiss';
import { ProjectFileError, formatKeyPath } from './errors';
import type { ParsedSource } from './parsedSource';

/**
 * Validates a parsed file against its zod schema; the first problem in file order becomes
 * a ProjectFileError pointing at the offending key, with a message written for humans
 * (`expected a number, got "two"`) instead of zod's generic one.
 */
export function checkSchema<S extends z.ZodMiniType>(schema: S, source: ParsedSource): z.output<S> {
  const result = schema.safeParse(source.value, inEnglish);
  if (result.success) return result.data;
  const located = result.error.issues.map((issue) => {
    const path = issuePath(issue);
    return { issue, path, at: source.locate(path) };
  });
  located.sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
  const first = located[0];
  if (!first) throw new ProjectFileError({ file: source.file, line: 1 }, 'invalid content');
  const near =
    first.issue.code === 'unrecognized_keys'
      ? nearMiss(String(first.path.at(-1)), knownKeysAt(schema, first.issue.path))
      : undefined;
  throw new ProjectFileError(
    { file: source.file, line: first.at.line, column: first.at.column, key: formatKeyPath(first.path) },
    `${describeIssue(first.issue, source.value)}${near ? `; did you mean \`${near}\`?` : ''}`,
  );
}

/** The keys the schema knows at `path` (through defaults, optionals, pipes, records and lists), for the near-miss hint. */
function knownKeysAt(schema: z.ZodMiniType, path: readonly PropertyKey[]): string[] {
  let node: SchemaNode | undefined = schema as unknown as { _zod: SchemaNode['_zod'] };
  // A pipe from a transform (a short form made long, `sandbox: off`) knows the keys of what it makes.
  const inner = ({ def }: SchemaNode['_zod']): SchemaNode | undefined =>
    def.innerType ?? (def.in?._zod.def.type === 'transform' ? def.out : def.in);
  const unwrap = (n: SchemaNode | undefined): SchemaNode | undefined => {
    let current = n;
    for (let i = 0; current && i < 10 && inner(current._zod); i++) current = inner(current._zod);
    return current;
  };
  for (const key of path) {
    node = unwrap(node);
    const def = node?._zod.def;
    if (!def) return [];
    node = def.shape?.[String(key)] ?? def.valueType ?? def.element;
  }
  return Object.keys(unwrap(node)?._zod.def.shape ?? {});
}

/** What knownKeysAt reads of a zod schema's definition. */
interface SchemaNode {
  _zod: {
    def: {
      type?: string;
      innerType?: SchemaNode;
      in?: SchemaNode;
      out?: SchemaNode;
      shape?: Record<string, SchemaNode>;
      valueType?: SchemaNode;
      element?: SchemaNode;
    };
  };
}

type Issue = z.core.$ZodIssue;

function issuePath(issue: Issue): PropertyKey[] {
  const path = [...issue.path];
  // Point at the unknown key itself rather than at the mapping holding it.
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  return path;
}

export function describeIssue(issue: Issue, root: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const actual = valueAt(root, issue.path);
      const expected = describeExpected(issue.expected);
      return actual === undefined ? `missing (expected ${expected})` : `expected ${expected}, got ${show(actual)}`;
    }
    case 'unrecognized_keys':
      return issue.keys.length > 1 ? `unknown key (also unknown: ${issue.keys.slice(1).join(', ')})` : 'unknown key';
    case 'invalid_value': {
      const actual = valueAt(root, issue.path);
      const expected = `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      return actual === undefined ? `missing (expected ${expected})` : `expected ${expected}, got ${show(actual)}`;
    }
    case 'too_small':
      return describeBound(
        'at least',
        'more than',
        issue.origin,
        issue.minimum,
        issue.inclusive,
        valueAt(root, issue.path),
      );
    case 'too_big':
      return describeBound(
        'at most',
        'less than',
        issue.origin,
        issue.maximum,
        issue.inclusive,
        valueAt(root, issue.path),
      );
    case 'invalid_key':
      return issue.issues[0]?.message ?? issue.message;
    case 'invalid_union':
      return describeUnion(issue.errors, valueAt(root, issue.path));
    default:
      return issue.message;
  }
}

/** `gate: humann` → `expected "none", "human" or a mapping, got "humann"`: what each branch of a union takes. */
function describeUnion(branches: Issue[][], actual: unknown): string {
  const expected = new Set<string>();
  for (const branch of branches) {
    const issue = branch[0];
    if (issue?.code === 'invalid_value') issue.values.forEach((value) => expected.add(JSON.stringify(value)));
    else if (issue?.code === 'invalid_type') expected.add(describeExpected(issue.expected));
  }
  const choices = [...expected];
  if (choices.length === 0) return 'invalid value';
  const list = choices.length === 1 ? choices[0] : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
  return actual === undefined ? `missing (expected ${list})` : `expected ${list}, got ${show(actual)}`;
}

function describeBound(
  inclusiveWord: string,
  exclusiveWord: string,
  origin: string,
  limit: number | bigint,
  inclusive: boolean | undefined,
  actual: unknown,
): string {
  const bound = `${inclusive === false ? exclusiveWord : inclusiveWord} ${String(limit)}`;
  if (origin === 'array' || origin === 'set') return `must have ${bound} items`;
  if (origin === 'string') return `must be ${bound} characters long`;
  return `must be ${bound}, got ${show(actual)}`;
}

const expectedWords: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'null',
};

function describeExpected(expected: string): string {
  return expectedWords[expected] ?? expected;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const text = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(text);
  }
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
