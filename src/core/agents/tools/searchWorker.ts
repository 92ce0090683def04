/**
 * The part of search_files that runs the model's regular expression: in a worker thread,
 * so a catastrophic pattern such as `(a+)+$` never blocks the host's event loop, and can be
 * stopped (Worker.terminate interrupts a running regex) on a time limit or a cancel.
 *
 * The worker's code is this self-contained script, started with `eval: true`, so it works
 * the same from the TypeScript sources and from the esbuild bundles. It reads each file,
 * tests its lines and posts one message per file: `start` before, `done` with the matches
 * after, so whoever watches it knows which file a runaway pattern is stuck on.
 */
import { Worker } from 'node:worker_threads';

export interface WorkerInput {
  root: string;
  files: string[];
  source: string;
  flags: string;
  maxMatches: number;
  maxFileBytes: number;
  maxLineChars: number;
  maxTestedLineChars: number;
}

export type WorkerMessage =
  | { type: 'start'; index: number }
  | { type: 'done'; index: number; matches: string[]; skipped?: string }
  | { type: 'end' };

const WORKER_SOURCE = String.raw`
const { parentPort, workerData: input } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const regex = new RegExp(input.source, input.flags);
let found = 0;
for (let index = 0; index < input.files.length && found < input.maxMatches; index++) {
  parentPort.postMessage({ type: 'start', index });
  const rel = input.files[index];
  let bytes;
  try {
    const info = fs.statSync(path.join(input.root, rel));
    if (!info.isFile()) { parentPort.postMessage({ type: 'done', index, matches: [] }); continue; }
    if (info.size > input.maxFileBytes) {
      parentPort.postMessage({ type: 'done', index, matches: [], skipped: 'larger than ' + input.maxFileBytes + ' bytes' });
      continue;
    }
    bytes = fs.readFileSync(path.join(input.root, rel));
  } catch (error) {
    parentPort.postMessage({ type: 'done', index, matches: [], skipped: 'unreadable' });
    continue;
  }
  if (bytes.subarray(0, 8000).includes(0)) { parentPort.postMessage({ type: 'done', index, matches: [] }); continue; }
  const lines = bytes.toString('utf8').split(/\r?\n/);
  const matches = [];
  for (let i = 0; i < lines.length && found < input.maxMatches; i++) {
    const line = lines[i];
    regex.lastIndex = 0;
    if (!regex.test(line.length > input.maxTestedLineChars ? line.slice(0, input.maxTestedLineChars) : line)) continue;
    found++;
    matches.push(rel + ':' + (i + 1) + ':' + (line.length > input.maxLineChars ? line.slice(0, input.maxLineChars) + '…' : line));
  }
  parentPort.postMessage({ type: 'done', index, matches });
}
parentPort.postMessage({ type: 'end' });
`;

/** Starts a worker on `input`; every message goes to `onMessage`. */
export function startSearchWorker(
  input: WorkerInput,
  onMessage: (message: WorkerMessage) => void,
  onError: (error: Error) => void,
): Worker {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: input,
    // A pathological file must not take the host's memory with it.
    resourceLimits: { maxOldGenerationSizeMb: 256 },
    stdout: true,
    stderr: true,
  });
  worker.on('message', onMessage);
  worker.on('error', onError);
  return worker;
}
