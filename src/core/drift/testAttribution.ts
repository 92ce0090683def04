/**
 * Which tests a failing test command's output blames, in the words of the common runners:
 * node:test (`test at server/test/a.test.js:2:1`, TAP `not ok` + `location:`), jest and vitest
 * (`FAIL path`), pytest (`FAILED path::name`), go (`--- FAIL: TestName`, `FAIL\tpkg`), and
 * test names citing a criterion id (`REQ-1.2 refuses a bad price`). What no marker names is
 * not guessed at: the caller treats an unattributed failure as failing every test it ran.
 */
import { mentionsId } from '../trace';

const FAILURE_LINE = /✖|✗|×|\bnot ok\b|\bFAIL(?:ED|URE)?\b|\bfailing\b|^\s*test at |\bError\b/;
const PASS_LINE = /✔|✓|^\s*ok\b|\bPASS(?:ED)?\b/;
/** Lines after a failure marker that still belong to its report (TAP's YAML block, a stack). */
const WINDOW = 8;
// eslint-disable-next-line no-control-regex -- ANSI colour codes are what it removes
const COLOUR_CODE = /\x1b\[[0-9;]*m/g;

export interface Blamed {
  /** Candidate test files the failure names. */
  files: Set<string>;
  /** Candidate ids (criteria, requirements) a failing test's name cites. */
  ids: Set<string>;
}

export function blamedByFailure(
  output: string,
  candidateFiles: readonly string[],
  candidateIds: readonly string[],
): Blamed {
  const lines = output.replace(COLOUR_CODE, '').replace(/\r\n?/g, '\n').split('\n');
  const blamed: Blamed = { files: new Set(), ids: new Set() };
  let sinceFailure = Infinity;
  for (const line of lines) {
    const failure = FAILURE_LINE.test(line) && !PASS_LINE.test(line);
    sinceFailure = failure ? 0 : sinceFailure + 1;
    if (sinceFailure > WINDOW || PASS_LINE.test(line)) continue;
    for (const file of candidateFiles) if (namesFile(line, file)) blamed.files.add(file);
    if (failure) for (const id of candidateIds) if (mentionsId(line, id)) blamed.ids.add(id);
  }
  return blamed;
}

/** The path itself, or (go prints packages) the folder of a Go test. */
function namesFile(line: string, file: string): boolean {
  if (line.includes(file)) return true;
  const folder = file.lastIndexOf('/');
  return (
    file.endsWith('_test.go') &&
    folder > 0 &&
    new RegExp(`(?:^|[\\s/])${escape(file.slice(0, folder))}(?:\\s|$)`).test(line)
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
