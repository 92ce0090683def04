/**
 * A follow-up run (issue 39): a completed worktree run's result taken up again, in a new run whose
 * worktree starts at the head of the branch it was kept on, with the same approved spec. It is a
 * run like any other, through the same pipeline: the layers the earlier runs validated are kept as
 * passed (`followup.started`), and only what it was started for works:
 * - `fix`: one layer sent back in FIX mode with a failure found outside (a CI job's log) as its
 *   first validation error (settleChanges.ts runs it where change requests' fixes run);
 * - `change`: a change request in its inbox, amended by the spec agent through the spec gate, and
 *   only the layers the amendment touches run again (issue 23's path).
 * Then validation, review, the matrix (over every run on the branch) and COMPLETE as always; its
 * result, kept with `branchRun` on the same branch, is a commit on top of it (a fast-forward).
 */
import { resolve } from 'node:path';
import type { RunOptions, RunSummary } from '../api';
import { EngineUsageError } from '../errors';
import { newRunId, rebuildState, type StateEvent } from '../journal';
import { eventsOfRun } from './runOf';
import { loadConfig } from '../project/config';
import { startRun } from '../pipeline/run';
import { followUpOf, type FollowUpStarted } from '../pipeline/kernel';
import { appendChangeRequest } from '../pipeline/change';

export interface FollowUpInput {
  /** The commit it starts from: the head of the run's branch (default: the commit the run was branched at). */
  base?: string;
  /** A layer sent back with a failure found outside the orchestrator: what failed and its (trimmed, redacted) output. */
  fix?: { layer: string; command: string; output: string };
  /** A change request to the approved spec. */
  change?: string;
  /**
   * The workspace is already a checkout of `base` made for this run (a pool worker's worktree of
   * it): the run works there, in place, and the run it continues may have run in place too.
   */
  here?: true;
}

export async function followUpRun(of: string, input: FollowUpInput, opts: RunOptions): Promise<RunSummary> {
  const workspace = resolve(opts.workspace);
  const events = eventsOfRun(workspace, of);
  if (!input.fix && input.change === undefined)
    throw new EngineUsageError('A follow-up run needs a layer to fix or a change request.');
  const state = rebuildState(events);
  if (
    state.status !== 'completed' ||
    !state.kind ||
    state.kind === 'audit' ||
    !state.specId ||
    state.request === undefined
  ) {
    throw new EngineUsageError(
      `Run ${of} is not a completed feature or bugfix run (${state.status}): resume it, or request a change to it, instead.`,
    );
  }
  if (!state.worktree && !input.here)
    throw new EngineUsageError(`Run ${of} ran in place: a follow-up continues a worktree run's branch.`);
  if (input.fix && !Object.hasOwn((await loadConfig(workspace)).layers, input.fix.layer))
    throw new EngineUsageError(`No layer "${input.fix.layer}" in the config to send the failure to.`);
  const base = input.base ?? (input.here ? undefined : branchedCommit(events));
  if (!base) throw new EngineUsageError(`Run ${of} was not kept as a branch: give the commit to continue from.`);
  const runId = opts.runId ?? newRunId();
  if (input.change !== undefined) {
    try {
      appendChangeRequest(workspace, runId, input.change);
    } catch (error) {
      throw new EngineUsageError((error as Error).message);
    }
  }
  const followUp: FollowUpStarted = {
    type: 'followup.started',
    of,
    runs: [...(followUpOf(events)?.runs ?? []), of],
    base,
    kept: Object.entries(state.layers)
      .filter(([, layer]) => layer.done)
      .map(([layer, { validatedHash }]) => ({ layer, ...(validatedHash ? { filesHash: validatedHash } : {}) })),
    ...(input.fix ? { fix: input.fix } : {}),
  };
  const workflow = opts.workflow ?? state.workflow;
  return startRun(
    { ...opts, workspace, runId, isolation: input.here ? 'in-place' : 'worktree', ...(workflow ? { workflow } : {}) },
    {
      kind: state.kind,
      request: state.request,
      specId: state.specId,
      decision: { type: 'spec.approved', specId: state.specId },
      followUp,
    },
  );
}

function branchedCommit(events: readonly StateEvent[]): string | undefined {
  return events
    .filter((e): e is Extract<StateEvent, { type: 'worktree.branched' }> => e.type === 'worktree.branched')
    .at(-1)?.commit;
}
