// The batches' reach (src/core/mutation/perMutant: pytest's, node:test's): which proof commands
// run a worker's mutants as one process (pytest's own, behind `cd` and assignments; node:test's
// with Node's flags kept and the runner's read) and which are left to a command per mutant; and a
// batch that cannot run (exit 97: no pytest, no fork) gives way to the proof command per mutant,
// the edits it was planned with being the mutants' own bytes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { applyMutant, builtinMutants } from '../../../src/core/mutation/builtin';
import { executeEachMutant } from '../../../src/core/mutation/perMutant';
import { nodeTestBatch } from '../../../src/core/mutation/perMutant/nodeTestBatch';
import { pytestBatch } from '../../../src/core/mutation/perMutant/pytestBatch';

const TESTS = ['tests/test_pricing.py'];
const proof = (command: string) => ({ command: [command], tests: ['tests/**'] });
/** What the batch runs (the script at S, the plan at P), and its plan. */
const read = (batch: ReturnType<typeof pytestBatch>) =>
  batch && { command: batch.command('/copy', 'S', 'P'), plan: batch.plan };

test('pytest batch: pytest run by its python, behind cd and assignments; anything else runs a command per mutant', () => {
  assert.deepEqual(read(pytestBatch(proof('python3 -m pytest -q -p no:cacheprovider {files}'), TESTS)), {
    command: 'env python3 S P',
    plan: { module: true, args: ['-q', '-p', 'no:cacheprovider', 'tests/test_pricing.py'] },
  });
  // A script whose first line cannot be read (none here): a command per mutant.
  const script = pytestBatch(
    proof('cd api && PYTHONPATH=src DJANGO_SETTINGS_MODULE=shop.settings .venv/bin/pytest -x'),
    TESTS,
  );
  // Relative to the folder the command moves to, as the runner sees them.
  assert.deepEqual(script?.plan, { module: false, args: ['-x', '../tests/test_pricing.py'] });
  assert.equal(script?.command('/copy', 'S', 'P'), undefined);
  assert.equal(
    pytestBatch(proof('cd api && PYTHONPATH=src python3.12 -m py.test {files}'), TESTS)?.command('/copy', 'S', 'P'),
    'cd api && env PYTHONPATH=src python3.12 S P',
  );
  for (const other of [
    'uv run pytest {files}',
    'poetry run pytest {files}',
    'python3 -X dev -m pytest {files}',
    'python3 -m unittest {files}',
    'pytest {files} | tee out.txt',
    'pytest {files} && echo ok',
    '$PYTHON -m pytest {files}',
    'tox -e py312 -- {files}',
    'pytest {file}',
  ])
    assert.equal(pytestBatch(proof(other), TESTS), undefined, other);
  // Two commands for the files (a second glob's): one process each, not batched.
  assert.equal(
    pytestBatch({ command: ['pytest {files}', 'pytest -p xdist {files}'], tests: ['tests/unit/**', 'tests/**'] }, [
      'tests/unit/test_a.py',
      'tests/test_b.py',
    ]),
    undefined,
  );
});

test("node:test batch: Node's flags go to the batch's process, the runner's become run()'s options; a flag that changes what passes is not batched", () => {
  const js = ['test/price.test.js', 'test/other.test.js'];
  const node = (command: string) => read(nodeTestBatch({ command: [command], tests: ['test/**'] }, js));
  assert.deepEqual(node('node --test {files}'), {
    command: 'env node S P',
    plan: { files: js, options: { concurrency: true } },
  });
  assert.deepEqual(
    node(
      'TZ=UTC node --import tsx --enable-source-maps --experimental-test-module-mocks --test --test-reporter spec --test-reporter-destination=stdout --test-concurrency=1 --test-timeout 5000 --test-name-pattern="REQ-1" {files}',
    ),
    {
      command: 'env TZ=UTC node --import tsx --enable-source-maps --experimental-test-module-mocks S P',
      plan: { files: js, options: { concurrency: 1, timeout: 5000, testNamePatterns: ['REQ-1'] } },
    },
  );
  for (const other of [
    'node --test --experimental-test-coverage --test-coverage-lines=90 {files}',
    'node --test --test-isolation=none {files}',
    'node --test --test-shard=1/2 {files}',
    'node --watch --test {files}',
    'node {files}',
    'npx tsx --test {files}',
    'node --test {files} > out.txt',
    'node --test {file}',
    // A flag's value taken for a file, or a file besides the proof tests.
    'node --test --experimental-default-type module {files}',
    'node --test test/setup.js {files}',
  ])
    assert.equal(node(other), undefined, other);
});

const PRICING =
  '# Prix réduits: «remise» en pourcentage\ndef discounted(price, percent):\n    return price - price * percent // 100\n';

test("pytest batch: one plan for the worker, its edits the mutants' own bytes (past non-ASCII text); exit 97 gives way to a command per mutant", async () => {
  const copy = mkdtempSync(join(tmpdir(), 'orch-batch-'));
  try {
    for (const [path, text] of Object.entries({
      'app/pricing.py': PRICING,
      'tests/test_pricing.py': 'def test_x(): pass\n',
    })) {
      mkdirSync(dirname(join(copy, path)), { recursive: true });
      writeFileSync(join(copy, path), text);
    }
    const mutants = builtinMutants({
      path: 'app/pricing.py',
      text: PRICING,
      changed: { path: 'app/pricing.py', ranges: [{ start: 3, end: 3 }] },
    });
    assert.ok(mutants.length >= 3);
    const commands: string[] = [];
    let plan: { mutants: Array<{ id: string; start: number; end: number; text: string }> } | undefined;
    const result = await executeEachMutant(
      {
        copy,
        mutants,
        tests: TESTS,
        proof: { command: ['python3 -m pytest -q {files}'], tests: ['tests/**'], timeoutSec: 30 },
        concurrency: 1,
        timeoutSec: 60,
        run: async (command) => {
          commands.push(command);
          if (command.includes('pytest_batch.py')) {
            plan = JSON.parse(readFileSync(join(copy, '.orchestrator-strength/plan.json'), 'utf8'));
            return { exitCode: 97, output: '', timedOut: false };
          }
          return { exitCode: 1, output: 'FAILED', timedOut: false };
        },
      },
      'the built-in mutator',
      applyMutant,
    );
    assert.match(commands[0]!, /^env python3 \S+\/\.orchestrator-strength\/pytest_batch\.py \S+\/plan\.json$/);
    assert.deepEqual(
      commands.slice(1),
      mutants.map(() => 'python3 -m pytest -q tests/test_pricing.py'),
    );
    assert.deepEqual(
      [...result.statuses.values()],
      mutants.map(() => 'killed'),
    );
    const original = Buffer.from(PRICING);
    assert.deepEqual(
      plan!.mutants.map((e) =>
        Buffer.concat([
          original.subarray(0, e.start),
          Buffer.from(e.text, 'base64'),
          original.subarray(e.end),
        ]).toString('utf8'),
      ),
      mutants.map((m) => applyMutant(PRICING, m)),
    );
    assert.equal(readFileSync(join(copy, 'app/pricing.py'), 'utf8'), PRICING);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
