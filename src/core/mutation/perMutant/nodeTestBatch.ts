/**
 * The batch for node:test (`node [flags] --test [flags] files`; ./batch.ts): one Node process runs
 * each mutant's test files through node:test's `run()`, which starts a process per file as
 * `node --test` does, so a mutant costs that process, not a second Node start for the runner.
 * Node's flags go to the batch's process, whose children inherit them (`--import tsx`); the
 * runner's own flags become `run()`'s options. Any other runner flag (coverage and its
 * thresholds, isolation, sharding, watch) is not batched.
 */
import { basename, posix } from 'node:path';
import { asCommand, type Batch, commandWords } from './batch';
import { NODE_TEST_BATCH_SCRIPT } from './nodeTestBatchScript';

/** Flags whose value is the next word when not given with `=`. */
const VALUED = new Set([
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
  '--conditions',
  '-C',
  '--env-file',
  '--input-type',
  '--test-reporter',
  '--test-reporter-destination',
  '--test-name-pattern',
  '--test-skip-pattern',
  '--test-concurrency',
  '--test-timeout',
]);
/** Node's own flags the test processes need (they inherit the batch's). */
const NODE_FLAGS = new Set(['--experimental-test-module-mocks', '--experimental-test-snapshots']);
/** The runner's flags that are `run()` options; reporters are dropped (the batch reads events). */
const OPTIONS: Record<string, (value: string, options: Record<string, unknown>) => void> = {
  '--test-concurrency': (v, o) => (o.concurrency = Number(v)),
  '--test-timeout': (v, o) => (o.timeout = Number(v)),
  '--test-name-pattern': (v, o) => (o.testNamePatterns = [...((o.testNamePatterns as string[]) ?? []), v]),
  '--test-skip-pattern': (v, o) => (o.testSkipPatterns = [...((o.testSkipPatterns as string[]) ?? []), v]),
  '--test-only': (_, o) => (o.only = true),
  '--test-force-exit': (_, o) => (o.forceExit = true),
  '--test-reporter': () => undefined,
  '--test-reporter-destination': () => undefined,
};

/** The batch for these proof tests' one command, when it is node:test's; undefined otherwise. */
export function nodeTestBatch(
  proof: { tests: readonly string[]; command: readonly string[] },
  tests: readonly string[],
): Batch | undefined {
  const read = commandWords(proof, tests);
  if (!read || !/^node(?:\.exe)?$/.test(basename(read.words[0]!))) return undefined;
  const node: string[] = [];
  // The CLI runs files in parallel; run() one at a time unless told.
  const options: Record<string, unknown> = { concurrency: true };
  const files: string[] = [];
  let test = false;
  const words = read.words.slice(1);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('-')) {
      files.push(word);
      continue;
    }
    if (files.length > 0) return undefined;
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const flag = eq > 0 ? word.slice(0, eq) : word;
    const value = eq > 0 ? word.slice(eq + 1) : VALUED.has(flag) ? words[++i] : '';
    if (value === undefined) return undefined;
    if (flag === '--test') test = true;
    else if (OPTIONS[flag]) OPTIONS[flag](value, options);
    else if (/^--(?:experimental-)?test|^--watch/.test(flag) && !NODE_FLAGS.has(flag)) return undefined;
    else node.push(...(eq > 0 ? [word] : VALUED.has(flag) ? [flag, value] : [flag]));
  }
  // The words left must be the proof tests themselves: a value of a flag not known to take one
  // (`--experimental-default-type module`) read as a file would fail every mutant's run.
  const expected = tests.map((file) => (read.cd.dir === '.' ? file : posix.relative(read.cd.dir, file)));
  if (!test || files.join('\0') !== expected.join('\0')) return undefined;
  return {
    script: { name: 'node_test_batch.mjs', source: NODE_TEST_BATCH_SCRIPT },
    plan: { files, options },
    command: (_copy, script, plan) => asCommand(read, [read.words[0]!, ...node, script, plan]),
  };
}
