// The fix's tests, per language, for `npm run realworld`: which files are tests and which are
// source, the tests a fix added or changed (named as fixes.json lists them), and the proof file
// holding only those, named by the criterion. JavaScript and TypeScript through testTree.ts,
// Python through pyTests.py (its own ast module), Go through goTests.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { addedGoFuncs, addedGoTests, goProofFile, goProofName } from './goTests';
import { addedTests, movedTest, onlyTests, testsOf } from './testTree';

export interface AddedTest {
  /** As fixes.json lists it: `describe > it`, `Class::method`, `TestX`. */
  name: string;
  /** As the proof agent submits it: the name carrying the criterion. */
  submitted: string;
}

export interface Kit {
  isTest(path: string): boolean;
  isSource(path: string): boolean;
  added(path: string, before: string | undefined, after: string): AddedTest[];
  /** The proof file at `to` holding only the tests `keep` of the fix's file `from`. */
  proofFile(ws: string, from: string, to: string, before: string | undefined, after: string): string;
  /** The names a proof file of `file` may take, in order. */
  names(file: string): string[];
  /** The functions a source file's change adds, which a spec for the fix names (Go's: a test of the package calls them). */
  addedNames?(before: string | undefined, after: string): string[];
}

const JS_TEST = /(^|\/)(tests?|__tests__|specs?)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)test\.[cm]?[jt]s$/;
const JS_CODE = /\.([cm]?[jt]sx?|json)$/;

function jsKit(criterion: string): Kit {
  return {
    isTest: (path) => JS_TEST.test(path) && /\.[cm]?[jt]sx?$/.test(path),
    isSource: (path) =>
      !JS_TEST.test(path) && JS_CODE.test(path) && !/(^|\/)(package(-lock)?\.json|tsconfig[^/]*\.json)$/.test(path),
    added: (path, before, after) =>
      addedTests(path, before, after).map((t) => ({
        name: t.path.join(' > '),
        submitted: [...t.path.slice(0, -1), `${criterion} ${t.path.at(-1)}`].join(' > '),
      })),
    proofFile: (_ws, from, to, before, after) => {
      const only = onlyTests(from, after, addedTests(from, before, after));
      return movedTest(from, to, only, testsOf(from, only), criterion);
    },
    names: (file) => {
      const stem = file.replace(/(\.(test|spec))?\.[cm]?[jt]sx?$/, '');
      const ext = /\.[cm]?[jt]sx?$/.exec(file)![0];
      return [file, `${stem}.test${ext}`, `${stem}.spec${ext}`, `${stem}_test${ext}`];
    },
  };
}

const PY_TEST = /(^|\/)(tests?\/.*|test_[^/]*|[^/]*_test)\.py$/;

function pyKit(criterion: string): Kit {
  const read = (given: Record<string, unknown>) => {
    const r = spawnSync('python3', [join(__dirname, 'pyTests.py')], {
      input: JSON.stringify({ criterion, ...given }),
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`pyTests.py: ${r.stderr.trim().split('\n').at(-1)}`);
    return JSON.parse(r.stdout) as { tests: AddedTest[]; text?: string };
  };
  return {
    isTest: (path) => PY_TEST.test(path),
    isSource: (path) =>
      path.endsWith('.py') && !PY_TEST.test(path) && !/(^|\/)(setup|conftest|noxfile)\.py$/.test(path),
    added: (_path, before, after) => read({ before: before ?? null, after }).tests,
    proofFile: (ws, from, _to, before, after) => {
      // The original file's package (its folders holding __init__.py), for its relative imports.
      const dirs = posix.dirname(from).split('/');
      const inPackage = dirs.filter((_d, i) => existsSync(join(ws, ...dirs.slice(0, i + 1), '__init__.py')));
      const pkg = inPackage.length === dirs.length ? dirs.join('.') : null;
      return read({ before: before ?? null, after, only: true, package: pkg }).text!;
    },
    names: (file) => (file.startsWith('test_') || file.endsWith('_test.py') ? [file] : [`test_${file}`]),
  };
}

function goKit(criterion: string): Kit {
  return {
    isTest: (path) => path.endsWith('_test.go'),
    isSource: (path) => path.endsWith('.go') && !path.endsWith('_test.go'),
    added: (_path, before, after) =>
      addedGoTests(before, after).map((name) => ({ name, submitted: goProofName(name, criterion) })),
    proofFile: (ws, from, to, before, after) =>
      goProofFile(ws, from, to, before, after, addedGoTests(before, after), criterion),
    names: (file) => [file],
    addedNames: addedGoFuncs,
  };
}

/** The kit of a repository's language: Go with a go.mod, Python with its manifests, else JavaScript. */
export function kitOf(ws: string, criterion: string): Kit {
  if (existsSync(join(ws, 'go.mod'))) return goKit(criterion);
  if (
    !existsSync(join(ws, 'package.json')) &&
    ['pyproject.toml', 'setup.py', 'setup.cfg', 'tox.ini'].some((f) => existsSync(join(ws, f)))
  )
    return pyKit(criterion);
  return jsKit(criterion);
}
