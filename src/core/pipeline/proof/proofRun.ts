/**
 * Runs proof tests under validate's rules (the sandbox, the minimal environment, no network but
 * the layer's, `proof.timeoutSec` else `commandTimeoutSec`, the run's cancellation): one process per
 * proof command (per file for a `{file}` command), and each test's result read from its own output
 * (proofTests).
 */
import { trimErrorOutput } from '../../process';
import { redactSecrets } from '../../text/secrets';
import { type CommandCopy, type RunContext, runProjectCommand } from '../kernel';
import {
  type ProofInvocation,
  proofInvocations,
  type ProofTestRef,
  readTests,
  type TestVerdict,
  withFiles,
} from '../../proofTests';

export interface TestRun {
  test: ProofTestRef;
  verdict: TestVerdict;
  command: string;
  /** The command's exit code: 0 passes every test it ran; null when it timed out or could not start. */
  exitCode: number | null;
  /** The command did not end within its limit (the test's verdict then says nothing of the code). */
  timedOut?: true;
  /** The output that concerns this test, secrets masked and trimmed. */
  output: string;
}

/** `place`: a copy of the work tree to run them in (the base, for a test STRENGTH adds), else the workspace. */
export async function runProofTests(
  ctx: RunContext,
  tests: readonly ProofTestRef[],
  layer?: string,
  place?: CommandCopy,
): Promise<TestRun[]> {
  const files = [...new Set(tests.map((t) => t.file))];
  const runs: TestRun[] = [];
  for (const invocation of proofInvocations(ctx.config.proof, files))
    runs.push(
      ...(await runInvocation(
        ctx,
        invocation,
        tests.filter((t) => invocation.files.includes(t.file)),
        layer,
        place,
      )),
    );
  return runs;
}

/**
 * One command's run, each test read from its own output. A runner that stops at a file that cannot
 * load (Mocha, Jasmine) leaves the other files' tests with nothing of their own: those files run
 * again without it, so each is judged by what it does, not by its neighbour. Output that names no
 * file at all is the run's, and each test's.
 */
async function runInvocation(
  ctx: RunContext,
  invocation: ProofInvocation,
  mine: readonly ProofTestRef[],
  layer?: string,
  place?: CommandCopy,
): Promise<TestRun[]> {
  const { command, files, template, perFile } = invocation;
  const result = await runProjectCommand(ctx, command, {
    kind: 'proof',
    ...(layer ? { layer } : {}),
    criteria: mine.map((t) => t.criterion),
    timeoutSec: ctx.config.proof.timeoutSec ?? ctx.config.limits.commandTimeoutSec,
    ...(place ? { place } : {}),
  });
  const output = redactSecrets(result.output).text;
  const readings = readTests(output, result.exitCode, mine, { files, ...(perFile ? { perFile } : {}) });
  const runs = mine.map((test, i): TestRun => ({
    test,
    verdict: readings[i]!.verdict,
    command,
    exitCode: result.exitCode,
    ...(result.timedOut ? { timedOut: true as const } : {}),
    output: trimErrorOutput(readings[i]!.output),
  }));
  const silent = files.filter((file) =>
    runs.every((r) => r.test.file !== file || (r.verdict === 'unreported' && r.output === '')),
  );
  if (result.exitCode === null || silent.length === 0) return runs;
  // Nothing in the output is any file's: it is the run's (a crash, a config error), each test's.
  if (silent.length === files.length) return runs.map((run) => ({ ...run, output: trimErrorOutput(output) }));
  const again = await runInvocation(
    ctx,
    { ...invocation, command: withFiles(template, silent), files: silent },
    mine.filter((t) => silent.includes(t.file)),
    layer,
    place,
  );
  return runs.map((run) => again.find((r) => r.test === run.test) ?? run);
}
