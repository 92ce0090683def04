/**
 * Change requests in any workflow (issue 29): before each role phase the run's inbox is settled
 * as IMPLEMENT settles it (the amendment through the spec gate, the layers it changes fixed), and
 * every role phase that closed before the latest approved amendment and whose inputs come from
 * the spec (directly, through the code, or through an earlier phase that does) writes its
 * documents again with the amendment, passes its gate again and closes again. Phases whose
 * inputs did not change (the census, the request) keep their documents; phases still to come
 * simply read the amended spec.
 */
import { settleChanges } from '../change';
import type { Workflow, WorkflowPhase } from '../../project/workflows';
import { runSpec } from '../phases';
import type { RunContext } from '../kernel';
import type { Amendment } from './rolePhase';

/** A phase whose inputs change when the spec does. */
export function dependsOnSpec(workflow: Workflow, phase: WorkflowPhase, seen = new Set<string>()): boolean {
  if (seen.has(phase.name)) return false;
  seen.add(phase.name);
  for (const input of phase.inputs ?? []) {
    if (input === 'spec') return true;
    const source = workflow.phases.find((p) => p.name === input.split('.')[0]);
    if (!source) continue;
    if (
      source.uses === 'spec' ||
      source.uses === 'implement' ||
      source.uses === 'fix' ||
      dependsOnSpec(workflow, source, seen)
    )
      return true;
  }
  return false;
}

/** The latest approved amendment: where it is in the journal, and what the roles are told. */
export function latestAmendment(ctx: RunContext): Amendment | undefined {
  for (let i = ctx.events.length - 1; i >= 0; i--) {
    const event = ctx.events[i]!;
    if (event.type !== 'change.approved') continue;
    const changes = ctx.events.flatMap((e) => (e.type === 'change.approved' ? [e] : []));
    const requests = new Map(
      ctx.events.flatMap((e) => (e.type === 'change.requested' ? [[e.changeId, e.request] as const] : [])),
    );
    const text = changes
      .map(
        (c) =>
          `- v${c.version}: ${requests.get(c.changeId) ?? c.changeId} (requirements changed: ${c.requirements.join(', ') || 'none'})`,
      )
      .join('\n');
    return {
      at: i,
      text: `The approved spec was amended (now v${event.version}); your inputs show the amended spec. Bring your documents in line with it:\n${text}`,
    };
  }
  return undefined;
}

/** Settles the run's change requests, then returns the earlier role phases the latest amendment made stale, in order. */
export async function settleBeforeRolePhase(
  ctx: RunContext,
  workflow: Workflow,
  index: number,
): Promise<WorkflowPhase[]> {
  if (!ctx.state().specApproved) return [];
  await settleChanges(ctx, await runSpec(ctx));
  const amendment = latestAmendment(ctx);
  if (!amendment) return [];
  return workflow.phases
    .slice(0, index)
    .filter((phase) => !phase.uses && dependsOnSpec(workflow, phase) && closedBefore(ctx, phase.name, amendment.at));
}

/** The phase's latest close comes before the journal index `at`. */
function closedBefore(ctx: RunContext, phase: string, at: number): boolean {
  let last = -1;
  ctx.events.forEach((event, i) => {
    if (event.type === 'phase.closed' && event.phase === phase) last = i;
  });
  return last !== -1 && last < at;
}
