// The Node side of the node:test batch (./nodeTestBatch.ts), written beside the plan in the
// worker's copy and run by the proof command's `node` with its flags. Each mutant is written into
// its file, the proof test files run, a failed test or file is a failure, and the file is put back
// byte for byte. One line per verdict on stdout, `ORCH-CAP` when the batch's time ran out first
// (the tests stopped, the file put back); exit 97: this Node has no run().
//
// Each test file runs in a worker thread of its own (node:test's run() with isolation 'none' in
// it): a fresh module graph and globals as a process of its own gives, for about half a process's
// CPU (a Node start per file and mutant was most of a small suite's cost). A thread is trusted only
// where the unmutated tests pass in threads first (a test that changes the working folder, exits,
// or loads an addon a thread cannot, fails there) and only for a plain pass or failed tests: a
// thread that errs or ends without its verdict, or a Node without isolation, runs that mutant as
// before, through run()'s process per file, killed when the proof command's limit passes.
export const NODE_TEST_BATCH_SCRIPT = String.raw`
import { readFileSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import * as nodeTest from 'node:test';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

async function verdictOf(options, files, signal) {
  let failed = false;
  const stream = nodeTest.run({ ...options, files, signal });
  stream.on('test:fail', () => (failed = true));
  stream.on('test:summary', (summary) => summary.success === false && (failed = true));
  for await (const _ of stream);
  return failed ? 'failed' : 'passed';
}

if (!isMainThread) {
  // One test file in this thread; the thread is ended by its parent once the verdict is sent.
  const { file, options } = workerData;
  parentPort.postMessage(await verdictOf({ ...options, isolation: 'none' }, [file]));
} else {
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
  const deadline = () => Math.min(cap, plan.timeoutSec === null ? Infinity : Date.now() + plan.timeoutSec * 1000);
  const over = (until) => (until === cap ? 'cap' : 'timeout');

  // run()'s options in a thread: one file, ended by us.
  const { concurrency, forceExit, ...options } = plan.options;
  // One file in a thread: 'passed', 'failed', 'cap' or 'timeout' (the thread ended), or undefined (unsure).
  function inThread(file, until) {
    const worker = new Worker(new URL(import.meta.url), { workerData: { file, options }, stdout: true, stderr: true });
    worker.stdout.resume();
    worker.stderr.resume();
    return new Promise((resolve) => {
      let verdict;
      const timer = setTimeout(() => ((verdict ??= over(until)), worker.terminate()), Math.max(0, until - Date.now()));
      worker.on('message', (v) => ((verdict ??= v === 'passed' || v === 'failed' ? v : undefined), worker.terminate()));
      worker.on('error', () => undefined);
      worker.on('exit', () => (clearTimeout(timer), resolve(verdict)));
    });
  }
  // The files one after another in threads, up to the first failure; undefined where a thread was unsure.
  async function inThreads(until) {
    for (const file of plan.files) {
      const verdict = await inThread(file, until);
      if (verdict !== 'passed') return verdict;
    }
    return 'passed';
  }
  // The files through run()'s process per file, stopped at the limit.
  async function inProcesses(until) {
    const stop = new AbortController();
    let why;
    const timer = setTimeout(() => ((why = over(until)), stop.abort()), Math.max(0, until - Date.now()));
    try {
      const verdict = await verdictOf(plan.options, plan.files, stop.signal);
      return why ?? verdict;
    } catch {
      return why ?? 'error';
    } finally {
      clearTimeout(timer);
    }
  }

  // isolation 'none' came with Node 22.8; an older run() would start a process per file from the thread.
  const [major, minor] = process.versions.node.split('.').map(Number);
  const threads = (major > 22 || (major === 22 && minor >= 8)) && (await inThreads(deadline())) === 'passed';
  writeSync(1, 'ORCH-ISOLATION ' + (threads ? 'thread' : 'process') + '\n');
  for (const m of plan.mutants) {
    const original = readFileSync(m.file);
    let verdict = 'error';
    if (original.subarray(m.start, m.end).equals(Buffer.from(m.original, 'base64'))) {
      write(m.file, Buffer.concat([original.subarray(0, m.start), Buffer.from(m.text, 'base64'), original.subarray(m.end)]));
      try {
        const until = deadline();
        verdict = (threads ? await inThreads(until) : undefined) ?? (await inProcesses(until));
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
}
`;
