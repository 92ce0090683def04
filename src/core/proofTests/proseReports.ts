/**
 * The verbose reporters that print a tree or a line per test, read as the runner prints them:
 * Jest's (`PASS|FAIL <file>`, describe blocks indented above their tests, `● a › b` failure blocks,
 * `● Test suite failed to run`), Vitest's (`✓ file > a > b`, `FAIL file [ file ]` for a file that
 * did not load) and node --test's spec reporter (`▶ suite`, `✔`/`✖` by indentation, a dead file
 * named by its path after its stderr, and each failure's detail under `✖ failing tests:`).
 */
import { FILE_NAME, type FileFailure, type ReportedTest, type TestReport } from './report';

const DURATION = /\s+\(\d+(?:\.\d+)?\s*m?s\)$/;

export function readJestVerbose(text: string): TestReport | undefined {
  if (!/^(?:PASS|FAIL) +\S/m.test(text) || !/^Tests: /m.test(text)) return undefined;
  const tests: ReportedTest[] = [];
  const files: FileFailure[] = [];
  const lines = text.split('\n');
  const end = lines.findIndex((l) => /^(?:Summary of all failing tests|Test Suites: )/.test(l));
  let file: string | undefined;
  let scope: { indent: number; name: string }[] = [];
  let block: { title: string; lines: string[] } | undefined;
  const closeBlock = () => {
    if (!block || !file) return;
    const output = block.lines.join('\n');
    if (block.title === 'Test suite failed to run') files.push({ file, output });
    else {
      const test = tests.find((t) => t.file === file && t.output === '' && t.path.join(' › ') === block!.title);
      if (test) test.output = output;
    }
    block = undefined;
  };
  for (const line of lines.slice(0, end === -1 ? undefined : end)) {
    const header = /^(PASS|FAIL) +(.*?)(?:\s+\([\d.]+ m?s\))?\s*$/.exec(line);
    if (header) {
      closeBlock();
      file = header[2]!.split(/\s+/).at(-1)!;
      scope = [];
      continue;
    }
    const failure = /^\s{2}● (.*)$/.exec(line);
    if (failure) {
      closeBlock();
      block = { title: failure[1]!.trim(), lines: [line] };
      continue;
    }
    if (block) {
      block.lines.push(line);
      continue;
    }
    if (!file || line.trim() === '') continue;
    const indent = /^\s*/.exec(line)![0].length;
    scope = scope.filter((s) => s.indent < indent);
    const mark = /^\s+(✓|✕|○|✎|√|×)\s+(?:(skipped|todo)\s+)?(.*)$/.exec(line);
    if (mark) {
      const status =
        mark[2] || mark[1] === '○' || mark[1] === '✎'
          ? 'skipped'
          : mark[1] === '✓' || mark[1] === '√'
            ? 'passed'
            : 'failed';
      tests.push({ file, path: [...scope.map((s) => s.name), mark[3]!.replace(DURATION, '')], status, output: '' });
    } else scope.push({ indent, name: line.trim() });
  }
  closeBlock();
  for (const test of tests)
    if (test.output === '')
      test.output = `${test.status === 'passed' ? '✓' : test.status === 'failed' ? '✕' : '○'} ${test.path.join(' › ')}`;
  return { tests, files: unique(files) };
}

export function readVitestVerbose(text: string): TestReport | undefined {
  if (!/^\s*(?:RUN\s+v\d|Test Files\s+\d)/m.test(text)) return undefined;
  const tests: ReportedTest[] = [];
  const files: FileFailure[] = [];
  let block: { file: string; path?: string; lines: string[] } | undefined;
  const closeBlock = () => {
    if (!block) return;
    const output = block.lines.join('\n');
    if (block.path === undefined) files.push({ file: block.file, output });
    else {
      const test = tests.find((t) => t.file === block!.file && t.path.join(' > ') === block!.path);
      if (test) test.output = `${test.output}\n${output}`;
    }
    block = undefined;
  };
  for (const line of text.split('\n')) {
    const mark = /^\s*(✓|×|↓|✗|√)\s+(\S+) > (.*?)(?:\s+\d+(?:\.\d+)?m?s)?$/.exec(line);
    const fail = /^\s*FAIL\s+(\S+)(?: > (.*?))?(?:\s+\[ .* \])?\s*$/.exec(line);
    if (mark && !block) {
      tests.push({
        file: mark[2]!,
        path: mark[3]!.split(' > '),
        status: mark[1] === '↓' ? 'skipped' : mark[1] === '✓' || mark[1] === '√' ? 'passed' : 'failed',
        output: line.trim(),
      });
    } else if (fail) {
      closeBlock();
      block = { file: fail[1]!, ...(fail[2] !== undefined ? { path: fail[2] } : {}), lines: [line.trim()] };
    } else if (/^\s*⎯{3,}|^\s*Test Files\s/.test(line)) closeBlock();
    else if (block) block.lines.push(line);
    else if (/^\s+→ /.test(line) && tests.length > 0) tests.at(-1)!.output += `\n${line.trim()}`;
  }
  closeBlock();
  return { tests, files: unique(files) };
}

export function readNodeSpec(text: string): TestReport | undefined {
  if (!/^ℹ tests \d+/m.test(text)) return undefined;
  const tests: ReportedTest[] = [];
  const files: FileFailure[] = [];
  const lines = text.split('\n');
  const detailsAt = lines.findIndex((l) => /^✖ failing tests:/.test(l));
  let suites: { indent: number; name: string }[] = [];
  let lead: string[] = [];
  for (const line of lines.slice(0, detailsAt === -1 ? undefined : detailsAt)) {
    const m = /^(\s*)(▶|✔|✖|﹣)\s+(.*)$/.exec(line);
    if (!m) {
      if (line.trim() !== '' && !/^ℹ /.test(line)) lead.push(line);
      continue;
    }
    const indent = m[1]!.length;
    const skip = /\s#\s*(?:SKIP|TODO)\b/.test(m[3]!);
    const name = m[3]!.replace(/\s+#\s*(?:SKIP|TODO)\b.*$/, '').replace(DURATION, '');
    if (m[2] === '▶') {
      suites = [...suites.filter((s) => s.indent < indent), { indent, name }];
      continue;
    }
    const closes = suites.at(-1)?.indent === indent && suites.at(-1)?.name === name;
    suites = suites.filter((s) => s.indent < indent || (closes && s.indent === indent));
    const status = skip || m[2] === '﹣' ? 'skipped' : m[2] === '✔' ? 'passed' : 'failed';
    if (indent === 0 && status === 'failed' && FILE_NAME.test(name))
      files.push({ file: name, output: [...lead, line].join('\n') });
    else
      tests.push({
        path: [...suites.filter((s) => s.indent < indent).map((s) => s.name), name],
        status,
        output: line.trim(),
      });
    if (closes) suites.pop();
    lead = [];
  }
  if (detailsAt !== -1) readNodeDetails(lines.slice(detailsAt + 1), tests, files);
  return { tests, files: unique(files) };
}

/** node's `✖ failing tests:` section: `test at <file>:<line>:<col>`, the test's line, its error. Each gives its test a file and its error. */
function readNodeDetails(lines: readonly string[], tests: ReportedTest[], files: FileFailure[]): void {
  const blocks: { file?: string; lines: string[] }[] = [];
  for (const line of lines) {
    const at = /^test at (.+?):\d+:\d+$/.exec(line);
    if (at || blocks.length === 0) blocks.push({ ...(at ? { file: at[1]! } : {}), lines: [] });
    if (!at) blocks.at(-1)!.lines.push(line);
  }
  const used = new Set<ReportedTest>();
  for (const block of blocks) {
    const name = /^✖\s+(.*)$/.exec(block.lines.find((l) => l.startsWith('✖')) ?? '')?.[1]?.replace(DURATION, '');
    if (name === undefined) continue;
    const failure = files.find((f) => f.file === name);
    if (failure) {
      failure.output += `\n${block.lines.join('\n').trim()}`;
      continue;
    }
    const test = tests.find((t) => !used.has(t) && t.status === 'failed' && t.path.at(-1) === name);
    if (!test) continue;
    used.add(test);
    test.output = block.lines.join('\n').trim();
    if (block.file) test.file = block.file;
  }
}

function unique(files: readonly FileFailure[]): FileFailure[] {
  return files.filter((f, i) => files.findIndex((g) => g.file === f.file) === i);
}
