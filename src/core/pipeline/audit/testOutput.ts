/**
 * Reads passed / failed / skipped and total coverage from the summary lines of the common
 * test runners: node:test (spec and TAP reporters, --experimental-test-coverage), jest and
 * vitest (with the istanbul/v8 text coverage table), pytest (with pytest-cov), dotnet test
 * (with coverlet) and go test (-v or not, -cover). Output none of them recognise gives no
 * figures: the command's exit code is still the verdict.
 */
import type { TestRun } from '../../auditTypes';

export type TestFigures = Pick<TestRun, 'runner' | 'passed' | 'failed' | 'skipped' | 'coverage'>;

type Parser = (text: string) => TestFigures | undefined;

const int = (value: string | undefined): number => (value === undefined ? 0 : Number.parseInt(value, 10));
const num = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : Number.parseFloat(value);
const lastMatch = (text: string, re: RegExp): RegExpMatchArray | undefined => [...text.matchAll(re)].at(-1);

/** `All files |  95.12 |  80 |  100 |  95.12 |`: statements, branches, functions, lines → lines. */
function istanbulTotal(text: string): number | undefined {
  const row = lastMatch(text, /^\s*All files\s*\|([^\n]*)$/gm)?.[1];
  const cells = row
    ?.split('|')
    .map((c) => c.trim())
    .filter((c) => c !== '' && !Number.isNaN(Number(c)));
  return cells && cells.length > 0 ? num(cells[3] ?? cells[0]) : undefined;
}

const nodeTest: Parser = (text) => {
  // spec reporter: "ℹ pass 11"; TAP: "# pass 11". Both print "tests" and "fail" too.
  const field = (name: string) => lastMatch(text, new RegExp(`^\\s*(?:ℹ|#)\\s+${name}\\s+(\\d+)\\s*$`, 'gm'))?.[1];
  if (field('tests') === undefined || field('pass') === undefined) return undefined;
  const coverage = lastMatch(text, /^\s*(?:ℹ|#)\s+all files\s*\|\s*([\d.]+)/gm)?.[1];
  return {
    runner: 'node:test',
    passed: int(field('pass')),
    failed: int(field('fail')) + int(field('cancelled')),
    skipped: int(field('skipped')) + int(field('todo')),
    ...(coverage ? { coverage: num(coverage) } : {}),
  };
};

const jest: Parser = (text) => {
  const line = lastMatch(text, /^Tests:\s+(.*\d+ total.*)$/gm)?.[1];
  if (!line) return undefined;
  const count = (word: string) => int(new RegExp(`(\\d+) ${word}`).exec(line)?.[1]);
  const coverage = istanbulTotal(text);
  return {
    runner: 'jest',
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped') + count('todo'),
    ...(coverage !== undefined ? { coverage } : {}),
  };
};

const vitest: Parser = (text) => {
  // " Tests  2 failed | 43 passed | 1 skipped (46)"
  const line = lastMatch(text, /^\s*Tests\s+((?:\d+ \w+(?: \| )?)+)\s*\(\d+\)\s*$/gm)?.[1];
  if (!line) return undefined;
  const count = (word: string) => int(new RegExp(`(\\d+) ${word}`).exec(line)?.[1]);
  const coverage = istanbulTotal(text);
  return {
    runner: 'vitest',
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped') + count('todo'),
    ...(coverage !== undefined ? { coverage } : {}),
  };
};

const pytest: Parser = (text) => {
  // "==== 45 passed, 2 failed, 1 skipped in 12.3s ====" (also "2 failed, 43 passed, 1 error in …")
  const line = lastMatch(
    text,
    /^=+ (.*\b(?:passed|failed|error|errors|skipped|no tests ran)\b.* in [\d.]+m?s.*) =+\s*$/gm,
  )?.[1];
  if (!line) return undefined;
  const count = (word: string) => int(new RegExp(`(\\d+) ${word}`).exec(line)?.[1]);
  // pytest-cov: "TOTAL    330     15    95%" (branch coverage adds columns; the percentage is last).
  const coverage = lastMatch(text, /^TOTAL\s+(?:\d+\s+)+([\d.]+)%\s*$/gm)?.[1];
  return {
    runner: 'pytest',
    passed: count('passed'),
    failed: count('failed') + count('errors?'),
    skipped: count('skipped') + count('xfailed'),
    ...(coverage ? { coverage: num(coverage) } : {}),
  };
};

const dotnet: Parser = (text) => {
  // "Passed!  - Failed:     0, Passed:    45, Skipped:     0, Total:    45, Duration: …", one per test project.
  const projects = [
    ...text.matchAll(
      /(?:Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+),\s+Total:\s+\d+/g,
    ),
  ];
  let figures: TestFigures | undefined;
  if (projects.length > 0) {
    figures = projects.reduce<TestFigures>(
      (sum, m) => ({
        runner: 'dotnet',
        passed: (sum.passed ?? 0) + int(m[2]),
        failed: (sum.failed ?? 0) + int(m[1]),
        skipped: (sum.skipped ?? 0) + int(m[3]),
      }),
      { runner: 'dotnet' },
    );
  } else if (/^Total tests:\s+\d+/m.test(text)) {
    const field = (name: string) => int(lastMatch(text, new RegExp(`^\\s*${name}:\\s+(\\d+)`, 'gm'))?.[1]);
    figures = { runner: 'dotnet', passed: field('Passed'), failed: field('Failed'), skipped: field('Skipped') };
  }
  if (!figures) return undefined;
  // coverlet: "| Total   | 95.5% | 80% | 90% |" (line, branch, method).
  const coverage = lastMatch(text, /^\|\s*Total\s*\|\s*([\d.]+)%/gm)?.[1];
  return { ...figures, ...(coverage ? { coverage: num(coverage) } : {}) };
};

const goTest: Parser = (text) => {
  const verdicts = [...text.matchAll(/^\s*--- (PASS|FAIL|SKIP): /gm)].map((m) => m[1]);
  const packages = [...text.matchAll(/^(ok|FAIL|\?)\s+\S+\s/gm)].map((m) => m[1]);
  if (verdicts.length === 0 && packages.length === 0) return undefined;
  const coverages = [...text.matchAll(/coverage: ([\d.]+)% of statements/g)].map((m) => Number.parseFloat(m[1]!));
  const coverage =
    coverages.length > 0 ? Math.round((coverages.reduce((a, b) => a + b, 0) / coverages.length) * 10) / 10 : undefined;
  // Without -v go prints only failures and one line per package: count packages then.
  const tally =
    verdicts.length > 0 ? verdicts : packages.filter((p) => p !== '?').map((p) => (p === 'ok' ? 'PASS' : 'FAIL'));
  return {
    runner: 'go',
    passed: tally.filter((v) => v === 'PASS').length,
    failed: tally.filter((v) => v === 'FAIL').length,
    skipped: tally.filter((v) => v === 'SKIP').length,
    ...(coverage !== undefined ? { coverage } : {}),
  };
};

/** Most specific first: jest's and vitest's summaries would otherwise never be reached. */
const PARSERS: Parser[] = [jest, vitest, pytest, dotnet, nodeTest, goTest];

export function parseTestOutput(output: string): TestFigures {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes are what it removes
  const text = output.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r\n?/g, '\n');
  for (const parse of PARSERS) {
    const figures = parse(text);
    if (figures) return figures;
  }
  return {};
}
