/**
 * The probe a proof command is verified on: one test file, in the unit's proof folder and its
 * language, with a passing test (`REQ-0.1 orchestrator probe green`) and a failing one
 * (`REQ-0.2 … red`). It checks what the run relies on: the command runs a file written there,
 * a failing test fails it, and its output names each test with its outcome.
 */
import { posix } from 'node:path';
import { testVerdicts } from '../../proofTests';
import type { ProofUnit } from '../types';

export function probeContent(unit: Pick<ProofUnit, 'runner' | 'language' | 'probe'>): string {
  const { extension, framework } = unit.language;
  switch (unit.runner) {
    case 'node':
    case 'vitest':
    case 'jest': {
      const from =
        unit.runner === 'node'
          ? "import { test } from 'node:test';\n\n"
          : unit.runner === 'vitest'
            ? "import { test } from 'vitest';\n\n"
            : unit.language.imports?.includes('@jest/globals')
              ? `${jsImport(framework, '{ test }', '@jest/globals')}`
              : '';
      return `${from}test('REQ-0.1 orchestrator probe green', () => {});\n\ntest('REQ-0.2 orchestrator probe red', () => {\n  throw new Error('the probe is red on purpose');\n});\n`;
    }
    case 'mocha':
    case 'jasmine': {
      // Their `it` is a global, in a CommonJS file or an ES module alike; imported from mocha, and chai's expect used,
      // where the project's tests do (a lint rule on test imports then judges the folder as it will a proof test).
      const imports = unit.language.imports ?? [];
      const chai = imports.includes('chai');
      const head = `${chai ? jsImport(framework, '{ expect }', 'chai').trimEnd() + '\n' : ''}${imports.includes('mocha') ? jsImport(framework, '{ it }', 'mocha').trimEnd() + '\n' : ''}`;
      return `${head === '' ? '' : `${head}\n`}it('REQ-0.1 orchestrator probe green', () => {${chai ? '\n  expect(true).to.equal(true);\n' : ''}});\n\nit('REQ-0.2 orchestrator probe red', () => {\n  throw new Error('the probe is red on purpose');\n});\n`;
    }
    case 'ava':
      return `${jsImport(framework, 'test', 'ava')}test('REQ-0.1 orchestrator probe green', (t) => {\n  t.pass();\n});\n\ntest('REQ-0.2 orchestrator probe red', (t) => {\n  t.fail('the probe is red on purpose');\n});\n`;
    case 'tap':
      return `${jsImport(framework, 't', 'tap')}t.test('REQ-0.1 orchestrator probe green', async (t) => {\n  t.pass('green');\n});\n\nt.test('REQ-0.2 orchestrator probe red', async (t) => {\n  t.fail('the probe is red on purpose');\n});\n`;
    case 'uvu':
      return `${framework === 'cjs' ? "const { test } = require('uvu');\n\n" : "import { test } from 'uvu';\n\n"}test('REQ-0.1 orchestrator probe green', () => {});\n\ntest('REQ-0.2 orchestrator probe red', () => {\n  throw new Error('the probe is red on purpose');\n});\n\ntest.run();\n`;
    case 'script':
      // Whatever the runner, a file that throws as it loads fails it: the probe shows the script runs the file it is given.
      return `throw new Error('${SCRIPT_PROBE}');\n`;
    case 'pytest':
      return 'def test_REQ_0_1_orchestrator_probe_green():\n    pass\n\n\ndef test_REQ_0_2_orchestrator_probe_red():\n    raise AssertionError("the probe is red on purpose")\n';
    case 'unittest':
      return 'import unittest\n\n\nclass OrchestratorProbe(unittest.TestCase):\n    def test_REQ_0_1_orchestrator_probe_green(self):\n        pass\n\n    def test_REQ_0_2_orchestrator_probe_red(self):\n        self.fail("the probe is red on purpose")\n';
    case 'go': {
      // A file of the package it is written in (a configuration before that one: a folder of its own, named after it).
      const name =
        unit.language.package ??
        (posix.basename(posix.dirname(unit.probe)).replace(/\W/g, '_').replace(/^(\d)/, '_$1') || 'acceptance');
      return `package ${name}\n\nimport "testing"\n\nfunc TestOrchestratorProbe(t *testing.T) {\n\tt.Run("REQ-0.1 orchestrator probe green", func(t *testing.T) {})\n\tt.Run("REQ-0.2 orchestrator probe red", func(t *testing.T) { t.Fatal("the probe is red on purpose") })\n}\n`;
    }
    case 'cargo':
      return '#[test]\nfn req_0_1_orchestrator_probe_green() {}\n\n#[test]\nfn req_0_2_orchestrator_probe_red() {\n    panic!("the probe is red on purpose");\n}\n';
    case 'dotnet': {
      const test =
        framework === 'nunit'
          ? 'NUnit.Framework.Test'
          : framework === 'mstest'
            ? 'Microsoft.VisualStudio.TestTools.UnitTesting.TestMethod'
            : 'Xunit.Fact';
      const fixture = framework === 'mstest' ? '[Microsoft.VisualStudio.TestTools.UnitTesting.TestClass]\n    ' : '';
      return `namespace Acceptance\n{\n    ${fixture}public class OrchestratorProbe\n    {\n        [${test}]\n        public void Req01OrchestratorProbeGreen() { }\n\n        [${test}]\n        public void Req02OrchestratorProbeRed() { throw new System.Exception("the probe is red on purpose"); }\n    }\n}\n`;
    }
    case 'maven':
    case 'gradle': {
      const pkg = posix
        .dirname(unit.probe)
        .replace(/^.*src\/test\/[a-z]+\/?/, '')
        .replace(/\//g, '.');
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

const SCRIPT_PROBE = 'the orchestrator probe is red on purpose';
/** An import (a default one, or `{ a, b }`) as the file's module system writes it (`framework` is `cjs` for a CommonJS file). */
function jsImport(framework: string | undefined, name: string, from: string): string {
  return framework === 'cjs' ? `const ${name} = require('${from}');\n\n` : `import ${name} from '${from}';\n\n`;
}

export type ProbeVerdict = { ok: true } | { ok: false; why: string };

/**
 * What a probe run must show, read as the run reads its proof tests (proofTests): the passing test
 * passed, the failing one failed, and the command failing. A test script read by its exit code
 * shows that it ran the probe file and failed.
 */
export function judgeProbe(
  exitCode: number | null,
  output: string,
  probe: string,
  runner?: ProofUnit['runner'],
): ProbeVerdict {
  if (runner === 'script') {
    // Read by its exit code, file by file: the probe file ran (its error is in the output) and failed the command.
    if (!output.includes(SCRIPT_PROBE))
      return {
        ok: false,
        why: 'the test script did not run the probe file it was given (its error is not in the output)',
      };
    return exitCode === 0
      ? { ok: false, why: 'a failing test file did not fail the test script (exit 0)' }
      : { ok: true };
  }
  const [green, red] = testVerdicts(output, [
    { criterion: 'REQ-0.1', file: probe },
    { criterion: 'REQ-0.2', file: probe },
  ]);
  if (green === 'unreported')
    return {
      ok: false,
      why: 'the passing probe test (REQ-0.1) reads as unreported: no line names it with a pass mark (surefire prints none; Gradle does with testLogging events "passed")',
    };
  if (green === 'failed')
    return {
      ok: false,
      why: 'the passing probe test (REQ-0.1) reads as failed: a line naming it carries a failure mark',
    };
  if (red !== 'failed')
    return {
      ok: false,
      why: `the failing probe test (REQ-0.2) reads as ${red === 'passed' ? 'passed' : 'unreported'}: its failure is not marked on a line naming it`,
    };
  if (exitCode === 0) return { ok: false, why: 'a failing test did not fail the command (exit 0)' };
  return { ok: true };
}
