/**
 * A runner's output read as a report (docs/proof.md "How each test is read"): every test it names,
 * with its full name (the describe blocks, suites or subtests around it), its file where the runner
 * says it, its outcome and its own lines; and the files that did not load, each with the output
 * that says why. One reader per format the JavaScript runners print: TAP (node --test's tap
 * reporter, Mocha, AVA, tap, Vitest's), Jest's and Vitest's verbose reporters, node's spec
 * reporter, and the failures Jasmine and uvu name (tapReport.ts, proseReports.ts,
 * failureReports.ts). Output none of them recognises gives no report: testResults.ts reads it by
 * its lines.
 */
export interface ReportedTest {
  /** Its file as the runner names it (absolute, or relative to where it ran), when it says. */
  file?: string;
  /** Its full name: the describe blocks, suites or subtests around it, then its own. */
  path: string[];
  status: 'passed' | 'failed' | 'skipped';
  /** Its own lines: its failure's message and stack. */
  output: string;
}

/** A file that did not load (or whose process died before its tests ran), with the output that says why. */
export interface FileFailure {
  file: string;
  output: string;
}

export interface TestReport {
  tests: ReportedTest[];
  files: FileFailure[];
  /** The runner names only the tests that fail (Jasmine, uvu): one it ran and did not name passed, once the run reached its summary (`complete`). */
  failuresOnly?: { complete: boolean };
}

// eslint-disable-next-line no-control-regex -- the colour escapes runners print are what it removes
export const stripAnsi = (text: string): string => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r\n?/g, '\n');

/** A name with its separators (` > `, ` › `, `::`, `/`) and spacing made alike, so the proof agent's `checkout > REQ-1.1 …` meets Mocha's `checkout REQ-1.1 …`. */
export function normalName(name: string): string {
  return name
    .replace(/\s*(?:›|»|>|::|\/)\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a runner's file name and a workspace-relative path are the same file (the runner may print it absolute, or relative to the folder it ran in). */
export function sameFile(reported: string, file: string): boolean {
  const a = reported.replace(/^file:\/\//, '').replace(/^\.\//, '');
  return a === file || a.endsWith(`/${file}`) || file.endsWith(`/${a}`) || compiledFrom(a, file);
}

/**
 * A test written in TypeScript and run compiled (`tsc`, then `node --test dist/test/*.test.js`): the
 * runner names `dist/test/cart.test.js` for `test/cart.test.ts`. Same name and same folder name,
 * a JavaScript file for a TypeScript one.
 */
function compiledFrom(reported: string, file: string): boolean {
  if (!/\.[cm]?js$/.test(reported) || !/\.[cm]?tsx?$/.test(file)) return false;
  const tail = (path: string) =>
    path
      .replace(/\.[cm]?[jt]sx?$/, '')
      .split('/')
      .slice(-2)
      .join('/');
  return tail(reported) === tail(file);
}

/** Whether a test's full path is named `name`: the whole path, or its last words (`REQ-1.1 adds an item` names `checkout › REQ-1.1 adds an item`). */
export function pathNamed(path: readonly string[], name: string): boolean {
  const full = normalName(path.join(' '));
  const wanted = normalName(name);
  return wanted.length > 0 && (full === wanted || full.endsWith(` ${wanted}`));
}

/** Looks like a test file's path (node and tap name a file that did not load by its path). */
export const FILE_NAME = /^(?:file:\/\/)?[^\s'"`]*[\w-]\.(?:[cm]?[jt]sx?|coffee|svelte|vue)$/;
