// What a real fix's test file holds, read with the TypeScript parser (JavaScript and TypeScript
// alike), for `npm run realworld`: its tests with their full paths (the describe blocks around
// them), which of them the fix added or changed, and the file moved into the proof folder with its
// relative imports still pointing where they did and the fix's tests named by the criterion.
import { posix } from 'node:path';
import ts from 'typescript';

/** A test call (`it`, `test`, their `.only`/`.each` forms) with its title literal and the describe titles around it. */
export interface TestCall {
  path: string[];
  /** The whole call's text: a changed body is a changed test. */
  text: string;
  /** Where the title literal's text starts (after its quote), to name the test by its criterion. */
  titleStart: number;
  /** The statement the call is (its whole text, comments before it included), to leave it out. */
  statement: { start: number; end: number };
}

const SUITES = new Set(['describe', 'suite', 'context']);
const TESTS = new Set(['it', 'test', 'specify']);

/** `it`, `it.only`, `test.serial`, `describe.each(...)` → the base name; tap's `t.test(...)` (a subtest of `t`, or of `tap`) → `test`. */
function calleeName(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (
    ts.isPropertyAccessExpression(expr) &&
    expr.name.text === 'test' &&
    ts.isIdentifier(expr.expression) &&
    !SUITES.has(expr.expression.text) &&
    !TESTS.has(expr.expression.text)
  )
    return 'test';
  if (ts.isPropertyAccessExpression(expr)) return calleeName(expr.expression);
  if (ts.isCallExpression(expr)) return calleeName(expr.expression);
  return undefined;
}

function titleOf(arg: ts.Expression | undefined): { text: string; start: number } | undefined {
  if (!arg) return undefined;
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))
    return { text: arg.text, start: arg.getStart() + 1 };
  return undefined;
}

function parse(name: string, text: string): ts.SourceFile {
  const kind = /\.tsx$/.test(name) ? ts.ScriptKind.TSX : /\.[cm]?ts$/.test(name) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  return ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, kind);
}

export function testsOf(name: string, text: string): TestCall[] {
  const source = parse(name, text);
  const found: TestCall[] = [];
  const visit = (node: ts.Node, path: string[]): void => {
    if (ts.isCallExpression(node)) {
      const callee = calleeName(node.expression);
      const title = titleOf(node.arguments[0]);
      if (callee && title && SUITES.has(callee)) {
        for (const arg of node.arguments.slice(1)) visit(arg, [...path, title.text]);
        return;
      }
      if (callee && title && TESTS.has(callee)) {
        const statement = ts.isExpressionStatement(node.parent) ? node.parent : node;
        found.push({
          path: [...path, title.text],
          text: node.getText(source),
          titleStart: title.start,
          statement: { start: statement.getFullStart(), end: statement.getEnd() },
        });
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, path));
  };
  visit(source, []);
  return found;
}

/** The tests of `after` that `before` (undefined: a new file) did not have: a call text of its own (a suite renamed around a test leaves it the same test). */
export function addedTests(name: string, before: string | undefined, after: string): TestCall[] {
  const old = new Set((before === undefined ? [] : testsOf(name, before)).map((t) => t.text));
  return testsOf(name, after).filter((t) => !old.has(t.text));
}

function cut(text: string, ranges: readonly { start: number; end: number }[]): string {
  let out = text;
  for (const r of [...ranges].sort((a, b) => b.start - a.start)) out = out.slice(0, r.start) + out.slice(r.end);
  return out;
}

/**
 * The fix's test file as a proof test holds it: only the tests `keep` names (by full path), the
 * suites around them, their hooks and helpers; the other tests, suites left with none, and then
 * the top-level imports, requires and declarations nothing uses any more, left out (the
 * project's lint runs on the proof folder too).
 */
export function onlyTests(name: string, text: string, keep: readonly TestCall[]): string {
  const kept = new Set(keep.map((t) => t.path.join('\u0000')));
  const source = parse(name, text);
  const ranges: { start: number; end: number }[] = [];
  const holdsKept = (node: ts.Node): boolean => {
    let found = false;
    const look = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && TESTS.has(calleeName(n.expression) ?? '') && titleOf(n.arguments[0])) {
        found = testsOf(name, text).some(
          (t) => kept.has(t.path.join('\u0000')) && t.titleStart === titleOf(n.arguments[0])!.start,
        );
        return;
      }
      ts.forEachChild(n, look);
    };
    look(node);
    return found;
  };
  const visit = (node: ts.Node): void => {
    if (
      ts.isExpressionStatement(node) &&
      ts.isCallExpression(node.expression) &&
      titleOf(node.expression.arguments[0])
    ) {
      const callee = calleeName(node.expression.expression) ?? '';
      if ((SUITES.has(callee) || TESTS.has(callee)) && !holdsKept(node)) {
        ranges.push({ start: node.getFullStart(), end: node.getEnd() });
        return;
      }
      // A kept test is kept whole: tap's subtests (`t.test` inside it) are part of it.
      if (TESTS.has(callee)) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  // A block (or the file) whose first statements were left out opens on a blank line, which formatters refuse.
  return withoutOrphanEnables(withoutUnused(name, cut(text, ranges)))
    .replace(/([{(]\n)(?:[ \t]*\n)+/g, '$1')
    .replace(/^\n+/, '');
}

/**
 * An `eslint-enable` whose `eslint-disable` went with a statement left out (it led that statement; the enable
 * trails it): ESLint's comment rules refuse it (camelcase's xo: "rule is re-enabled but it has not been disabled").
 */
function withoutOrphanEnables(text: string): string {
  return text.replace(/^[ \t]*\/\* eslint-enable ([^*]*?) \*\/[ \t]*\n?/gm, (line, rules: string, at: number) =>
    text.slice(0, at).includes(`/* eslint-disable ${rules} */`) ? line : '',
  );
}

/** Top-level imports, requires, variables and functions no other identifier of the file names, left out until none is left. */
function withoutUnused(name: string, text: string): string {
  for (;;) {
    const source = parse(name, text);
    const uses = new Map<string, number>();
    const count = (n: ts.Node): void => {
      // A property's name (`{ validator: 'isEmail' }`, `a.validator`) is no use of a variable of that name.
      const propertyName =
        n.parent !== undefined &&
        (ts.isPropertyAssignment(n.parent) || ts.isPropertyAccessExpression(n.parent)) &&
        n.parent.name === n;
      if (ts.isIdentifier(n) && !propertyName) uses.set(n.text, (uses.get(n.text) ?? 0) + 1);
      ts.forEachChild(n, count);
    };
    count(source);
    const unused = (id: ts.Identifier | undefined) => id !== undefined && uses.get(id.text) === 1;
    const ranges: { start: number; end: number }[] = [];
    for (const statement of statementsOf(source)) {
      const whole = { start: statement.getFullStart(), end: statement.getEnd() };
      if (ts.isImportDeclaration(statement) && statement.importClause)
        ranges.push(...unusedOfImport(statement.importClause, unused, whole));
      else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) {
        const decl = statement.declarationList.declarations[0]!;
        const names = ts.isIdentifier(decl.name)
          ? [decl.name]
          : ts.isObjectBindingPattern(decl.name)
            ? decl.name.elements.map((e) => e.name).filter(ts.isIdentifier)
            : [];
        if (names.length > 0 && names.every(unused)) ranges.push(whole);
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && unused(statement.name))
        ranges.push(whole);
      // A block whose tests were all left out (`if (globalThis.AbortController) { … }`).
      else if (
        ts.isIfStatement(statement) &&
        !statement.elseStatement &&
        ts.isBlock(statement.thenStatement) &&
        statement.thenStatement.statements.length === 0
      )
        ranges.push(whole);
    }
    if (ranges.length === 0) return text;
    text = cut(text, ranges);
  }
}

/** The file's top-level statements and those of each suite's body: a helper a suite declares for tests left out is unused too (a build with `noUnusedLocals` type-checks the proof folder). */
function statementsOf(source: ts.SourceFile): ts.Statement[] {
  const found: ts.Statement[] = [...source.statements];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && SUITES.has(calleeName(node.expression) ?? '')) {
      for (const arg of node.arguments)
        if ((ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) && ts.isBlock(arg.body))
          found.push(...arg.body.statements);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The whole import when no name it brings is used, else each unused name with its comma. */
function unusedOfImport(
  clause: ts.ImportClause,
  unused: (id: ts.Identifier) => boolean,
  whole: { start: number; end: number },
): { start: number; end: number }[] {
  const named =
    clause.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
  const all = [
    clause.name,
    ...(clause.namedBindings && ts.isNamespaceImport(clause.namedBindings) ? [clause.namedBindings.name] : []),
    ...(named ?? []).map((e) => e.name),
  ].filter((n): n is ts.Identifier => n !== undefined);
  if (all.length > 0 && all.every(unused)) return [whole];
  const ranges: { start: number; end: number }[] = [];
  // `pMap, {…}`: the default name up to the brace.
  if (clause.name && unused(clause.name) && clause.namedBindings)
    ranges.push({ start: clause.name.getStart(), end: clause.namedBindings.getStart() });
  if (named) {
    const used = named.filter((e) => !unused(e.name));
    if (used.length === 0 && clause.name && !unused(clause.name))
      ranges.push({ start: clause.name.getEnd(), end: clause.namedBindings!.getEnd() });
    else {
      // Unused names before the first used one go up to it; each one after it goes with the comma before it
      // (ranges that never overlap, however many unused names stand side by side).
      const first = named.findIndex((e) => !unused(e.name));
      if (first > 0) ranges.push({ start: named[0]!.getStart(), end: named[first]!.getStart() });
      named.forEach((e, i) => {
        if (i > first && unused(e.name)) ranges.push({ start: named[i - 1]!.getEnd(), end: e.getEnd() });
      });
    }
  }
  return ranges;
}

/**
 * The file as it reads from `to` instead of `from` (workspace-relative): each relative module
 * specifier (`require`, `import`, `export … from`, `import()`) resolved where it pointed, and each
 * of `named`'s titles prefixed with `criterion` (a proof test's name holds its criterion id).
 */
export function movedTest(
  from: string,
  to: string,
  text: string,
  named: readonly TestCall[],
  criterion: string,
): string {
  const source = parse(from, text);
  const edits: { start: number; end: number; text: string }[] = [];
  const respecify = (literal: ts.Node | undefined): void => {
    if (!literal || !ts.isStringLiteral(literal) || !literal.text.startsWith('.')) return;
    const target = posix.normalize(posix.join(posix.dirname(from), literal.text));
    let spec = posix.relative(posix.dirname(to), target) || '.';
    if (!spec.startsWith('.')) spec = `./${spec}`;
    // `require('..')` names a folder: keep a trailing slash off, as the original had none.
    edits.push({ start: literal.getStart() + 1, end: literal.getEnd() - 1, text: spec });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier)
      respecify(node.moduleSpecifier);
    if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    )
      respecify(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const test of named) edits.push({ start: test.titleStart, end: test.titleStart, text: `${criterion} ` });
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
