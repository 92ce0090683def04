/**
 * What one run of proof tests says of each test. Every runner prints a line per test with its
 * name (node --test's spec and TAP, pytest -rA/-v, jest --verbose, vitest's verbose reporter,
 * go test -v, cargo test, dotnet test, surefire, phpunit --testdox, rspec's documentation
 * format), and a proof test's name holds its criterion id, so each test's result is read from
 * the lines that name it: whatever the runner, no report file to configure. A runner that only
 * names passing files (jest without --verbose) is read by the test's file.
 */
import { basename } from 'node:path';

export interface ProofTestRef {
  criterion: string;
  file: string;
  name?: string;
}

/** `unreported`: no line named it (its file did not load, the runner crashed, it was never collected). */
export type TestVerdict = 'passed' | 'failed' | 'unreported';

const FAIL = /●|\bnot ok\b|\bFAIL(?:ED|URE|S)?\b|\bfailed\b|\bERROR\b|✖|✕|×|✘|\(FAILED\b|<<< FAIL|\[FAIL\]|\bFailed\b/;
const PASS = /^\s*ok\b|\bPASS(?:ED)?\b|\bpassed\b|✔|✓|√|\.\.\.\s*ok\b|\[PASS\]|\bPassed\b/;

/** A criterion id as runners spell it: `REQ-2.1`, `req_2_1` (a Python or Go name), `Req2_1`. */
export function idPattern(id: string): RegExp {
  const parts = id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![A-Za-z0-9])${parts.join('[^A-Za-z0-9\\n]?')}(?![0-9]|[._-]?[0-9])`, 'i');
}

export function testVerdicts(output: string, tests: readonly ProofTestRef[]): TestVerdict[] {
  const lines = output.split(/\r?\n/);
  return tests.map((test) => {
    const byName = verdictOfLines(lines.filter((line) => mentions(line, test)));
    if (byName !== 'unreported') return byName;
    // A runner that names only files (jest without --verbose): a passing file passed its tests. A
    // failing file names its failing tests (jest's "●"), else it failed to load: unreported.
    const file = basename(test.file);
    return lines.some((line) => line.includes(file) && PASS.test(line) && !FAIL.test(line)) ? 'passed' : 'unreported';
  });
}

/** The verdicts of one command's run: a command that exited 0 passed every test it ran, whatever its reporter printed of them. */
export function runVerdicts(output: string, exitCode: number | null, tests: readonly ProofTestRef[]): TestVerdict[] {
  return testVerdicts(output, tests).map((verdict) => (exitCode === 0 && verdict === 'unreported' ? 'passed' : verdict));
}

function mentions(line: string, test: ProofTestRef): boolean {
  return idPattern(test.criterion).test(line) || (test.name !== undefined && test.name.length >= 8 && line.includes(test.name));
}

function verdictOfLines(lines: readonly string[]): TestVerdict {
  if (lines.some((line) => FAIL.test(line))) return 'failed';
  if (lines.some((line) => PASS.test(line))) return 'passed';
  return 'unreported';
}

/** The output around the lines that name `test` (what the proof agent, the review and a retry read). */
export function outputOf(output: string, test: ProofTestRef, around = 12): string {
  const lines = output.split(/\r?\n/);
  const pattern = idPattern(test.criterion);
  const hits = lines.flatMap((line, i) => (pattern.test(line) ? [i] : []));
  if (hits.length === 0) return output;
  const keep = new Set<number>();
  for (const hit of hits) for (let i = Math.max(0, hit - 2); i <= Math.min(lines.length - 1, hit + around); i++) keep.add(i);
  return [...keep].sort((a, b) => a - b).map((i) => lines[i]).join('\n');
}

const MISSING = /Cannot find module|ERR_MODULE_NOT_FOUND|No module named|ModuleNotFoundError|ImportError|cannot find|could not resolve|Failed to resolve import|unresolved import|does not exist|is not defined|undefined: |cannot import name|has no attribute|not a function|Could not find|NameError|NoMethodError|uninitialized constant|ClassNotFoundException|does not provide an export named/i;

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
  for (const pattern of MISSING_NAMES) for (const m of output.matchAll(pattern)) names.add(m[1]!.split(/\.|::/).at(-1)!);
  return [...names].filter((name) => name.length >= 3);
}

/** The spec names `name` as code: in a code span (`discounted`), or called (`discounted(price, percent)`). */
function namedAsCode(spec: string, name: string): boolean {
  const word = name.replace(/[$]/g, '\\$&');
  const bounded = `(?<![\\w$])${word}(?![\\w$])`;
  return new RegExp(`${bounded}\\s*\\(`).test(spec) || [...spec.matchAll(/`([^`\n]+)`/g)].some((m) => new RegExp(bounded).test(m[1]!));
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
