/**
 * `orchestrator change <runId> "<request>"` and the sidebar's Request change: the request goes
 * into the run's inbox. A run going right now (it holds the workspace's run lock) picks it up
 * between steps; a run that stopped, was cancelled or interrupted is resumed with it at once.
 */
import { resolve } from 'node:path';
import type { RunOptions, RunSummary } from '../api';
import { activeRunLock, rebuildState } from '../journal';
import { eventsOfRun } from './runOf';
import { EngineUsageError } from '../errors';
import { resumeRun } from '../pipeline/run';
import { appendChangeRequest } from '../pipeline/change';

export type ChangeOutcome =
  { status: 'queued'; runId: string; changeId: string } | { status: 'resumed'; changeId: string; summary: RunSummary };

/** `resume: false`: only queue it (a host that resumes the run itself, as the editor does). */
export async function requestChange(
  runId: string,
  request: string,
  opts: Pick<RunOptions, 'workspace'> & Partial<RunOptions>,
  options: { resume?: boolean } = {},
): Promise<ChangeOutcome> {
  const workspace = resolve(opts.workspace);
  const state = rebuildState(eventsOfRun(workspace, runId));
  if (state.kind === 'audit') throw new EngineUsageError(`Run ${runId} is an audit: it has no spec to amend.`);
  if (state.status === 'completed')
    throw new EngineUsageError(
      `Run ${runId} completed: its spec is archived. Check it against the code with \`orchestrator verify ${state.specId ?? '<specId>'}\`, or start a new run for the change.`,
    );
  if (state.status === 'rolled-back')
    throw new EngineUsageError(`Run ${runId} was rolled back; start a new run instead.`);
  if (!state.specApproved) {
    const hint =
      state.status === 'spec-saved' && state.specId
        ? `approve it with \`orchestrator approve ${state.specId}\`, or edit spec.md before approving`
        : 'request changes at the spec gate';
    throw new EngineUsageError(`Run ${runId}'s spec is not approved yet: ${hint}.`);
  }
  let entry;
  try {
    entry = appendChangeRequest(workspace, runId, request);
  } catch (error) {
    throw new EngineUsageError((error as Error).message);
  }
  if (activeRunLock(workspace)?.runId === runId || options.resume === false)
    return { status: 'queued', runId, changeId: entry.id };
  if (!opts.host) throw new EngineUsageError('resuming the run needs a host');
  return { status: 'resumed', changeId: entry.id, summary: await resumeRun(runId, opts as RunOptions) };
}
