import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { takeCensus } from '../../../src/core/census/census';
import { censusDocument } from '../../../src/core/census/init/configDocument';
import { initFromCensus } from '../../../src/core/census/init/initFromCensus';
import { withFiles as withProofFiles } from '../../../src/core/proofTests';
import { judgeProbe } from '../../../src/core/census/proof/proofProbes';
import { verifyCensus } from '../../../src/core/census/verify/verify';
import { loadConfig } from '../../../src/core/project/config/config';
import { commitAll, git, json, makeRepo } from '../../support/census';

/** This process's environment without node:test's own marker, which would make a node --test started here skip its files. */
function withoutTestContext(): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  return env;
}

const nodeProject = {
  'package.json': json({ name: 'calc', type: 'module', scripts: { test: "node --test 'test/**/*.test.js'" } }),
  'src/calc.js': 'export const add = (a, b) => a + b;\n',
  'test/calc.test.js':
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/calc.js';\ntest('adds', () => assert.equal(add(1, 2), 3));\n",
};

test('init verifies the proof command on a probe in the throwaway worktree: it passes, nothing is left in the repository, and the written command runs a proof test the run can read', async () => {
  const repo = await makeRepo(nodeProject);
  try {
    commitAll(repo.dir);
    const started: string[] = [];
    const report = await initFromCensus(repo.dir, {
      trusted: true,
      budgetSec: 120,
      onStart: (command) => started.push(command),
    });
    const unit = report.census.proof!.units[0]!;
    assert.equal(unit.verified?.status, 'passed', JSON.stringify(unit.verified));
    assert.ok(started.includes('node --test --test-reporter=spec {files}'), 'hosts see the probe run start');
    const status = git(repo.dir, 'status', '--porcelain', '--untracked-files=all')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    assert.deepEqual(
      status.filter((path) => !path.startsWith('.claude/') && path !== '.gitignore'),
      [],
      'the probe was written into the worktree only',
    );
    assert.ok(!existsSync(join(repo.dir, 'test/acceptance')));

    const config = await loadConfig(repo.dir);
    assert.equal(config.proof.mode, 'required');
    // A proof test as the proof agent would write it, run by the written command.
    await mkdir(join(repo.dir, 'test/acceptance'));
    await writeFile(
      join(repo.dir, 'test/acceptance/totals.test.js'),
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../../src/calc.js';\ntest('REQ-1.1 adds two numbers', () => assert.equal(add(2, 2), 4));\n",
    );
    const output = execFileSync(
      'sh',
      ['-c', `${withProofFiles(config.proof.command[0]!, ['test/acceptance/totals.test.js'])} 2>&1`],
      { cwd: repo.dir, encoding: 'utf8', env: withoutTestContext() },
    );
    assert.match(output, /✔ REQ-1\.1 adds two numbers/);
  } finally {
    await repo.cleanup();
  }
});

test('a proof command the run could not read is not proposed: one whose output names no test, one a failing test does not fail; the mode is off, saying why', async () => {
  const repo = await makeRepo(nodeProject);
  try {
    commitAll(repo.dir);
    for (const [command, why] of [
      ['node --test --test-reporter=dot {files}', /the passing probe test \(REQ-0\.1\) reads as unreported/],
      ['node --test --test-reporter=spec {files} || true', /a failing test did not fail the command \(exit 0\)/],
    ] as const) {
      const census = await takeCensus(repo.dir);
      const unit = census.proof!.units[0]!;
      // The command in every place the unit may be tried (a place beside the tests is one).
      for (const place of [unit, ...(unit.alternatives ?? [])]) place.command = command;
      await verifyCensus(repo.dir, census, { trusted: true });
      const outcome = census.proof!.units[0]!.verified!;
      assert.equal(outcome.status, 'failed', command);
      assert.match(outcome.status === 'failed' ? outcome.firstLines[0]! : '', why);
      const text = censusDocument(census).toString({ lineWidth: 0 });
      assert.match(
        text,
        /^ {2}mode: off # no proof command works on this repository as it is \(calc: fails on a probe: /m,
      );
      assert.ok(text.includes(`# not proposed for layer calc: ${command} fails on a probe`), text);
      assert.doesNotMatch(text, /^ {2}command:/m);
    }
  } finally {
    await repo.cleanup();
  }
});

test('outside git and in an untrusted workspace the probe is not run: the command stays proposed, marked not run', async () => {
  const repo = await makeRepo(nodeProject);
  try {
    const census = await takeCensus(repo.dir);
    await verifyCensus(repo.dir, census, { trusted: true });
    assert.deepEqual(census.proof!.units[0]!.verified, {
      status: 'skipped',
      reason: 'not a git repository: a probe test is written only into a throwaway worktree',
    });
    assert.ok(!existsSync(join(repo.dir, 'test/acceptance')), 'nothing written into the folder');
    assert.match(
      censusDocument(census).toString({ lineWidth: 0 }),
      /mode: required[\s\S]*- node --test --test-reporter=spec \{files\} # layer calc; not run: not a git repository/,
    );

    const untrusted = await takeCensus(repo.dir);
    await verifyCensus(repo.dir, untrusted, { trusted: false });
    assert.deepEqual(untrusted.proof!.units[0]!.verified, {
      status: 'skipped',
      reason: 'the workspace is not trusted: nothing from it runs',
    });
  } finally {
    await repo.cleanup();
  }
});

test('{files}: quoted, relative to the folder a leading cd enters', () => {
  assert.equal(
    withProofFiles('cd web && npx vitest run {files}', [
      'web/src/acceptance/a b.test.ts',
      'web/src/acceptance/c.test.ts',
    ]),
    "cd web && npx vitest run 'src/acceptance/a b.test.ts' src/acceptance/c.test.ts",
  );
  assert.equal(
    withProofFiles('pytest -rA -v {files}', ['tests/acceptance/test_x.py']),
    'pytest -rA -v tests/acceptance/test_x.py',
  );
});

/** What the shell hands the runner: the command with its files put in and its program replaced by one printing each argument. */
function argumentsOf(command: string, program: RegExp, files: string[], cwd?: string): string[] {
  const line = withProofFiles(command, files)
    .replace(/^cd \S+ && /, '')
    .replace(program, "printf '[%s]\\n'");
  return execFileSync('sh', ['-c', line], { encoding: 'utf8', ...(cwd ? { cwd } : {}) })
    .trim()
    .split('\n');
}

test('the runners that do not take files get what the files stand for, from the shell: Go packages, Cargo targets, .NET, Surefire, Gradle and PHPUnit classes', async () => {
  // Go: the files' packages (`./` for the module's root), and of them the files' own tests alone.
  const go = `cd api && go test -v -count=1 -run "$(sed -n 's/^func \\(Test[^(]*\\)(.*/\\1/p' {files} | sort -u | paste -sd'|' - | sed 's/.*/^(&)$/')" $(printf '%s\\n' {files} | sed 's|[^/]*$||' | sort -u | sed 's|^|./|')`;
  const module = await makeRepo({
    'api/acceptance_a_test.go': 'package jwt\n\nfunc Test_REQ_1_1_Split(t *testing.T) {}\nfunc helper() {}\n',
    'api/acceptance_b_test.go': 'package jwt\n\nfunc TestOrchestratorProbe(t *testing.T) {}\n',
    'api/cart/acceptance_c_test.go': 'package cart\n\nfunc Test_REQ_1_2_Total(t *testing.T) {}\n',
  });
  assert.deepEqual(
    argumentsOf(
      go,
      /^go test/,
      ['api/acceptance_a_test.go', 'api/acceptance_b_test.go', 'api/cart/acceptance_c_test.go'],
      join(module.dir, 'api'),
    ),
    [
      '[-v]',
      '[-count=1]',
      '[-run]',
      '[^(TestOrchestratorProbe|Test_REQ_1_1_Split|Test_REQ_1_2_Total)$]',
      '[./]',
      '[./cart/]',
    ],
  );
  await module.cleanup();

  const repo = await makeRepo({
    'crates/engine/Cargo.toml': '[package]\nname = "engine"\nversion = "0.1.0"\n',
    'crates/engine/src/lib.rs': 'pub fn f() {}\n',
    'Api/Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
    'Api/Program.cs': '',
    'Api.Tests/Api.Tests.csproj':
      '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="xunit" Version="2.0.0" /></ItemGroup></Project>',
    'Api.Tests/UnitTest1.cs': '',
    'shop/pom.xml': '<project><artifactId>shop</artifactId></project>',
    'shop/src/main/java/Shop.java': '',
    'shop/src/test/java/ShopTest.java': '',
    'app/build.gradle': "dependencies { testImplementation 'org.junit.jupiter:junit-jupiter:5.10.0' }\n",
    'app/src/main/java/App.java': '',
    'app/src/test/java/AppTest.java': '',
    'composer.json': json({ name: 'acme/site', 'require-dev': { 'phpunit/phpunit': '^10' } }),
    'src/Site.php': '<?php',
  });
  try {
    const census = await takeCensus(repo.dir);
    const command = (runner: string) => {
      const unit = census.proof!.units.find((u) => u.runner === runner);
      assert.ok(unit, `no ${runner} proof; ${JSON.stringify(census.proof)}`);
      return unit.command;
    };
    assert.deepEqual(
      argumentsOf(command('cargo'), /^cargo test/, [
        'crates/engine/tests/acceptance_cart.rs',
        'crates/engine/tests/acceptance_login.rs',
      ]),
      ['[--no-fail-fast]', '[--test]', '[acceptance_cart]', '[--test]', '[acceptance_login]'],
    );
    assert.deepEqual(
      argumentsOf(command('dotnet'), /^dotnet test/, [
        'Api.Tests/Acceptance/CartTests.cs',
        'Api.Tests/Acceptance/LoginTests.cs',
      ]),
      [
        '[--logger]',
        '[console;verbosity=detailed]',
        '[--filter]',
        '[FullyQualifiedName~.CartTests.|FullyQualifiedName~.LoginTests.]',
      ],
    );
    assert.deepEqual(
      argumentsOf(command('maven'), /^mvn -B/, [
        'shop/src/test/java/acceptance/CartTest.java',
        'shop/src/test/java/acceptance/login/LoginTest.java',
      ]).slice(-2),
      ['[-Dtest=acceptance/CartTest.java,acceptance/login/LoginTest.java]', '[test]'],
    );
    assert.deepEqual(
      argumentsOf(command('gradle'), /^gradle test/, [
        'app/src/test/java/acceptance/CartTest.java',
        'app/src/test/java/acceptance/login/LoginTest.java',
      ]),
      ['[--tests]', '[acceptance.CartTest]', '[--tests]', '[acceptance.login.LoginTest]'],
    );
    assert.deepEqual(
      argumentsOf(command('phpunit'), /^vendor\/bin\/phpunit/, [
        'tests/Acceptance/CartTest.php',
        'tests/Acceptance/LoginTest.php',
      ]),
      ['[--testdox]', '[--filter]', '[CartTest|LoginTest]', '[tests/Acceptance]'],
    );
  } finally {
    await repo.cleanup();
  }
});

test('a probe run is read as the run reads results: by the criterion id on a line, with its pass or failure mark', () => {
  const ok = { ok: true };
  // node --test's spec reporter, pytest -rA -v, cargo test, go test -v, dotnet's detailed logger, testdox.
  assert.deepEqual(
    judgeProbe(
      1,
      '✔ REQ-0.1 orchestrator probe green (0.3ms)\n✖ REQ-0.2 orchestrator probe red (0.5ms)\n',
      'test/acceptance/probe.test.js',
    ),
    ok,
  );
  assert.deepEqual(
    judgeProbe(
      1,
      'tests/acceptance/test_orchestrator_probe.py::test_REQ_0_1_orchestrator_probe_green PASSED [ 50%]\ntests/acceptance/test_orchestrator_probe.py::test_REQ_0_2_orchestrator_probe_red FAILED [100%]\n',
      'test/acceptance/probe.test.js',
    ),
    ok,
  );
  assert.deepEqual(
    judgeProbe(
      101,
      'test req_0_1_orchestrator_probe_green ... ok\ntest req_0_2_orchestrator_probe_red ... FAILED\n',
      'test/acceptance/probe.test.js',
    ),
    ok,
  );
  assert.deepEqual(
    judgeProbe(
      1,
      '=== RUN   TestOrchestratorProbe/REQ-0.1_orchestrator_probe_green\n    --- PASS: TestOrchestratorProbe/REQ-0.1_orchestrator_probe_green (0.00s)\n    --- FAIL: TestOrchestratorProbe/REQ-0.2_orchestrator_probe_red (0.00s)\n',
      'test/acceptance/probe.test.js',
    ),
    ok,
  );
  assert.deepEqual(
    judgeProbe(
      1,
      '  Passed Acceptance.OrchestratorProbe.Req01OrchestratorProbeGreen [2 ms]\n  Failed Acceptance.OrchestratorProbe.Req02OrchestratorProbeRed [4 ms]\n',
      'test/acceptance/probe.test.js',
    ),
    ok,
  );
  assert.deepEqual(
    judgeProbe(
      1,
      ' ✔ Req01 orchestrator probe green\n ✘ Req02 orchestrator probe red\n',
      'test/acceptance/probe.test.js',
    ),
    ok,
  );
  // Surefire names a passing test with no mark (and at [ERROR] when its class failed); rspec's documentation format names it bare, read by its summary.
  assert.equal(
    judgeProbe(
      1,
      '[ERROR] acceptance.OrchestratorProbeTest.req02OrchestratorProbeRed -- Time elapsed: 0.09 s <<< FAILURE!\n[ERROR] acceptance.OrchestratorProbeTest.req01OrchestratorProbeGreen -- Time elapsed: 0.003 s\n',
      'test/acceptance/probe.test.js',
    ).ok,
    false,
  );
  assert.equal(
    judgeProbe(
      1,
      'Orchestrator probe\n  REQ-0.1 orchestrator probe green\n  REQ-0.2 orchestrator probe red (FAILED - 1)\n',
      'spec/acceptance/probe_spec.rb',
    ).ok,
    false,
    'without its summary a bare line is no pass',
  );
  assert.deepEqual(
    judgeProbe(
      1,
      "Orchestrator probe\n  REQ-0.1 orchestrator probe green\n  REQ-0.2 orchestrator probe red (FAILED - 1)\n\nFailures:\n\n  1) Orchestrator probe REQ-0.2 orchestrator probe red\n     Failure/Error: raise 'the probe is red on purpose'\n\nFinished in 0.002 seconds (files took 0.05 seconds to load)\n2 examples, 1 failure\n\nFailed examples:\n\nrspec ./spec/acceptance/probe_spec.rb:3 # Orchestrator probe REQ-0.2 orchestrator probe red\n",
      'spec/acceptance/probe_spec.rb',
    ),
    ok,
  );
  // REQ-0.1 never stands for REQ-0.12.
  assert.equal(
    judgeProbe(1, '✔ REQ-0.12 something else\n✖ REQ-0.2 orchestrator probe red\n', 'test/acceptance/probe.test.js').ok,
    false,
  );
});
