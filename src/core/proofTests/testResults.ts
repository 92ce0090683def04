/**
 * What one run of tests says of each proof test (docs/proof.md). Every runner prints a line per test with its
 * name (node --test's spec and TAP, pytest -rA/-v, jest --verbose, vitest's verbose reporter,
 * go test -v, cargo test, dotnet test, phpunit --testdox, rspec's documentation
 * format), and a proof test's name holds its criterion id, so each test's result is read from
 * the lines that name it: whatever the runner, no report file to configure. A runner that only
 * names passing files (jest without --verbose) is read by the test's file; rspec's documentation
 * format, which names a passing example bare, by its summary line. Surefire, which prints no
 * passing test, is not read (init does not propose it).
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

/** rspec's summary: its documentation format names a passing example with no mark, a failing one `(FAILED - n)`. */
const RSPEC_SUMMARY = /^\d+ examples?, \d+ failures?/m;

export function testVerdicts(output: string, tests: readonly ProofTestRef[]): TestVerdict[] {
  const lines = output.split(/\r?\n/);
  const bareIsPassed = RSPEC_SUMMARY.test(output);
  return tests.map((test) => {
    const named = namer(test);
    const naming = lines.filter(named);
    const byName = verdictOfLines(naming);
    if (byName === 'unreported' && bareIsPassed && naming.length > 0) return 'passed';
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
  for (const hit of hits) for (let i = Math.max(0, hit - 2); i <= Math.min(lines.length - 1, hit + around); i++) keep.add(i);
  return [...keep].sort((a, b) => a - b).map((i) => lines[i]).join('\n');
}
