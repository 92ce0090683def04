/**
 * RED's question about a test its runner never reported (its file did not load): is that for want
 * of what the spec adds? The reading of each test's result is the proofTests room's.
 */
import { access, readFile } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import ignore from 'ignore';

const MISSING =
  /Cannot find module|ERR_MODULE_NOT_FOUND|No module named|ModuleNotFoundError|ImportError|cannot find|could not resolve|Failed to resolve import|unresolved import|does not exist|is not defined|undefined: |cannot import name|has no attribute|not a function|Could not find|NameError|NoMethodError|uninitialized constant|ClassNotFoundException|does not provide an export named/i;

/**
 * The names an error says are missing, as each language's runner words it: pytest's collection
 * error `cannot import name 'x' from 'm'`, `module 'm' has no attribute 'x'`, `name 'x' is not
 * defined`; Node's `x is not a function`, `does not provide an export named 'x'`; Go's
 * `undefined: x`; Rust's ``cannot find function `x` ``; Ruby's `uninitialized constant X`,
 * ``undefined method `x'``. A dotted name gives its last part.
 */
const MISSING_NAMES = [
  /cannot import name '([\w.]+)'/g,
  /has no attribute '(\w+)'/g,
  /name '(\w+)' is not defined/g,
  /([\w$.]+) is not a function/g,
  /ReferenceError: ([\w$]+) is not defined/g,
  /does not provide an export named '([\w$]+)'/g,
  /undefined: ([\w.]+)/g,
  /cannot find (?:function|value|struct|type|trait|macro) `(\w+)`/g,
  /Property '([\w$]+)' does not exist on type/g,
  /has no exported member '([\w$]+)'/g,
  /uninitialized constant ([\w:]+)/g,
  /undefined method `(\w+)'/g,
];

export function missingNames(output: string): string[] {
  const names = new Set<string>();
  for (const pattern of MISSING_NAMES)
    for (const m of output.matchAll(pattern)) names.add(m[1]!.split(/\.|::/).at(-1)!);
  return [...names].filter((name) => name.length >= 3);
}

/** The spec names `name` as code: in a code span (`discounted`), or called (`discounted(price, percent)`). */
function namedAsCode(spec: string, name: string): boolean {
  const word = name.replace(/[$]/g, '\\$&');
  const bounded = `(?<![\\w$])${word}(?![\\w$])`;
  return (
    new RegExp(`${bounded}\\s*\\(`).test(spec) ||
    [...spec.matchAll(/`([^`\n]+)`/g)].some((m) => new RegExp(bounded).test(m[1]!))
  );
}

/** What a spec adds, as RED reads a test that did not load. */
export interface SpecAdds {
  /** The paths the spec names that the base lacks. */
  files: readonly string[];
  /** The spec's text: the names it gives as code. */
  spec: string;
  /** The types declared in the source files the spec names that the base has: those it changes. */
  types?: ReadonlySet<string>;
}

/** TypeScript's `Property 'set' does not exist on type 'ConfigService<unknown, boolean>'`: the type. */
const TS_MEMBER_OF = /Property '[\w$]+' does not exist on type '([\w$]+)/g;
const DECLARED = /\b(?:class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g;
const TS_SOURCE = /\.(?:[cm]?tsx?)$/;

/** What the spec adds, read at `root` (the base): the named paths absent there, the types the named present sources declare. */
export async function specAdds(root: string, spec: string, named: readonly string[]): Promise<SpecAdds> {
  const files: string[] = [];
  const types = new Set<string>();
  for (const path of new Set(named)) {
    const text = await readFile(join(root, path), 'utf8').catch(() => undefined);
    if (text === undefined) files.push(path);
    else if (TS_SOURCE.test(path)) for (const m of text.matchAll(DECLARED)) types.add(m[1]!);
  }
  return { files, spec, types };
}

/**
 * An unreported test on the base is red when its file failed for want of what the spec adds (a
 * module or a file it adds, a name it names as code that the base lacks: pytest's collection
 * error on `from app.pricing import discounted`, or a member of a type declared in a file the spec
 * changes: ts-jest's TS2339 on `service.set(…)` where the spec changes `config.service.ts`), else
 * broken: its own syntax, an import the spec does not add.
 */
export function missingWhatSpecAdds(output: string, adds: SpecAdds): boolean {
  if (!MISSING.test(output)) return false;
  const addedFile = adds.files.some((path) => {
    const stem = basename(path).replace(/\.[^.]+$/, '');
    return stem.length >= 3 && output.includes(stem);
  });
  const memberOfChanged = [...output.matchAll(TS_MEMBER_OF)].some((m) => adds.types?.has(m[1]!));
  return addedFile || memberOfChanged || missingNames(output).some((name) => namedAsCode(adds.spec, name));
}

const MISSING_RELATIVE =
  /(?:Cannot find module|Failed to resolve import|ERR_MODULE_NOT_FOUND[^'"]*)\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/**
 * A test that could not load what the project's build makes (`Cannot find module '../../index'`, where the
 * root's `.gitignore` ignores `/index.js`, absent from the base snapshot): broken, whatever the spec adds,
 * as its run never reached the code it proves.
 */
export async function missingBuildOutput(workspace: string, testFile: string, output: string): Promise<boolean> {
  const modules = [...output.matchAll(MISSING_RELATIVE)].map((m) =>
    posix.normalize(posix.join(posix.dirname(testFile), m[1]!)),
  );
  if (modules.length === 0) return false;
  const rules = ignore().add(await readFile(join(workspace, '.gitignore'), 'utf8').catch(() => ''));
  const exists = (path: string) =>
    access(join(workspace, path)).then(
      () => true,
      () => false,
    );
  for (const path of modules) {
    if (path.startsWith('..') || path === '.') continue;
    // As Node resolves a module named without its extension.
    const candidates = ['', '.js', '.cjs', '.mjs', '.json'].map((ext) => `${path}${ext}`);
    if (!candidates.some((p) => rules.ignores(p)) && !rules.ignores(`${path}/`)) continue;
    if (!(await Promise.all(candidates.map(exists))).some(Boolean)) return true;
  }
  return false;
}
