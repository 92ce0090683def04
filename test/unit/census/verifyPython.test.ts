// init's verification of Python projects (issue 70's held-out shapes). In a worktree with the checkout
// hidden, a virtualenv linked from the checkout whose editable install (`pip install -e .`) names the
// checkout still imports the project, from the worktree's copy, as the install would (bleach's pytest
// config imports the package). A suite failing on the base only because the interpreter it runs lacks a
// package (colorama's `make test` on the `python` on PATH, without `mock`) says so and is no reason for
// advisory proof. Tox's commands run without tox (it is not installed) run from the project's own
// virtualenv, without pytest-cov's options (h11: pytest named only in test-requirements.txt and tox.ini).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { takeCensus } from '../../../src/core/census/census';
import { censusDocument } from '../../../src/core/census/init/configDocument';
import { causeOf } from '../../../src/core/census/verify/verifyClassify';
import { PYTHON_WHEELS } from '../../support/pythonEnv';
import { verifyCensus } from '../../../src/core/census/verify/verify';
import { commitAll, makeRepo } from '../../support/census';

test("a virtualenv's editable install naming the checkout imports the worktree's copy at init", async () => {
  const repo = await makeRepo({
    '.gitignore': '.venv/\n',
    'pyproject.toml': '[project]\nname = "pkg"\nversion = "1.0"\n',
    'pkg/__init__.py': 'VALUE = 1\n',
    // A script outside the package: its folder, not the repository's, is first on sys.path.
    'tools/check.py': 'import pkg\nassert pkg.VALUE == 1\n',
    Makefile: 'test:\n\t.venv/bin/python tools/check.py\n',
  });
  try {
    commitAll(repo.dir);
    execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', '.venv'], { cwd: repo.dir });
    const lib = join(repo.dir, '.venv/lib');
    const site = join(lib, readdirSync(lib)[0]!, 'site-packages');
    mkdirSync(site, { recursive: true });
    // What setuptools' legacy develop install writes: the checkout's path.
    writeFileSync(join(site, 'easy-install.pth'), `${repo.dir}\n`);
    const census = await takeCensus(repo.dir);
    await verifyCensus(repo.dir, census, { trusted: true, timeoutSec: 30 });
    const layer = census.layers[0]!;
    const at = layer.validate.findIndex((v) => v.command === 'make test');
    assert.ok(at >= 0, JSON.stringify(layer.validate));
    assert.equal(layer.verified![at]!.status, 'passed', JSON.stringify(layer.verified![at]));
  } finally {
    await repo.cleanup();
  }
});

test('a suite failing on the base for a module its interpreter lacks needs that package: proof stays required', async () => {
  assert.deepEqual(
    causeOf(
      "ImportError: Failed to import test module: pkg.tests.x_test\nModuleNotFoundError: No module named 'mock'\n",
    ),
    { needs: 'package', what: 'the Python module mock' },
  );
  // A submodule of the project's own that is gone is the code's: no cause.
  assert.equal(causeOf("ModuleNotFoundError: No module named 'pkg.gone'"), undefined);
  const repo = await makeRepo({
    'pyproject.toml': '[project]\nname = "pkg"\nversion = "1.0"\n',
    'pkg/__init__.py': 'VALUE = 1\n',
    'pkg/tests/__init__.py': '',
    'pkg/tests/value_test.py':
      'import unittest\nimport not_installed_here_0c1d\nfrom .. import VALUE\n\nclass T(unittest.TestCase):\n    def test_value(self):\n        self.assertEqual(VALUE, 1)\n',
    Makefile: "test:\n\tpython3 -m unittest discover -p '*_test.py'\n",
  });
  try {
    commitAll(repo.dir);
    const census = await takeCensus(repo.dir);
    await verifyCensus(repo.dir, census, { trusted: true, timeoutSec: 30 });
    const text = censusDocument(census).toString({ lineWidth: 0 });
    assert.match(
      text,
      /# not a gate: make test .*needs the Python module not_installed_here_0c1d, not installed for the interpreter it runs/,
    );
    assert.match(text, /\n {2}mode: required #/, text);
  } finally {
    await repo.cleanup();
  }
});

test("tox's pytest run without tox is the project's virtualenv's, without pytest-cov's options: the unit suite is a gate", async () => {
  const repo = await makeRepo({
    '.gitignore': '.venv/\n',
    'test-requirements.txt': 'pytest\npytest-cov\n',
    'tox.ini':
      '[tox]\nenvlist = py3\n\n[testenv]\ndeps = -r{toxinidir}/test-requirements.txt\ncommands = pytest --cov=pkg --cov-config=.coveragerc pkg\n',
    '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - run: pip install tox\n      - run: tox\n',
    'setup.py': 'from setuptools import setup\nsetup(name="pkg", packages=["pkg"])\n',
    'pkg/__init__.py': 'VALUE = 1\n',
    'pkg/tests/__init__.py': '',
    'pkg/tests/test_value.py': 'from .. import VALUE\n\n\ndef test_value():\n    assert VALUE == 1\n',
  });
  try {
    commitAll(repo.dir);
    const venv = join(repo.dir, '.venv');
    execFileSync('python3', ['-m', 'venv', '--without-pip', venv]);
    execFileSync('python3', [
      '-m',
      'pip',
      '--python',
      join(venv, 'bin/python'),
      'install',
      '-q',
      '--no-index',
      '--find-links',
      PYTHON_WHEELS,
      'pytest',
    ]);
    const census = await takeCensus(repo.dir);
    await verifyCensus(repo.dir, census, { trusted: true, timeoutSec: 60 });
    const layer = census.layers[0]!;
    const at = layer.validate.findIndex((v) => v.command === '.venv/bin/pytest pkg');
    assert.ok(at >= 0, JSON.stringify(layer.validate));
    assert.equal(layer.verified![at]!.status, 'passed', JSON.stringify(layer.verified![at]));
    assert.match(layer.validate[at]!.origin, /^tox\.ini \(\[testenv\] commands, run without tox/);
  } finally {
    await repo.cleanup();
  }
});
