/** What a CLI agent is told, beside its role's own task: where it works, what it may change, how to answer. */
import type { FinalToolName } from '../../agents';
import type { RunnerDefinition } from '../types';

const ANSWER: Record<FinalToolName, string> = {
  submit_spec: 'the finished spec: {title, slug, markdown}',
  submit_result: 'your layer\'s outcome: {status: "done" | "blocked", summary, needs?: {layer, request}}',
  submit_review:
    'your verdict: {verdict: "approved" | "rejected", issues: [{file, line?, severity, problem, fix}], criteria?, equivalent?: [{mutant, why}]}',
  submit_diagnosis: 'the diagnosis: {root_cause, proposed_fix, files}',
  submit_audit: 'the audit: {score, findings: [{id?, severity, description, file?, line?, recommendation}]}',
  submit_proof: 'the proof tests: {tests: [{criterion, file, name} or {criterion, untestable}]}',
};

/** How the answer is given: the CLI's structured output, in the shape of our final tool. */
export function finalAnswerMessage(tool: FinalToolName): string {
  return `When your work is finished, give ${ANSWER[tool]} as your final structured output (it is what the orchestrator reads as ${tool}).`;
}

export function firstMessage(
  def: Pick<RunnerDefinition<FinalToolName>, 'shared' | 'system' | 'context' | 'task' | 'owns' | 'finalTool'>,
  cwd: string,
): string {
  const files =
    def.owns.length > 0
      ? `You may change only files matching: ${def.owns.join(', ')}. Any other change is reverted when you stop, and you are told which.`
      : 'You work read-only: change no file (any change is reverted).';
  return [
    def.task,
    '## How you work here',
    `- You work in ${cwd}, a copy of the project made for you. ${files}`,
    '- Files holding secrets are not in this copy; do not look for them.',
    "- The orchestrator runs the project's validation itself after you stop.",
    `- ${finalAnswerMessage(def.finalTool)}`,
  ].join('\n');
}

export function refusedMessage(
  refused: readonly { path: string; reason: string }[],
  owns: readonly string[],
  tool: FinalToolName,
): string {
  return [
    '## CHANGES REFUSED',
    'The orchestrator refused these changes and put the files back as they were:',
    ...refused.map((r) => `- ${r.path}: ${r.reason}`),
    owns.length > 0
      ? `Only files matching ${owns.join(', ')} may change. Finish your work within them.`
      : 'You work read-only here.',
    finalAnswerMessage(tool),
  ].join('\n');
}

export function malformedMessage(tool: FinalToolName, reason: string): string {
  return [
    '## ANSWER REFUSED',
    `Your final answer was not a valid ${tool}: ${reason}.`,
    finalAnswerMessage(tool),
    'This is the last chance: another invalid answer stops the run.',
  ].join('\n');
}
