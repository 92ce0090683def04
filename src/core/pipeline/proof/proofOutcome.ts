/**
 * RED's question about a test its runner never reported (its file did not load): is that for want
 * of what the spec adds? The reading of each test's result is the proofTests room's.
 */
import { basename } from 'node:path';

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

/**
 * An unreported test on the base is red when its file failed for want of what the spec adds (a
 * module or a file it adds, or a name it names as code that the base lacks: pytest's collection
 * error on `from app.pricing import discounted`), else broken: its own syntax, an import the spec
 * does not add.
 */
export function missingWhatSpecAdds(output: string, added: readonly string[], spec = ''): boolean {
  if (!MISSING.test(output)) return false;
  const addedFile = added.some((path) => {
    const stem = basename(path).replace(/\.[^.]+$/, '');
    return stem.length >= 3 && output.includes(stem);
  });
  return addedFile || missingNames(output).some((name) => namedAsCode(spec, name));
}
