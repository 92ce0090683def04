/**
 * GREEN after the last wave (docs/proof.md): every proof test that has not passed since the
 * run's last change runs once more. A failure goes back to the layer its output blames (else
 * the one whose tasks cite the criterion), which runs in FIX mode with the failing test and is
 * validated as always, its due proof tests included, within its own retries. Nobody to send it
 * to, or still failing after that: the run stops naming the criterion, the test and the output.
 * All green: STRENGTH measures how much of the changed code the proof tests pin down.
 */
import type { Spec } from '../../project/specs';
import { runLayer, specBrief } from '../layers';
import { RunStop } from '../../errors';
import type { RunContext } from '../kernel';
import { proveAll, type ProofFailure, strengthAfterGreen } from '../proof';
import type { EntityFocus } from '../agent';

export async function proveAfterLastWave(
  ctx: RunContext,
  spec: Spec,
  focus: EntityFocus,
  mode: 'implement' | 'fix',
): Promise<void> {
  const failures = await proveAll(ctx);
  if (failures.length === 0) return accepted(ctx);
  const unowned = failures.find((f) => !f.owner);
  if (unowned) throw stopped('no layer', unowned.failure);
  for (const { owner, failure } of failures) {
    const layer = owner!;
    ctx.emit({
      type: 'log',
      level: 'info',
      message: `After the last wave a proof test fails on ${layer}'s work: ${layer} runs again in FIX mode with it`,
    });
    const base = specBrief(ctx, { layer, spec, focus, parallelWithDatabase: false, bugfix: mode === 'fix' });
    await runLayer(ctx, {
      layer,
      mode: 'fix',
      brief: { ...base, task: (step) => `${proofFixTask(failure)}\n\n${base.task(step)}` },
      resume: false,
      sinceSeq: ctx.state().lastSeq,
    });
  }
  const still = await proveAll(ctx);
  if (still[0]) throw stopped(still[0].owner ?? 'no layer', still[0].failure);
  await accepted(ctx);
}

/** Every layer green: a change-set's consumers may check against this work while STRENGTH measures it. */
async function accepted(ctx: RunContext): Promise<void> {
  ctx.opts.setMember?.accepted?.();
  await strengthAfterGreen(ctx);
}

function proofFixTask(failure: ProofFailure): string {
  return [
    "## FIX MODE: A PROOF TEST FAILS ON YOUR LAYER'S WORK",
    'After every layer finished, this acceptance test (written from the spec before the code, frozen) fails, and its output points at your files. Make the code pass it; do not change the test.',
    '```',
    failure.output.trim(),
    '```',
  ].join('\n');
}

function stopped(layer: string, failure: ProofFailure): RunStop {
  const report = [
    '## Pipeline stopped: a proof test fails after the last wave',
    `### Layer: ${layer}`,
    `- Command: \`${failure.command}\``,
    '- Last output:',
    '```',
    failure.output.trim() || '(no output)',
    '```',
    '### Action needed',
    'The code does not meet the criterion its test proves. Fix the code (not the test) and run `orchestrator resume`; or change the criterion through the spec gate (`orchestrator change`); or roll the run back with `orchestrator rollback`.',
  ].join('\n');
  return new RunStop(
    'validation',
    `a proof test still fails after the last wave (${failure.output.split('\n')[0]})`,
    report,
  );
}
