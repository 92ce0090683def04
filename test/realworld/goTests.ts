// What a real fix's Go test file holds, for `npm run realworld`: its top-level `func TestX(t
// *testing.T)` functions, which of them the fix added or changed (a table test's new rows change
// its function), and the file as a proof test holds it: those functions alone, renamed
// `Test_REQ_1_1_X` (Go names allow no `-` or `.`; the criterion is read from `REQ_1_1`), with
// the test file's helpers they call and the imports they use. A proof test in the package's own
// folder (init's `**/acceptance_*_test.go`) keeps the file's package clause (`package jwt`, or
// `jwt_test` for a black-box test) and reaches what the original reaches, unexported names too; a
// proof folder outside the package's own (an `acceptance/**` of older configurations) is a package
// of its own: the package's exported names are called through its import, as a person moving the
// test there would write them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

interface GoFunc {
  name: string;
  text: string;
}

/** Top-level functions of a gofmt'd file: `func …` at column 0 up to the `}` at column 0. */
function funcsOf(text: string): GoFunc[] {
  return [...text.matchAll(/^func (?:\([^)]*\) )?(\w+)[^\n]*\{\n[\s\S]*?^\}$/gm)].map((m) => ({
    name: m[1]!,
    text: m[0],
  }));
}

const isTest = (f: GoFunc) => /^Test[A-Z_]/.test(f.name) && /\(\w+ \*testing\.T\)/.test(f.text.split('\n')[0]!);

export function addedGoTests(before: string | undefined, after: string): string[] {
  const old = new Map((before === undefined ? [] : funcsOf(before)).map((f) => [f.name, f.text]));
  return funcsOf(after)
    .filter((f) => isTest(f) && old.get(f.name) !== f.text)
    .map((f) => f.name);
}

/** The top-level functions (methods aside) a source file's change adds: a spec for the fix names them. */
export function addedGoFuncs(before: string | undefined, after: string): string[] {
  const old = new Set((before === undefined ? [] : funcsOf(before)).map((f) => f.name));
  return funcsOf(after)
    .filter((f) => f.text.startsWith(`func ${f.name}(`) && !old.has(f.name))
    .map((f) => f.name);
}

export const goProofName = (name: string, criterion: string) =>
  `Test_${criterion.replace(/[^A-Za-z0-9]+/g, '_')}_${name.replace(/^Test_?/, '')}`;

/** Code outside string literals and comments, one piece at a time (identifiers are replaced only there). */
function mapCode(text: string, f: (code: string) => string): string {
  const literal = /"(?:\\.|[^"\\\n])*"|`[^`]*`|'(?:\\.|[^'\\\n])*'|\/\/[^\n]*|\/\*[\s\S]*?\*\//g;
  let out = '';
  let at = 0;
  for (const m of text.matchAll(literal)) {
    out += f(text.slice(at, m.index)) + m[0];
    at = m.index + m[0].length;
  }
  return out + f(text.slice(at));
}

/** The exported top-level names of the package in `dir` (its non-test files). */
function exportedNames(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/^(?:func|type|var|const) ([A-Z]\w*)/gm)) names.add(m[1]!);
    // Names inside `const (` / `var (` / `type (` blocks.
    for (const block of text.matchAll(/^(?:const|var|type) \(\n([\s\S]*?)^\)/gm))
      for (const m of block[1]!.matchAll(/^\t([A-Z]\w*)/gm)) names.add(m[1]!);
  }
  return names;
}

/**
 * The proof file at `to` (workspace-relative) for the tests `keep` of the test file `from`:
 * its package clause, the imports used, the kept tests renamed, the file's helpers they call.
 */
export function goProofFile(
  ws: string,
  from: string,
  to: string,
  before: string | undefined,
  after: string,
  keep: readonly string[],
  criterion: string,
): string {
  const funcs = funcsOf(after);
  const old = new Set((before === undefined ? [] : funcsOf(before)).map((f) => f.text));
  const samePackage = posix.dirname(from) === posix.dirname(to);
  const kept = funcs.filter((f) => keep.includes(f.name));
  // Helpers the kept tests call: all of them from another package, only new ones in the same.
  const helpers: GoFunc[] = [];
  const wanted = (text: string) =>
    funcs.filter(
      (f) =>
        !isTest(f) &&
        !helpers.includes(f) &&
        new RegExp(`\\b${f.name}\\(`).test(text) &&
        (!samePackage || !old.has(f.text)),
    );
  for (let more = wanted(kept.map((f) => f.text).join('\n')); more.length > 0;) {
    helpers.push(...more);
    more = wanted(more.map((f) => f.text).join('\n'));
  }
  const ownPackage = /^package (\w+)/m.exec(after)![1]!.replace(/_test$/, '');
  let body = [
    ...kept.map((f) => f.text.replace(`func ${f.name}(`, `func ${goProofName(f.name, criterion)}(`)),
    ...helpers.map((f) => f.text),
  ].join('\n\n');
  // `import "x"`, `import y "x"`, and each line of `import ( … )`.
  const specs = [
    ...[...after.matchAll(/^import \(\n([\s\S]*?)^\)/gm)].flatMap((m) => m[1]!.split('\n')),
    ...[...after.matchAll(/^import ((?:\w+ )?"[^"]+")$/gm)].map((m) => m[1]!),
  ];
  const imports = specs.flatMap((line) => {
    const m = /^\s*(?:(\w+) )?("[^"]+")\s*$/.exec(line);
    return m ? [{ alias: m[1], path: m[2]!, name: m[1] ?? posix.basename(m[2]!.slice(1, -1)) }] : [];
  });
  let packageClause = `package ${/^package (\w+)/m.exec(after)![1]!}`;
  if (!samePackage) {
    const module = /^module (\S+)/m.exec(readFileSync(join(ws, 'go.mod'), 'utf8'))![1]!;
    const dir = posix.dirname(from);
    const exported = exportedNames(join(ws, dir));
    body = mapCode(body, (code) =>
      code.replace(/(?<![.\w])([A-Z]\w*)\b/g, (name: string) => (exported.has(name) ? `${ownPackage}.${name}` : name)),
    );
    imports.push({ alias: undefined, path: `"${dir === '.' ? module : `${module}/${dir}`}"`, name: ownPackage });
    packageClause = `package ${posix.basename(posix.dirname(to)).replace(/\W/g, '_')}`;
  }
  const used = imports.filter((i) => new RegExp(`\\b${i.name}\\.`).test(body));
  const importBlock = used.map((i) => `\t${i.alias ? `${i.alias} ` : ''}${i.path}`).join('\n');
  return `${packageClause}\n\nimport (\n${importBlock}\n)\n\n${body}\n`;
}
