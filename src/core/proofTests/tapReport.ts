/**
 * TAP as the JavaScript runners print it: node --test's tap reporter and tap (subtests indented
 * under `# Subtest:`, each closed by its own test point after its children), Vitest's (a point
 * opening `{` with its children inside), Mocha's (one flat line per test, its full title joined by
 * spaces) and AVA's (`file › title`; a file that did not load reads `<file> exited with a non-zero
 * exit code`, its uncaught exception a point of its own). Output that is not TAP (a file's stderr, node's `# …` comments) before a point is
 * kept for it: that is where node and tap print why a file named by its path did not load.
 */
import { FILE_NAME, type FileFailure, type ReportedTest, type TestReport } from './report';

interface Point {
  indent: number;
  ok: boolean;
  skip: boolean;
  name: string;
  text: string[];
  /** Lines that were not TAP just before it: a dead file's stderr. */
  lead: string[];
  parent?: Point;
  children: Point[];
}

const POINT = /^(\s*)(not ok|ok)\b(?:\s+\d+)?(?:\s+-)?\s?(.*)$/;
const STRUCTURE = /^\s*(?:TAP version \d+|\d+\.\.\d+(?:\s+#.*)?|# Subtest:.*|[{}]|\.\.\.|---|Bail out!.*)\s*$/;
/** The summary comments node, AVA, Mocha and tap end with (`# tests 5`, `# { total: 5, pass: 1 }`). */
const SUMMARY = /^\s*#\s*(?:tests|suites|pass|fail|cancelled|skipped|todo|duration_ms|time=|\{ total|No coverage)\b/;
const AVA_EXIT = /^(.+?) exited (?:with a non-zero exit code: \d+|due to \w+)$/;
/** AVA's title for an uncaught exception: the error (`Error: Cannot find module …`) or where it was thrown (`/…/file.js:2`). */
const UNCAUGHT = /^(?:[\w$.]*Error\b|Uncaught|Unhandled)|^\S+:\d+$/;

export function readTap(text: string): TestReport | undefined {
  if (!/^\s*TAP version \d+\s*$/m.test(text) && !/^\d+\.\.\d+\s*$/m.test(text)) return undefined;
  const lines = text.split('\n');
  const points: Point[] = [];
  const open: Point[] = [];
  let unparented: Point[] = [];
  let lead: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = POINT.exec(line);
    if (!m) {
      if (line.trim() === '}') open.pop();
      else if (line.trim() !== '' && !STRUCTURE.test(line) && !SUMMARY.test(line))
        lead.push(line.replace(/^\s*# ?/, ''));
      continue;
    }
    const indent = m[1]!.length;
    let rest = m[3]!;
    const opens = /\s\{$/.test(rest);
    if (opens) rest = rest.slice(0, -2);
    const skip = /\s#\s*(?:SKIP|TODO)\b/i.test(rest);
    const name = rest
      .replace(/\s+#\s.*$/, '')
      .replace(/\\#/g, '#')
      .trim();
    const point: Point = { indent, ok: m[2] === 'ok', skip, name, text: [line], lead, children: [] };
    lead = [];
    // Its diagnostics: the lines below it indented further (YAML, Mocha's error), up to the next point;
    // a YAML block whole, to its `...` (Vitest leaves a multi-line message unindented).
    if (/^\s*---\s*$/.test(lines[i + 1] ?? ''))
      while (i + 1 < lines.length && lines[i]!.trim() !== '...') point.text.push(lines[++i]!);
    while (
      i + 1 < lines.length &&
      !POINT.test(lines[i + 1]!) &&
      !/^\s*# Subtest:/.test(lines[i + 1]!) &&
      lines[i + 1]!.trim() !== '}' &&
      (lines[i + 1]!.trim() === '' || indentOf(lines[i + 1]!) > indent)
    ) {
      point.text.push(lines[++i]!);
    }
    const holder = open.at(-1);
    if (holder && indent > holder.indent) adopt(holder, point);
    else {
      // node and tap close a subtest after its children, which stand indented above it.
      unparented = unparented.filter((p) => (p.indent > indent && !p.parent ? (adopt(point, p), false) : true));
      unparented.push(point);
    }
    if (opens) open.push(point);
    points.push(point);
  }
  for (const p of points) p.children.sort((a, b) => points.indexOf(a) - points.indexOf(b));
  return report(points);
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)![0].length;
}

function adopt(parent: Point, child: Point): void {
  child.parent = parent;
  parent.children.push(child);
}

function report(points: readonly Point[]): TestReport {
  const tests: ReportedTest[] = [];
  const files: FileFailure[] = [];
  const consumed = new Set<Point>();
  for (const point of points) {
    const exit = AVA_EXIT.exec(point.name);
    if (point.parent || !exit) continue;
    // AVA: a dead worker's uncaught exception is a point of its own, among the other files' tests
    // (workers run side by side): the one whose title or YAML names the file is its.
    const file = exit[1]!;
    const uncaught = points.filter(
      (p) =>
        !p.parent &&
        !p.ok &&
        !consumed.has(p) &&
        UNCAUGHT.test(p.name) &&
        [...p.lead, ...p.text].some((line) => line.includes(file)),
    );
    [...uncaught, point].forEach((p) => consumed.add(p));
    files.push({ file, output: [...uncaught, point].flatMap((p) => [...p.lead, ...p.text]).join('\n') });
  }
  for (const point of points) {
    if (consumed.has(point)) continue;
    const file = fileNode(point);
    if (point === file) {
      // A file with no test that ran: it did not load (node, tap and Vitest name it by its path).
      if (!point.ok && point.children.length === 0)
        files.push({ file: point.name, output: [...point.lead, ...point.text].join('\n') });
      continue;
    }
    const path: string[] = [];
    for (let p: Point | undefined = point; p && p !== file; p = p.parent) path.unshift(p.name);
    const located =
      file?.name ?? /^\s*(?:location|at):[ \t]*['"]?(?:file:\/\/)?([^'":\n]+):\d+/m.exec(point.text.join('\n'))?.[1];
    tests.push({
      ...(located ? { file: located } : {}),
      path,
      status: point.skip ? 'skipped' : point.ok ? 'passed' : 'failed',
      output: point.text.join('\n'),
    });
  }
  return { tests, files };
}

/** The top point above `point` when it is named like a file (tap's and Vitest's file subtests, node's dead file). */
function fileNode(point: Point): Point | undefined {
  let top = point;
  while (top.parent) top = top.parent;
  return FILE_NAME.test(top.name) ? top : undefined;
}
