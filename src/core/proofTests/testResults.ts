/**
 * What one run of tests says of each proof test (docs/proof.md "How each test is read"). Output a
 * report reader recognises (report.ts: TAP, Jest's, Vitest's and node's verbose reporters,
 * Jasmine's and uvu's failures) is read test by test: a test is the one whose full name (its
 * describe blocks and its own) is the name the proof agent gave, in its file where the runner
 * says which; a test whose file did not load gets the output that says why, and only that. Other
 * runners print a line per test with its name (pytest -rA/-v, go test -v, cargo test, dotnet
 * test, phpunit --testdox, rspec's documentation format), and a proof test's name holds its
 * criterion id, so its result is read from the lines that name it. A runner that only names
 * passing files (jest without --verbose) is read by the test's file; rspec's documentation
 * format, which names a passing example bare, by its summary line. Surefire, which prints no
 * passing test, is not read (init does not propose it). A command run once per file whose output
 * no reader knows (the project's own test script) is read by its exit code.
 */
import { basename } from 'node:path';
import { readFailureList } from './failureReports';
import { readJestVerbose, readNodeSpec, readVitestVerbose } from './proseReports';
import { normalName, pathNamed, type ReportedTest, sameFile, stripAnsi, type TestReport } from './report';
import { readTap } from './tapReport';

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
  const parts = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![A-Za-z0-9])${parts.join('[^A-Za-z0-9\\n]?')}(?![0-9]|[._-]?[0-9])`, 'i');
}

/** rspec's summary: its documentation format names a passing example with no mark, a failing one `(FAILED - n)`. */
const RSPEC_SUMMARY = /^\d+ examples?, \d+ failures?/m;

export interface TestReading {
  verdict: TestVerdict;
  /** The output that concerns this test: its own failure, or why its file did not load ('' when nothing in the output is its own). */
  output: string;
}

/** A reading before the exit code is weighed: a skipped test stays unreported whatever the command did. */
type Reading = TestReading & { skipped?: true };

export interface ReadOptions {
  /** Every file the command was given: a test whose file is the only one owns the whole output. */
  files?: readonly string[];
  /** The command ran this test's file alone, through a script we cannot read (`npm test -- <file>`): its exit code is the file's verdict. */
  perFile?: boolean;
}

/** Each test's verdict and its own output in one command's run (exit code null: not taken into account). */
export function readTests(
  output: string,
  exitCode: number | null,
  tests: readonly ProofTestRef[],
  options: ReadOptions = {},
): TestReading[] {
  const report = readReport(output);
  const files = options.files ?? [...new Set(tests.map((t) => t.file))];
  return tests.map((test): TestReading => {
    const reading = report ? fromReport(report, test, files) : fromLines(output, test);
    if (reading.verdict !== 'unreported' || reading.skipped)
      return { verdict: reading.verdict, output: reading.output };
    if (exitCode === 0) return { verdict: 'passed', output: reading.output };
    const own = reading.output || ownOutput(output, test.file, files);
    // A script we cannot read, run on this file alone: its exit code says whether the file's tests failed, its output whether the file loaded.
    if (options.perFile && !report && exitCode !== null)
      return { verdict: LOAD_FAILURE.test(output) ? 'unreported' : 'failed', output: own };
    return { verdict: 'unreported', output: own };
  });
}

/** What Node and the runners print when a test file cannot load or compile. */
const LOAD_FAILURE =
  /SyntaxError|Cannot find module|ERR_MODULE_NOT_FOUND|ERR_REQUIRE_ESM|does not provide an export named|Failed to resolve import|Test suite failed to run|error TS\d+/;

/** The tests a runner's output names failing (their full names), and the files that did not load; none when no reader knows the output. */
export function failingTests(output: string): string[] {
  const report = readReport(output);
  if (!report) return [];
  return [
    ...report.tests.filter((t) => t.status === 'failed').map((t) => t.path.join(' > ')),
    ...report.files.map((f) => `${f.file} (did not load)`),
  ];
}

export function testVerdicts(output: string, tests: readonly ProofTestRef[]): TestVerdict[] {
  return readTests(output, null, tests).map((r) => r.verdict);
}

const READERS = [readTap, readJestVerbose, readVitestVerbose, readNodeSpec, readFailureList];

/** The report of the first format that recognises the output, else undefined. */
function readReport(output: string): TestReport | undefined {
  const text = stripAnsi(output);
  for (const read of READERS) {
    const report = read(text);
    if (report) return report;
  }
  return undefined;
}

/**
 * A test in a report: the tests of its file (where the runner says) whose full name is the name
 * the proof agent gave (the whole path first: `checkout > REQ-1.1 …` is not `cart > REQ-1.1 …`);
 * for a test given without a name, or with a table's placeholder, those whose name holds its
 * criterion id. One of them failing fails it; only skipped ones leave it unreported.
 */
function fromReport(report: TestReport, test: ProofTestRef, files: readonly string[]): Reading {
  const candidates = report.tests.filter((t) => {
    const file = t.file ?? titleFile(t, files);
    return file === undefined || sameFile(file, test.file);
  });
  const id = idPattern(test.criterion);
  const named = test.name ? candidates.filter((t) => pathNamed(t.path, test.name!)) : [];
  const whole = named.filter((t) => normalName(t.path.join(' ')) === normalName(test.name!));
  // By its id when it has no name, or a name the runner fills in (`REQ-1.3 rounds %i`, `${n}`): every test of its criterion.
  const byId = !test.name || TEMPLATED.test(test.name);
  const matched =
    whole.length > 0
      ? whole
      : named.length > 0
        ? named
        : byId
          ? candidates.filter((t) => id.test(t.path.join(' ')))
          : [];
  const failed = matched.filter((t) => t.status === 'failed');
  if (failed.length > 0) return { verdict: 'failed', output: joined(failed) };
  if (matched.some((t) => t.status === 'passed'))
    return { verdict: 'passed', output: joined(matched.filter((t) => t.status === 'passed')) };
  // Skipped (it.skip, xit, a TODO): it never ran.
  if (matched.length > 0)
    return { verdict: 'unreported', output: `skipped by the runner\n${joined(matched)}`, skipped: true };
  const dead = report.files.find((f) => sameFile(f.file, test.file));
  if (dead) return { verdict: 'unreported', output: dead.output };
  if (report.failuresOnly?.complete)
    return {
      verdict: 'passed',
      output: 'the runner names only failing tests, and did not name this one in a run that reached its summary',
    };
  return { verdict: 'unreported', output: '' };
}

/** AVA prefixes each title with its file when it runs several (`acceptance › cart › REQ-1.1 …` for test/acceptance/cart.test.js): the command's file it names. */
function titleFile(test: ReportedTest, files: readonly string[]): string | undefined {
  const parts = test.path.length === 1 ? test.path[0]!.split(' › ') : [];
  for (let k = parts.length - 1; k >= 1; k--) {
    const prefix = parts.slice(0, k).join('/');
    const owner = files.find((file) => {
      const stem = file.replace(/\.[cm]?[jt]sx?$/, '').replace(/[.-](?:test|spec)$/, '');
      return stem === prefix || stem.endsWith(`/${prefix}`);
    });
    if (owner) return owner;
  }
  return undefined;
}

/** A test table's title, filled in per row by the runner (Jest's and Vitest's `%i`, `$name`; a template literal). */
const TEMPLATED = /%[sdifjop#]|\$\{?\w/;

function joined(tests: readonly ReportedTest[]): string {
  return tests.map((t) => t.output).join('\n\n');
}

/** The line reading, for the runners no report reader knows. */
function fromLines(output: string, test: ProofTestRef): Reading {
  const lines = output.split(/\r?\n/);
  const naming = lines.filter(namer(test));
  let verdict = verdictOfLines(naming);
  if (verdict === 'unreported' && RSPEC_SUMMARY.test(output) && naming.length > 0) verdict = 'passed';
  // A runner that names only files (jest without --verbose): a passing file passed its tests. A
  // failing file names its failing tests (jest's "●"), else it failed to load: unreported.
  const file = basename(test.file);
  if (verdict === 'unreported' && lines.some((line) => line.includes(file) && PASS.test(line) && !FAIL.test(line)))
    verdict = 'passed';
  return { verdict, output: verdict === 'unreported' ? '' : outputOf(output, test) };
}

/**
 * The output that is a file's own when its runner did not say so test by test: all of it when the
 * command ran that file alone; else the lines around those that name the file (its path or its
 * name), up to a line naming another of the command's files. '' when none names it.
 */
function ownOutput(output: string, file: string, files: readonly string[]): string {
  if (files.length <= 1) return output;
  const lines = stripAnsi(output).split('\n');
  const others = files.filter((f) => f !== file && basename(f) !== basename(file)).map((f) => basename(f));
  const keep = new Set<number>();
  lines.forEach((line, at) => {
    if (!line.includes(basename(file))) return;
    for (let i = Math.max(0, at - 2); i < lines.length && i <= at + 20; i++) {
      if (i > at && others.some((o) => lines[i]!.includes(o))) break;
      keep.add(i);
    }
  });
  return [...keep]
    .sort((a, b) => a - b)
    .map((i) => lines[i])
    .join('\n');
}

/** Whether a line names the test: its criterion id as runners spell it, or its whole name (the pattern built once per test). */
function namer(test: ProofTestRef): (line: string) => boolean {
  const id = idPattern(test.criterion);
  const name = test.name !== undefined && test.name.length >= 8 ? test.name : undefined;
  return (line) => id.test(line) || (name !== undefined && line.includes(name));
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
  for (const hit of hits)
    for (let i = Math.max(0, hit - 2); i <= Math.min(lines.length - 1, hit + around); i++) keep.add(i);
  return [...keep]
    .sort((a, b) => a - b)
    .map((i) => lines[i])
    .join('\n');
}
