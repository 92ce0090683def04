/**
 * Runs proof tests under validate's rules (the sandbox, the minimal environment, no network but
 * the layer's, `commandTimeoutSec`, the run's cancellation): one process per proof command, and
 * each test's result read from its output (proofOutcome.ts).
 */
import { trimErrorOutput } from '../../process';
import { redactSecrets } from '../../text/secrets';
import { type RunContext, runProjectCommand } from '../kernel';
import { proofInvocations } from '../../proofTests';
import { outputOf, type ProofTestRef, runVerdicts, type TestVerdict } from '../../proofTests';

export interface TestRun {
  test: ProofTestRef;
  verdict: TestVerdict;
  command: string;
  /** The command's exit code: 0 passes every test it ran; null when it timed out or could not start. */
  exitCode: number | null;
  /** The output that concerns this test, secrets masked and trimmed. */
  output: string;
}

export async function runProofTests(ctx: RunContext, tests: readonly ProofTestRef[], layer?: string): Promise<TestRun[]> {
  const files = [...new Set(tests.map((t) => t.file))];
  const runs: TestRun[] = [];
  for (const { command, files: group } of proofInvocations(ctx.config.proof, files)) {
    const result = await runProjectCommand(ctx, command, layer);
    const output = redactSecrets(result.output).text;
    const mine = tests.filter((t) => group.includes(t.file));
    const verdicts = runVerdicts(output, result.exitCode, mine);
    mine.forEach((test, i) => runs.push({ test, verdict: verdicts[i]!, command, exitCode: result.exitCode, output: trimErrorOutput(outputOf(output, test)) }));
  }
  return runs;
}
