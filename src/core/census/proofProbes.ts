/**
 * The probe a proof command is verified on: one test file, in the unit's proof folder and its
 * language, with a passing test (`REQ-0.1 orchestrator probe green`) and a failing one
 * (`REQ-0.2 … red`). It checks what the run relies on: the command runs a file written there,
 * a failing test fails it, and its output names each test with its outcome.
 */
import { posix } from 'node:path';
import type { ProofUnit } from './types';

/**
 * How the run reads a test's result from the runner's output, mirrored here so that a command is
 * proposed only if the run can read it: the lines naming the test's criterion id (`REQ-0.1`,
 * `test_REQ_0_1`, `req01…`); failed when one carries a failure mark, passed when one carries a pass
 * mark, else unreported. The proof room's outcome reader holds the same words (it sits on a floor
 * above the census, so the census cannot import it).
 */
const FAIL = /●|\bnot ok\b|\bFAIL(?:ED|URE|S)?\b|\bfailed\b|\bERROR\b|✖|✕|×|✘|\(FAILED\b|<<< FAIL|\[FAIL\]|\bFailed\b/;
const PASS = /^\s*ok\b|\bPASS(?:ED)?\b|\bpassed\b|✔|✓|√|\.\.\.\s*ok\b|\[PASS\]|\bPassed\b/;
/** `REQ-0.1` as runners spell it in a name: `REQ-0.1`, `REQ_0_1`, `req01`. */
const GREEN = /(?<![A-Za-z0-9])REQ[^A-Za-z0-9\n]?0[^A-Za-z0-9\n]?1(?![0-9]|[._-]?[0-9])/i;
const RED = /(?<![A-Za-z0-9])REQ[^A-Za-z0-9\n]?0[^A-Za-z0-9\n]?2(?![0-9]|[._-]?[0-9])/i;

type ProbeResult = 'passed' | 'failed' | 'unreported';

function resultOf(lines: readonly string[], id: RegExp): ProbeResult {
  const naming = lines.filter((line) => id.test(line));
  if (naming.some((line) => FAIL.test(line))) return 'failed';
  return naming.some((line) => PASS.test(line)) ? 'passed' : 'unreported';
}

export function probeContent(unit: Pick<ProofUnit, 'runner' | 'language' | 'probe'>): string {
  const { extension, framework } = unit.language;
  switch (unit.runner) {
    case 'node':
    case 'vitest':
    case 'jest': {
      const from = unit.runner === 'node' ? "import { test } from 'node:test';\n\n" : unit.runner === 'vitest' ? "import { test } from 'vitest';\n\n" : '';
      return `${from}test('REQ-0.1 orchestrator probe green', () => {});\n\ntest('REQ-0.2 orchestrator probe red', () => {\n  throw new Error('the probe is red on purpose');\n});\n`;
    }
    case 'pytest':
      return 'def test_REQ_0_1_orchestrator_probe_green():\n    pass\n\n\ndef test_REQ_0_2_orchestrator_probe_red():\n    raise AssertionError("the probe is red on purpose")\n';
    case 'go': {
      const name = posix.basename(posix.dirname(unit.probe)).replace(/\W/g, '_').replace(/^(\d)/, '_$1') || 'acceptance';
      return `package ${name}\n\nimport "testing"\n\nfunc TestOrchestratorProbe(t *testing.T) {\n\tt.Run("REQ-0.1 orchestrator probe green", func(t *testing.T) {})\n\tt.Run("REQ-0.2 orchestrator probe red", func(t *testing.T) { t.Fatal("the probe is red on purpose") })\n}\n`;
    }
    case 'cargo':
      return '#[test]\nfn req_0_1_orchestrator_probe_green() {}\n\n#[test]\nfn req_0_2_orchestrator_probe_red() {\n    panic!("the probe is red on purpose");\n}\n';
    case 'dotnet': {
      const test = framework === 'nunit' ? 'NUnit.Framework.Test' : framework === 'mstest' ? 'Microsoft.VisualStudio.TestTools.UnitTesting.TestMethod' : 'Xunit.Fact';
      const fixture = framework === 'mstest' ? '[Microsoft.VisualStudio.TestTools.UnitTesting.TestClass]\n    ' : '';
      return `namespace Acceptance\n{\n    ${fixture}public class OrchestratorProbe\n    {\n        [${test}]\n        public void Req01OrchestratorProbeGreen() { }\n\n        [${test}]\n        public void Req02OrchestratorProbeRed() { throw new System.Exception("the probe is red on purpose"); }\n    }\n}\n`;
    }
    case 'maven':
    case 'gradle': {
      const pkg = posix.dirname(unit.probe).replace(/^.*src\/test\/[a-z]+\/?/, '').replace(/\//g, '.');
      const annotation = framework === 'junit4' ? 'org.junit.Test' : 'org.junit.jupiter.api.Test';
      if (extension === 'kt') {
        return `${pkg ? `package ${pkg}\n\n` : ''}import ${annotation}\n\nclass OrchestratorProbeTest {\n    @Test\n    fun req01OrchestratorProbeGreen() {}\n\n    @Test\n    fun req02OrchestratorProbeRed() {\n        throw AssertionError("the probe is red on purpose")\n    }\n}\n`;
      }
      return `${pkg ? `package ${pkg};\n\n` : ''}import ${annotation};\n\npublic class OrchestratorProbeTest {\n    @Test\n    public void req01OrchestratorProbeGreen() {}\n\n    @Test\n    public void req02OrchestratorProbeRed() {\n        throw new AssertionError("the probe is red on purpose");\n    }\n}\n`;
    }
    case 'phpunit':
      return "<?php\n\nuse PHPUnit\\Framework\\TestCase;\n\nfinal class OrchestratorProbeTest extends TestCase\n{\n    public function testReq01OrchestratorProbeGreen(): void\n    {\n        $this->assertTrue(true);\n    }\n\n    public function testReq02OrchestratorProbeRed(): void\n    {\n        $this->fail('the probe is red on purpose');\n    }\n}\n";
    case 'pest':
      return "<?php\n\ntest('REQ-0.1 orchestrator probe green', function () {\n    expect(true)->toBeTrue();\n});\n\ntest('REQ-0.2 orchestrator probe red', function () {\n    throw new Exception('the probe is red on purpose');\n});\n";
    case 'rspec':
      return "RSpec.describe 'Orchestrator probe' do\n  it('REQ-0.1 orchestrator probe green') { expect(1).to eq(1) }\n  it('REQ-0.2 orchestrator probe red') { raise 'the probe is red on purpose' }\nend\n";
  }
}

export type ProbeVerdict = { ok: true } | { ok: false; why: string };

/** What a probe run must show: the passing test read as passed, the failing one as failed, and a failing run. */
export function judgeProbe(exitCode: number | null, output: string): ProbeVerdict {
  const lines = output.split(/\r?\n/);
  const green = resultOf(lines, GREEN);
  const red = resultOf(lines, RED);
  if (green === 'unreported') return { ok: false, why: 'the passing probe test (REQ-0.1) reads as unreported: no line names it with a pass mark (surefire and rspec\'s documentation format print none; Gradle does with testLogging events "passed")' };
  if (green === 'failed') return { ok: false, why: 'the passing probe test (REQ-0.1) reads as failed: a line naming it carries a failure mark' };
  if (red !== 'failed') return { ok: false, why: `the failing probe test (REQ-0.2) reads as ${red === 'passed' ? 'passed' : 'unreported'}: its failure is not marked on a line naming it` };
  if (exitCode === 0) return { ok: false, why: 'a failing test did not fail the command (exit 0)' };
  return { ok: true };
}

