/**
 * `init` on a fresh repository of the stacks the test machine always has (Node, and Python with the
 * setup's pytest): the proof section it writes names a command that ran (on its probe, in the
 * throwaway worktree), and that command then runs the proof tests a proof agent would write there,
 * naming each with its outcome. The other runners' commands and probes are unit-tested
 * (test/unit/census/proofProposal, proofVerify); cargo, Maven and Go were tried by hand.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import picomatch from 'picomatch';
import { initFromCensus } from '../../../src/core/census/init/initFromCensus';
import { withFiles as withProofFiles } from '../../../src/core/proofTests';
import { loadConfig } from '../../../src/core/project/config/config';
import { commitAll, git, json, makeRepo } from '../../support/census';
import { pythonVenv } from '../../support/pythonEnv';

/** This process's environment without node:test's marker (a node --test started here would skip its files). */
function environment(): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  return env;
}

interface Stack {
  files: Record<string, string>;
  /** A proof test as the proof agent writes one: REQ-1.1 passes on this code, REQ-1.2 does not. */
  proofTest: { path: string; content: string };
  tests: string;
  command: string;
}

/**
 * init, then the proof test run by the written command: the glob holds its file, the run fails
 * (REQ-1.2 is red) and names REQ-1.1 as passed and REQ-1.2 as failed.
 */
async function initAndProve(stack: Stack): Promise<void> {
  const repo = await makeRepo(stack.files);
  try {
    commitAll(repo.dir);
    const report = await initFromCensus(repo.dir, { trusted: true, timeoutSec: 240, budgetSec: 600 });
    const unit = report.census.proof!.units[0]!;
    assert.equal(unit.verified?.status, 'passed', JSON.stringify(unit.verified));
    const config = await loadConfig(repo.dir);
    assert.equal(config.proof.mode, 'required');
    assert.deepEqual(config.proof.tests, [stack.tests]);
    assert.deepEqual(config.proof.command, [stack.command]);
    const status = git(repo.dir, 'status', '--porcelain', '--untracked-files=all')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    assert.deepEqual(
      status.filter((path) => !path.startsWith('.claude/') && path !== '.gitignore'),
      [],
      'verification wrote nothing into the repository',
    );

    assert.ok(picomatch(stack.tests)(stack.proofTest.path), `${stack.proofTest.path} is inside ${stack.tests}`);
    await mkdir(dirname(join(repo.dir, stack.proofTest.path)), { recursive: true });
    await writeFile(join(repo.dir, stack.proofTest.path), stack.proofTest.content);
    const run = spawnSync('sh', ['-c', `${withProofFiles(config.proof.command[0]!, [stack.proofTest.path])} 2>&1`], {
      cwd: repo.dir,
      encoding: 'utf8',
      env: environment(),
      timeout: 240_000,
    });
    assert.notEqual(run.status, 0, run.stdout);
    const lines = run.stdout.split('\n');
    const naming = (id: RegExp) => lines.filter((line) => id.test(line)).join('\n');
    assert.match(naming(/REQ[-_]?1[._]?1(?!\d)/i), /✔|\bPASSED\b|\.\.\. ok|--- PASS/, run.stdout);
    assert.match(naming(/REQ[-_]?1[._]?2(?!\d)/i), /✖|\bFAILED\b|--- FAIL/, run.stdout);
  } finally {
    await repo.cleanup();
  }
}

test("node --test: the proof section runs a proof test beside the project's own tests", async () => {
  await initAndProve({
    files: {
      'package.json': json({ name: 'calc', type: 'module', scripts: { test: "node --test 'test/**/*.test.js'" } }),
      'src/calc.js': 'export const add = (a, b) => a + b;\n',
      'test/calc.test.js':
        "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/calc.js';\ntest('adds', () => assert.equal(add(1, 2), 3));\n",
    },
    tests: 'test/acceptance/**',
    command: 'node --test --test-reporter=spec {files}',
    proofTest: {
      path: 'test/acceptance/totals.test.js',
      content:
        "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../../src/calc.js';\ntest('REQ-1.1 adds two numbers', () => assert.equal(add(2, 2), 4));\ntest('REQ-1.2 adds three numbers', () => assert.equal(add(1, 2, 3), 6));\n",
    },
  });
});

test("pytest in a subfolder: the project's CI runner, in its testpaths", async () => {
  // pytest from the test's own venv, first on PATH as an activated venv puts it (the setup's python step).
  const python = pythonVenv();
  const deactivate = python.activate();
  try {
    await initAndProve({
      files: {
        'api/pyproject.toml':
          '[project]\nname = "calc"\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\naddopts = "-q"\n',
        'api/calc/__init__.py': 'def add(*xs):\n    return xs[0] + xs[1]\n',
        'api/conftest.py': '',
        'api/tests/test_calc.py': 'from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n',
        '.github/workflows/ci.yml':
          'jobs:\n  t:\n    steps:\n      - run: python3 -m pytest\n        working-directory: api\n',
      },
      tests: 'api/tests/acceptance/**',
      // The trust rule made it the tool's own program, as it did the validate command: `python3 -m` would import an `api/pytest.py` the layer owns.
      command: 'cd api && pytest -rA -v {files}',
      proofTest: {
        path: 'api/tests/acceptance/test_totals.py',
        content:
          'from calc import add\n\n\ndef test_REQ_1_1_adds_two_numbers():\n    assert add(2, 2) == 4\n\n\ndef test_REQ_1_2_adds_three_numbers():\n    assert add(1, 2, 3) == 6\n',
      },
    });
  } finally {
    deactivate();
    python.cleanup();
  }
});
