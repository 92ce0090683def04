/**
 * The hosts' table (src/core/engine/hosts.ts) against the hosts' code, as contract.test.ts checks the
 * verbs': each row's Host is exported where it says and has every method Host requires (its own or a
 * base class's), its files call exactly the contract's entries it lists, name no run place it does
 * not list, and show the way it waits. The code is read, never run: no host is started here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import test from 'node:test';
import ts from 'typescript';
import { contract, hosts, type HostRow } from '../../../src/core/engine';
import type { RunPlaceKind } from '../../../src/core/pipeline/run';

const ROOT = join(__dirname, '..', '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const parse = (file: string): ts.SourceFile => ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
const rows = Object.entries(hosts) as [keyof typeof hosts, HostRow][];

function filesOf(row: HostRow): string[] {
  const walk = (path: string): string[] =>
    statSync(join(ROOT, path)).isDirectory()
      ? readdirSync(join(ROOT, path)).flatMap((name) => walk(join(path, name)))
      : [path];
  return row.files
    .flatMap(walk)
    .filter((file) => file.endsWith('.ts') && !(row.except ?? []).some((out) => file.startsWith(out)));
}
const sourceOf = (row: HostRow): string => filesOf(row).map(read).join('\n');

/** The methods Host requires (its members without `?`), read from src/core/host.ts. */
function requiredOfHost(): string[] {
  const host = parse('src/core/host.ts').statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Host',
  );
  assert.ok(host, 'src/core/host.ts declares Host');
  return host.members.filter((m) => !m.questionToken).map((m) => (m.name as ts.Identifier).text);
}

/** The file a relative import names (`./x` is x.ts or x/index.ts). */
function resolveImport(from: string, specifier: string): string {
  const base = join(dirname(from), specifier);
  return statSync(join(ROOT, `${base}.ts`), { throwIfNoEntry: false }) ? `${base}.ts` : join(base, 'index.ts');
}

/** Where `name` is declared, from `file`: itself, or the file it imports or re-exports it from. */
function declaring(file: string, name: string): { file: string; node: ts.Node } {
  const source = parse(file);
  for (const s of source.statements) {
    if ((ts.isClassDeclaration(s) || ts.isFunctionDeclaration(s)) && s.name?.text === name) return { file, node: s };
    const from = (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier;
    if (!from || !ts.isStringLiteral(from) || !from.text.startsWith('.')) continue;
    const bindings = ts.isImportDeclaration(s) ? s.importClause?.namedBindings : s.exportClause;
    if (bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings)))
      if (bindings.elements.some((e) => e.name.text === name)) return declaring(resolveImport(file, from.text), name);
  }
  throw new Error(`${file} neither declares nor imports ${name}`);
}

/** The members a Host implementation has: a class's own (not abstract) and its bases', or the object a function returns. */
function membersOf(file: string, name: string): Set<string> {
  const { file: at, node } = declaring(file, name);
  const members = new Set<string>();
  if (ts.isClassDeclaration(node)) {
    for (const m of node.members) {
      const abstract = ts.getModifiers(m as ts.HasModifiers)?.some((x) => x.kind === ts.SyntaxKind.AbstractKeyword);
      if (m.name && ts.isIdentifier(m.name) && !abstract) members.add(m.name.text);
    }
    const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (base && ts.isIdentifier(base)) for (const m of membersOf(at, base.text)) members.add(m);
  } else if (ts.isFunctionDeclaration(node)) {
    const returned = node.body?.statements.find(ts.isReturnStatement)?.expression;
    assert.ok(returned && ts.isObjectLiteralExpression(returned), `${name} returns an object literal`);
    for (const p of returned.properties) if (p.name && ts.isIdentifier(p.name)) members.add(p.name.text);
  }
  return members;
}

const exported = (file: string, name: string): boolean =>
  new RegExp(`export (abstract )?(class|function|const) ${name}\\b`).test(read(file));

test("each row's Host is exported where the row says, with every method Host requires", () => {
  const required = requiredOfHost();
  assert.ok(required.includes('ask') && required.includes('onEvent'), 'Host read from its source');
  for (const [name, row] of rows) {
    if (!row.host) continue;
    assert.ok(filesOf(row).includes(row.host.file), `${name}: its Host's file is one of its files`);
    assert.ok(exported(row.host.file, row.host.name), `${name}: ${row.host.file} exports ${row.host.name}`);
    const members = membersOf(row.host.file, row.host.name);
    for (const method of required) assert.ok(members.has(method), `${name}: ${row.host.name} has no ${method}`);
  }
});

test("each row's calls are exactly the contract's entries its files call", () => {
  const names = new Set(Object.keys(contract));
  for (const [name, row] of rows) {
    const called = new Set<string>();
    for (const m of sourceOf(row).matchAll(/\bengine\s*\??\.\s*(\w+)/g)) if (names.has(m[1]!)) called.add(m[1]!);
    assert.deepEqual([...called].sort(), [...row.calls].sort(), `${name}: the entries its files call`);
  }
});

const KINDS = ['checkout', 'worktree', 'pooled', 'action-job'] as const satisfies readonly RunPlaceKind[];
/** Verbs that start or continue a run (they journal it from run.started). */
const STARTS = new Set(
  Object.entries(contract)
    .filter(([, e]) => e.kind === 'verb' && e.journals.includes('run.started'))
    .map(([n]) => n),
);

test("each row's run places are the ones its code makes or chooses, and a host that runs has a Host", () => {
  for (const [name, row] of rows) {
    const source = sourceOf(row);
    // A place its code describes itself (a RunPlace, a ChannelPlace): never one its row does not say.
    const made = KINDS.filter((kind) => new RegExp(`kind: '${kind}'`).test(source));
    for (const kind of made) assert.ok(row.places.includes(kind), `${name} makes a ${kind} place its row lacks`);
    // Else the engine's places, by the isolation the host passes: none named, the checkout (the default).
    const starts = row.calls.some((call) => STARTS.has(call));
    const chosen = new Set<RunPlaceKind>(made);
    if (made.length === 0 && starts) chosen.add('checkout');
    if (/isolation\b[^\n;]*'worktree'/.test(source)) chosen.add('worktree');
    if (/isolation\b[^\n;]*'in-place'/.test(source)) chosen.add('checkout');
    for (const kind of row.places) assert.ok(chosen.has(kind), `${name}: its code never runs in ${kind}`);
    assert.equal(starts, row.host !== undefined, `${name}: a host starts or continues runs exactly when it has a Host`);
    assert.equal(row.places.length > 0, starts, `${name}: places exactly when it runs`);
  }
});

/** What the code shows of each way of waiting (the row's files, or its Host's file). */
const SHOWS: Record<HostRow['waits'], (row: HostRow, source: string) => boolean> = {
  saves: (row) => row.host !== undefined && /action: 'save'/.test(read(row.host.file)),
  editor: (row) => row.host !== undefined && /showWarningMessage\([^)]*modal: true/.test(read(row.host.file)),
  // A Host answering `{ parked }`, and the answer given later through the one verb.
  parks: (_row, source) => /return \{ parked: /.test(source) && /engine\.answerQuestion\(/.test(source),
  answers: (row) => row.host === undefined && row.calls.some((call) => /^decide\w*As$/.test(call)),
  none: (row) => row.host === undefined && row.calls.length === 0,
};

test("each row's way of waiting is what its code does", () => {
  for (const [name, row] of rows) {
    if (row.wraps) {
      const inner = hosts[row.wraps];
      assert.equal(row.waits, inner.waits, `${name} waits as the host it wraps`);
      const wrapper = read(row.host!.file);
      assert.ok(/\binner\.ask\(/.test(wrapper), `${name} hands questions to its inner host`);
      assert.ok(SHOWS[inner.waits](inner, sourceOf(inner)), `${name}: ${row.wraps} waits ${inner.waits}`);
      continue;
    }
    assert.ok(SHOWS[row.waits](row, sourceOf(row)), `${name}: its code does not wait by ${row.waits}`);
  }
});

test("every Host outside the engine is a row's, or a variant of one (a class extending it)", () => {
  const named = new Set(rows.flatMap(([, row]) => (row.host ? [row.host.name] : [])));
  const everything: HostRow = { files: ['src/'], except: ['src/core/'], places: [], waits: 'none', calls: [] };
  for (const file of filesOf(everything)) {
    const source = read(file);
    for (const m of source.matchAll(/class (\w+)(?: extends (\w+))?(?: implements (\w+))?/g)) {
      const [, name, base, implemented] = m;
      if (base && named.has(base)) continue;
      if (implemented === 'Host' || base === 'HeadlessHost')
        assert.ok(named.has(name!), `${file}: ${name} implements Host and is no row's (src/core/engine/hosts.ts)`);
    }
    for (const m of source.matchAll(/function (\w+)\([^)]*\): Host \{/g))
      assert.ok(named.has(m[1]!), `${file}: ${m[1]} makes a Host and is no row's (src/core/engine/hosts.ts)`);
  }
});

/** The table as docs/architecture.md shows it, between its markers. */
function tableInDocs(): string {
  const code = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ') || '—';
  return [
    '<!-- hosts:begin (src/core/engine/hosts.ts, checked by test/unit/engine/hosts.test.ts) -->',
    '| host | its files | its `Host` | runs in | waits for an answer | calls `engine.<name>` |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(([name, row]) =>
      [
        name,
        code(row.files) + (row.except ? ` less ${code(row.except)}` : ''),
        row.host ? `\`${row.host.name}\` (\`${row.host.file}\`)` : '—',
        code(row.places),
        `${row.waits}${row.wraps ? ` (wraps ${row.wraps}'s)` : ''}`,
        code([...row.calls].sort()),
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |'),
    ),
    '<!-- hosts:end -->',
  ].join('\n');
}

test('docs/architecture.md shows the table as it is', () => {
  const expected = tableInDocs();
  const page = read('docs/architecture.md');
  const found = /<!-- hosts:begin[\s\S]*?<!-- hosts:end -->/.exec(page)?.[0];
  assert.equal(found, expected, `docs/architecture.md's hosts' table differs; it should read:\n\n${expected}\n`);
});
