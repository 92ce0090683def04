// The Node side of the node:test batch (./nodeTestBatch.ts), written beside the plan in the
// worker's copy and run by the proof command's `node` with its flags. Each mutant is written into
// its file, node:test's run() runs the proof test files (a process each, killed when the proof
// command's limit passes), a failed test or file is a failure, and the file is put back byte for
// byte. One line per verdict on stdout, `ORCH-CAP` when the batch's time ran out first (the test
// processes stopped, the file put back); exit 97: this Node has no run().
export const NODE_TEST_BATCH_SCRIPT = String.raw`
import { readFileSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import * as nodeTest from 'node:test';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (typeof nodeTest.run !== 'function') process.exit(97);
let last = 0;
function write(file, data) {
  const before = statSync(file).mtimeMs;
  writeFileSync(file, data);
  last = Math.max(Math.floor(Date.now() / 1000), last + 1, Math.floor(before / 1000) + 1);
  utimesSync(file, last, last);
}
const cap = Date.now() + plan.capSec * 1000;
async function judge() {
  const stop = new AbortController();
  let why;
  const after = (ms, reason) => setTimeout(() => ((why ??= reason), stop.abort()), Math.max(0, ms));
  const timers = [after(cap - Date.now(), 'cap')];
  if (plan.timeoutSec !== null) timers.push(after(plan.timeoutSec * 1000, 'timeout'));
  let failed = false;
  try {
    const stream = nodeTest.run({ ...plan.options, files: plan.files, signal: stop.signal });
    stream.on('test:fail', () => (failed = true));
    stream.on('test:summary', (summary) => summary.success === false && (failed = true));
    for await (const _ of stream);
  } catch {
    return 'error';
  } finally {
    timers.forEach(clearTimeout);
  }
  return why ?? (failed ? 'failed' : 'passed');
}
for (const m of plan.mutants) {
  const original = readFileSync(m.file);
  let verdict = 'error';
  if (original.subarray(m.start, m.end).equals(Buffer.from(m.original, 'base64'))) {
    write(m.file, Buffer.concat([original.subarray(0, m.start), Buffer.from(m.text, 'base64'), original.subarray(m.end)]));
    try {
      verdict = await judge();
    } finally {
      write(m.file, original);
    }
  }
  if (verdict === 'cap') {
    writeSync(1, 'ORCH-CAP\n');
    break;
  }
  writeSync(1, 'ORCH-MUTANT ' + m.id + ' ' + verdict + '\n');
}
`;
