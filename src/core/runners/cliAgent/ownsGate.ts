/**
 * The owns gate of a CLI agent's session: after the agent stops, what its layer's `owns` allows of
 * the worktree's changes comes back to the run's workspace (agentChanges.ts judges and brings
 * back), asked first past the confirmation thresholds like our own agent's turns; the rest is
 * put back as it was.
 */
import type { FinalToolName } from '../../agents';
import {
  bringBack,
  changesOf,
  judgeChanges,
  revertChanges,
  type AgentChange,
  type RefusedChange,
} from './agentChanges';
import type { AgentWorktree } from './agentWorktree';
import { changeEffects } from './changeEffects';
import type { SessionRecord } from './sessionRecord';

/** Brings back what `owns` allows of the worktree's changes, reverts the rest; returns what was refused. */
export async function ownsGate<F extends FinalToolName>(
  record: SessionRecord<F>,
  tree: AgentWorktree,
): Promise<RefusedChange[]> {
  const { def, env, agent } = record;
  const { accepted, refused } = judgeChanges(await changesOf(tree), def.owns, def.frozen);
  if (refused.length > 0) await revertChanges(tree, refused);
  const declined = accepted.length > 0 ? await confirm(record, tree, accepted) : undefined;
  if (declined) await revertChanges(tree, accepted);
  else if (accepted.length > 0) {
    if (env.beforeWrites) await env.beforeWrites();
    const back = await bringBack(tree, accepted, agent, env.emit);
    back.written.forEach((p) => record.written.add(p));
    back.created.forEach((p) => record.created.add(p));
    back.deleted.forEach((p) => record.deleted.add(p));
  }
  return [
    ...refused.map((c) => ({ path: c.path ?? c.gitPath, reason: c.reason })),
    ...(declined ? accepted.map((c) => ({ path: c.path!, reason: declined })) : []),
  ];
}

/** Why the user declined the changes, or undefined when they come back. */
async function confirm<F extends FinalToolName>(
  record: SessionRecord<F>,
  tree: AgentWorktree,
  accepted: readonly AgentChange[],
): Promise<string | undefined> {
  const { env, agent } = record;
  if (!env.approveTurn) return undefined;
  const effects = await changeEffects(tree, agent, accepted);
  return (await env.approveTurn(effects)) ? undefined : 'refused: not confirmed by the user';
}
