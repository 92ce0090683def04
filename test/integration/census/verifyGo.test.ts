import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { initFromCensus } from '../../../src/core/census/init/initFromCensus';
import { testVerdicts, withFiles } from '../../../src/core/proofTests';
import { commitAll, makeRepo } from '../../support/census';

const hasGo = (() => {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test(
  "Go: init verifies its probe as a file of the module's root package (golang-jwt's shape), and the proof command runs a proof test there calling an unexported function, and none of the package's own tests",
  { skip: !hasGo && 'go is not installed' },
  async () => {
    const repo = await makeRepo({
      'go.mod': 'module example.com/jwt\n\ngo 1.19\n',
      'parser.go':
        'package jwt\n\nimport "strings"\n\nfunc splitToken(s string) []string { return strings.Split(s, ".") }\n',
      'parser_test.go':
        'package jwt\n\nimport "testing"\n\nfunc TestParse(t *testing.T) {\n\tif len(splitToken("a.b")) != 2 {\n\t\tt.Fatal("split")\n\t}\n}\n',
      '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - run: go test ./...\n',
    });
    try {
      commitAll(repo.dir);
      const report = await initFromCensus(repo.dir, { trusted: true, budgetSec: 300 });
      const unit = report.census.proof!.units[0]!;
      assert.equal(unit.tests, '{acceptance_*_test.go,[^.]*/**/acceptance_*_test.go}');
      assert.equal(unit.probe, 'acceptance_orchestrator_probe_test.go');
      assert.equal(unit.verified?.status, 'passed', JSON.stringify(unit.verified));

      // A proof test of the package, as the fix's own table test is: it calls the unexported splitToken.
      writeFileSync(
        join(repo.dir, 'acceptance_split_test.go'),
        'package jwt\n\nimport "testing"\n\nfunc Test_REQ_1_1_SplitToken(t *testing.T) {\n\tif len(splitToken("a.b.c")) != 3 {\n\t\tt.Fatal("three parts")\n\t}\n}\n',
      );
      // The package's own test now fails: the proof command runs the proof test alone.
      writeFileSync(
        join(repo.dir, 'parser_test.go'),
        'package jwt\n\nimport "testing"\n\nfunc TestParse(t *testing.T) { t.Fatal("not ours") }\n',
      );
      const run = spawnSync('sh', ['-c', withFiles(unit.command, ['acceptance_split_test.go'])], {
        cwd: repo.dir,
        encoding: 'utf8',
      });
      const output = run.stdout + run.stderr;
      assert.equal(run.status, 0, output);
      assert.doesNotMatch(output, /TestParse/);
      assert.deepEqual(testVerdicts(output, [{ criterion: 'REQ-1.1', file: 'acceptance_split_test.go' }]), ['passed']);
    } finally {
      await repo.cleanup();
    }
  },
);
