// A gate failing only because pytest's collection met a frozen proof test of the same name as one of
// the project's (issue 70, mozilla/bleach: `import file mismatch`, the whole suite stopped) stops the
// run at once, naming the proof test and pytest: no retry of the layer could change a frozen test.
// test/fixtures/runnerOutput/pytest-import-file-mismatch.txt was printed by pytest 9.0.3 (`pytest -v`,
// `tests/test_linkify.py` and `tests/acceptance/test_linkify.py`, neither folder a package), the
// folder renamed /work/project.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ownFilesStop } from '../../../src/core/pipeline/kernel/ownFiles';
import type { RunContext } from '../../../src/core/pipeline/kernel';

const OUTPUT = readFileSync(join(__dirname, '../../fixtures/runnerOutput/pytest-import-file-mismatch.txt'), 'utf8');
const PROOF = 'tests/acceptance/test_linkify.py';

const ctx = (frozen: string[]) =>
  ({
    workspace: '/work/project',
    events: [{ type: 'proof.frozen', hashes: Object.fromEntries(frozen.map((file) => [file, 'sha'])), seq: 1 }],
  }) as unknown as Pick<RunContext, 'workspace' | 'events'>;

const failure = (output: string) => ({ layer: 'app', command: '.venv/bin/pytest -v', output });

test("pytest's import file mismatch on a frozen proof test stops the run, naming the proof test and pytest", () => {
  const stop = ownFilesStop(ctx([PROOF]), failure(OUTPUT));
  assert.ok(stop, 'a stop, not a retry');
  assert.match(stop.message, /\(pytest\) fails only on tests\/acceptance\/test_linkify\.py$/);
  assert.match(stop.report, /^## Pipeline stopped: pytest fails on files no layer may write\n/);
  assert.match(stop.report, /\n {2}- tests\/acceptance\/test_linkify\.py\n/);
  assert.match(stop.report, /`__init__\.py`/);
});

test("the same mismatch between the project's own tests, or beside another collection error, is the layer's", () => {
  assert.equal(ownFilesStop(ctx([]), failure(OUTPUT)), undefined, 'no proof test in the pair');
  const another = OUTPUT.replace(
    '=========================== short test summary info',
    "_____________________ ERROR collecting tests/test_clean.py _____________________\nImportError: cannot import name 'clean' from 'bleach'\n=========================== short test summary info",
  ).replace('Interrupted: 1 error', 'Interrupted: 2 errors');
  assert.equal(ownFilesStop(ctx([PROOF]), failure(another)), undefined, 'an import the layer broke');
});
