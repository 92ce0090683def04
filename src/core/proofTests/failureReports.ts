/**
 * Runners whose reporter names only what fails, Jasmine (`Failures:`, `1) suite spec`, and
 * `Pending:`) and uvu (`FAIL  suite  "test"`): a test they ran and did not name passed, once the
 * run reached its summary (`2 specs, 1 failure`, uvu's `Total:`). Neither has a built-in reporter
 * that names passing tests. A file that did not load stops both before the summary.
 */
import type { ReportedTest, TestReport } from './report';

export function readFailureList(text: string): TestReport | undefined {
  return readJasmine(text) ?? readUvu(text);
}

function readJasmine(text: string): TestReport | undefined {
  const complete = /^\d+ specs?, \d+ failures?/m.test(text);
  if (!complete && !/^Randomized with seed \d+$|^Started$/m.test(text)) return undefined;
  const tests: ReportedTest[] = [];
  let section: 'failed' | 'skipped' | undefined;
  for (const line of text.split('\n')) {
    if (/^Failures:$/.test(line)) section = 'failed';
    else if (/^Pending:$/.test(line)) section = 'skipped';
    else if (/^\d+ specs?, /.test(line)) section = undefined;
    else if (!section) continue;
    else {
      const entry = /^\d+\) (.*)$/.exec(line);
      if (entry) tests.push({ path: [entry[1]!.trim()], status: section, output: line });
      else if (tests.length > 0 && line.trim() !== '') tests.at(-1)!.output += `\n${line}`;
    }
  }
  return { tests, files: [], failuresOnly: { complete } };
}

function readUvu(text: string): TestReport | undefined {
  const complete = /^\s*Total:\s+\d+\s*$/m.test(text) && /^\s*Passed:\s+\d+\s*$/m.test(text);
  if (!complete) return undefined;
  const tests: ReportedTest[] = [];
  let open = false;
  for (const line of text.split('\n')) {
    const fail = /^\s*FAIL\s+(?:(.*?)\s+)?"(.*)"\s*$/.exec(line);
    if (fail) {
      tests.push({ path: [...(fail[1] ? [fail[1].trim()] : []), fail[2]!], status: 'failed', output: line.trim() });
      open = true;
    } else if (/^\s*Total:/.test(line)) open = false;
    else if (open && line.trim() !== '') tests.at(-1)!.output += `\n${line}`;
  }
  return { tests, files: [], failuresOnly: { complete } };
}
