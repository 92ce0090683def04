/**
 * A phase's human gate (issue 29: `gate: human` on a phase other than SPEC, slice's UAT sign-off).
 * The spec gate's question through the same host call, with the phase and its documents; the
 * answer is journaled (`phase.approved`, `phase.saved`, `phase.changes-requested`) so a saved run
 * continues at this gate (`approve <specId>` journals the approval first; `resume` asks again)
 * and nothing before it runs again. The host always answers it (the CLI's `--approve` host
 * approves): approving the spec (`approve <specId>`) is not a sign-off of the phases after it.
 */
import { join } from 'node:path';
import type { SpecDecision } from '../../host';
import type { StateEvent } from '../../journal';
import { readOptionalText } from '../../project/sources';
import type { WorkflowPhase } from '../../project/workflows';
import { askHuman } from '../phases';
import type { RunContext } from '../kernel';
import { phaseDocuments, specFolder } from './documents';
import { sinceLastCompletion } from './phaseJournal';

export function hasHumanGate(phase: WorkflowPhase): boolean {
  return phase.gate === 'human' || (typeof phase.gate === 'object' && 'human' in phase.gate);
}

/** 'approved' (the phase may close), 'saved' (the run ends waiting here), or 'changes' (the role writes again with the feedback). */
export async function humanGate(ctx: RunContext, phase: WorkflowPhase): Promise<'approved' | 'saved' | 'changes'> {
  const since = sinceLastCompletion(ctx, phase.name);
  // Approved since the phase's documents were last written: by `approve <specId>`, or before a kill.
  if (since.some((event) => event.type === 'phase.approved' && event.phase === phase.name)) return 'approved';
  const specId = ctx.facts().specId;
  if (!specId) throw new Error(`phase ${phase.name}: a human gate needs the run's spec, and there is none`);
  const documents = phaseDocuments(ctx, phase);
  // Decided in the portal while the run was saved here: applied as the host's answer would be.
  const recorded = decidedAway(since, phase.name);
  if (recorded) return answered(ctx, phase, documents, recorded);
  ctx.emit({ type: 'phase.awaiting', phase: phase.name, documents });
  const texts = await Promise.all(
    documents.map(
      async (path) =>
        `<!-- document: ${path} -->\n${(await readOptionalText(join(ctx.workspace, path))) ?? '(not written)'}`,
    ),
  );
  const decision = await askHuman(ctx, {
    specId,
    specPath: ctx.state().specPath ?? `${specFolder(ctx) ?? `spec/active/${specId}`}/spec.md`,
    markdown: texts.join('\n\n'),
    phase: phase.name,
    documents,
  });
  return answered(ctx, phase, documents, decision);
}

/** The portal's decision (`phase.decided`) when it is the gate's latest word, not yet acted on; a save leaves the gate asking. */
function decidedAway(since: readonly StateEvent[], phase: string): SpecDecision | undefined {
  const last = since.filter((event) => GATE_WORDS.has(event.type) && 'phase' in event && event.phase === phase).at(-1);
  if (last?.type !== 'phase.decided' || last.action === 'save') return undefined;
  return last.action === 'approve' ? { action: 'approve' } : { action: 'changes', feedback: last.feedback ?? '' };
}

const GATE_WORDS: ReadonlySet<string> = new Set([
  'phase.awaiting',
  'phase.saved',
  'phase.approved',
  'phase.changes-requested',
  'phase.decided',
]);

function answered(
  ctx: RunContext,
  phase: WorkflowPhase,
  documents: string[],
  decision: SpecDecision,
): 'approved' | 'saved' | 'changes' {
  if (decision.action === 'approve') {
    ctx.emit({ type: 'phase.approved', phase: phase.name });
    return 'approved';
  }
  if (decision.action === 'save') {
    ctx.emit({ type: 'phase.saved', phase: phase.name, documents });
    return 'saved';
  }
  ctx.emit({
    type: 'phase.changes-requested',
    phase: phase.name,
    feedback: decision.feedback.trim() || `Revise the documents of phase ${phase.name}.`,
  });
  return 'changes';
}
