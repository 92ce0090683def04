/**
 * Whether this run proves its criteria. `proof.mode` as configured; absent: required when the
 * project's proof command is known (`proof.command`, proposed by `init` or the census of a run
 * without a config), else off, and the run says why in one line; advisory (which `init` writes when
 * the project's own tests fail on the base) is said in one line too: its proof tests fail their layer as
 * required ones do (issue 70: a criterion whose proof test fails at GREEN never ends `completed`).
 */
import type { OrchestratorConfig } from '../../project/config';

export type ProofMode = 'required' | 'advisory' | 'off';

export function proofMode(config: OrchestratorConfig): { mode: ProofMode; why?: string } {
  const { mode, command, tests } = config.proof;
  if (mode === 'off')
    return { mode, why: 'proof per criterion is off (proof.mode: off): "met" is the review\'s judgement only' };
  if (command.length === 0 || tests.length === 0) {
    return {
      mode: 'off',
      why: 'proof per criterion is off: no test command is known for this project (set proof.command and proof.tests, or run `orchestrator init`)',
    };
  }
  if (mode === 'advisory')
    return {
      mode,
      why: "proof per criterion is advisory (proof.mode: advisory): the project's own tests fail on the base, so they are no gate; each criterion's test, run alone, still fails its layer until it passes",
    };
  return { mode: mode ?? 'required' };
}
