// The pytest batch's reach (src/core/mutation/perMutant/pytestBatch.ts): which proof commands it
// runs as one forking Python process (pytest's own, behind `cd` and assignments) and which it
// leaves to a command per mutant; and a batch that cannot run (exit 97: no pytest, no fork) gives
// way to the proof command per mutant, with the edits it was planned with the mutants' own bytes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { applyMutant, builtinMutants } from '../../../src/core/mutation/builtin';
import { executeEachMutant } from '../../../src/core/mutation/perMutant';
import { pytestBatch } from '../../../src/core/mutation/perMutant/pytestBatch';

const TESTS = ['tests/test_pricing.py'];
const batchOf = (command: string) => pytestBatch({ command: [command], tests: ['tests/**'] }, TESTS);

test('pytest batch: pytest run by its python or its script, behind cd and assignments; anything else runs a command per mutant', () => {
  assert.deepEqual(batchOf('python3 -m pytest -q -p no:cacheprovider {files}'), {
    cd: { text: '', dir: '.' },
    env: [],
    program: 'python3',
    module: true,
    args: ['-q', '-p', 'no:cacheprovider', 'tests/test_pricing.py'],
  });
  assert.deepEqual(batchOf('cd api && PYTHONPATH=src DJANGO_SETTINGS_MODULE=shop.settings .venv/bin/pytest -x'), {
    cd: { text: 'cd api && ', dir: 'api' },
    env: ['PYTHONPATH=src', 'DJANGO_SETTINGS_MODULE=shop.settings'],
    program: '.venv/bin/pytest',
    module: false,
    // Relative to the folder the command moves to, as the runner sees them.
    args: ['-x', '../tests/test_pricing.py'],
  });
  assert.equal(batchOf('python3.12 -m py.test {files}')?.module, true);
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
    assert.equal(batchOf(other), undefined, other);
  // Two commands for the files (a second glob's): one process each, not batched.
  assert.equal(
    pytestBatch({ command: ['pytest {files}', 'pytest -p xdist {files}'], tests: ['tests/unit/**', 'tests/**'] }, [
      'tests/unit/test_a.py',
      'tests/test_b.py',
    ]),
    undefined,
  );
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
