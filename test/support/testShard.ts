/**
 * One shard of `node scripts/run-node-tests.mjs --shards=N`: the only file node's test runner
 * gets (with --test-isolation=none), it loads the shard's test files (ORCH_SHARD_FILES, a JSON
 * list) into this one process, each inside a suite named by its path. Without that suite a
 * file's top-level before/after hooks would belong to the process's root test: every file's
 * `before` would run before the first test of the shard and its `after` after the last, and a
 * hook that throws would fail every test of the shard instead of its own file's.
 *
 * Each file is required synchronously inside its suite, so the tests and hooks its top level
 * declares attach to that suite, and the files load one after another in the given order.
 * Before loading a file and before running its tests, a line `load <file>` or `run <file>` is
 * appended to ORCH_SHARD_PROGRESS: if the process dies, the runner knows which file it was in
 * and runs the files after it in a new process.
 */
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runProcessEnd } from './processEnd';

const files = JSON.parse(process.env.ORCH_SHARD_FILES ?? '[]') as string[];
const progress = process.env.ORCH_SHARD_PROGRESS;
const mark = (what: 'load' | 'run', file: string): void => {
  if (progress) appendFileSync(progress, `${what} ${file}\n`);
};
const load = createRequire(__filename);

// What the files share for the whole process (atProcessEnd) stops after the shard's last test.
after(runProcessEnd);

for (const file of files) {
  void describe(file, () => {
    before(() => mark('run', file));
    mark('load', file);
    try {
      load(resolve(file));
    } catch (error) {
      // A file that cannot load fails as a test named by it (a failed suite alone is not counted as a failure).
      test(`${file} loads`, () => {
        throw error;
      });
    }
  });
}
