// init's verification on the real runners, for shapes first met on repositories nobody had tuned to
// (issue 70, docs/realworld.md): what the census reads from them is run as init runs it (the
// throwaway worktree, the sandbox, the probe), so a command that reads right but does not work here
// is caught. Python's unittest runs on the machine's python3; Jest and Jasmine are linked in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { takeCensus } from '../../../src/core/census/census';
import { verifyCensus } from '../../../src/core/census/verify/verify';
import type { Census } from '../../../src/core/census/types';
import { commitAll, makeRepo } from '../../support/census';
import { jsRunnerProject, type JsRunner, sandboxReadsSharedModules } from '../../support/jsRunnerProject';

let restorePath: () => void;
before(() => {
  restorePath = sandboxReadsSharedModules();
});
after(() => restorePath());

/** The census of `files` (a JavaScript runner linked in when given), verified as init verifies it. */
async function verified(
  files: Record<string, string>,
  runner?: { name: JsRunner; options: Parameters<typeof jsRunnerProject>[3] },
): Promise<Census> {
  const repo = await makeRepo({ '.gitignore': 'node_modules/\n', ...(runner ? {} : files) });
  try {
    if (runner) jsRunnerProject(repo.dir, runner.name, files, runner.options);
    commitAll(repo.dir);
    const census = await takeCensus(repo.dir);
    await verifyCensus(repo.dir, census, { trusted: true, timeoutSec: 60, concurrency: 1 });
    return census;
  } finally {
    await repo.cleanup();
  }
}

const gates = (census: Census) =>
  census.layers.flatMap((l) => l.validate.map((v, i) => ({ command: v.command, status: l.verified?.[i]?.status })));

test("unittest on the machine's python3: CI runs tox, tox is not installed, so tox's own command is the gate; the proof probe is a module unittest's discovery takes", async () => {
  const census = await verified({
    'pyproject.toml': '[project]\nname = "calc"\nversion = "1.0"\n',
    'calc/__init__.py': 'def add(a, b):\n    return a + b\n',
    'tests/__init__.py': '',
    'tests/test_add.py':
      'import unittest\nimport calc\n\n\nclass TestAdd(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(calc.add(1, 2), 3)\n',
    'tox.ini':
      '[tox]\nenvlist = py312\n\n[testenv]\ncommands =\n    coverage run --source=calc -m unittest discover {toxinidir}/tests\n    coverage report\n',
    '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - run: pip install tox\n      - run: python3 -m tox\n',
  });
  assert.deepEqual(gates(census), [
    { command: 'python3 -m tox', status: 'missing-tool' },
    { command: 'python3 -m unittest discover tests', status: 'passed' },
  ]);
  const tox = census.layers[0]!.verified![0]!;
  assert.equal(tox.status === 'missing-tool' && tox.tool, 'tox', 'python -m tox without tox is a missing tool');
  assert.match(census.layers[0]!.validate[1]!.origin, /^tox\.ini \(\[testenv\] commands, run without tox/);
  const unit = census.proof!.units[0]!;
  assert.deepEqual(
    [unit.runner, unit.tests, unit.command],
    ['unittest', 'tests/test_acceptance_*.py', 'python3 -m unittest -v {files}'],
  );
  assert.equal(unit.verified?.status, 'passed', JSON.stringify(unit.verified));
});
