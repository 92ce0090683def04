/**
 * A job's place for the runs of the GitHub channel (runPlace.ts, issue 48): the job's checkout is
 * the run's own (nothing else uses it, and it is gone when the job ends), so the run works there in
 * place, as a pool worker's run works in its worktree. Its gate parks it: the spec is posted, the run
 * saved there, and the job ends; the decision continues it in a later job, from the issue's state
 * (jobState.ts). A completed run's result is its work as one commit on its base, pushed as
 * `orchestrator/<spec-slug>` (a follow-up's: on the pull request's head, a fast-forward of its branch).
 */
import type { EngineEvent } from '../../core/events';
import { engine, makeRunPlace, meaningOf, rebuildState, wordsOf } from '../../core/engineBundle';
import type { ChannelPlace } from '../runPlace';
import type { JobBudget } from './jobBudget';
import type { StateKeeper } from './jobState';
import type { StateRemote } from './stateRef';

export interface JobPlaceOptions {
  keeper: StateKeeper;
  remote: StateRemote;
  budget: JobBudget;
  /** What a run's work never holds (privacy.deny, the runs' folder). */
  deny: readonly string[];
  /** The checkout's top level. */
  topLevel: string;
  /** The Messages API's address (ANTHROPIC_BASE_URL), when the job names one. */
  baseURL?: string;
  /** The runner's sandbox readied, once, before the first run works here; throws its one-line reason. */
  ready(): Promise<void>;
  log(line: string): void;
}

/** A line of the job's log: a phase, a wave, a layer's agent and validation, a review, the spec (a run's progress as the CLI shows it). */
const PROGRESS = (event: EngineEvent): boolean => {
  const words = wordsOf(event);
  return words.depth <= 1 && words.progress !== false && words.level !== 'trace';
};

/**
 * The end of a step that changed the run's work (an agent's turn, a validation with its sync, a
 * review, the spec saved, a gate, the run's end): its state pushed with the work, between steps.
 */
const STEP_DONE = (event: EngineEvent): boolean => {
  const m = meaningOf(event);
  return Boolean(
    m.agentEnded ||
    (m.validation && m.validation.state !== 'running') ||
    m.review ||
    m.specSaved ||
    m.gate ||
    m.completed ||
    m.stopped,
  );
};

export function jobPlace(o: JobPlaceOptions): ChannelPlace {
  return {
    kind: 'action-job',
    options: {
      isolation: 'in-place',
      amendmentsWait: true,
      sharedBudget: o.budget,
      ...(o.baseURL ? { baseURL: o.baseURL } : {}),
    },
    fresh: {},
    stopped: {
      went: 'the job running it stopped',
      resumed: 'the job running it stopped (cancelled, or its runner lost)',
      now: 'by this job',
      closed: 'stopped: another job of its issue moved its state (or /cancel marked it); that job goes on from there',
      askAgain: 'Run the workflow with its spec (`workflow_dispatch`, `spec-id`) to ask again',
    },
    async kept(workspace, runId, branch) {
      // The run's state, its work with it, on the remote before its result is pushed anywhere.
      await o.keeper.push(true);
      const state = rebuildState(
        (await engine.runEvents(workspace, runId, 'journal')).map((line) => JSON.parse(line)) as never,
      );
      const title = state.request?.split('\n')[0]?.slice(0, 120) || runId;
      const message = `${title}\n\nOrchestrator run ${runId}${state.specId ? `, spec ${state.specId}` : ''}`;
      const snapshot = await engine.snapshotWorkTree(
        workspace,
        runId,
        undefined,
        o.deny,
        o.keeper.baseOf(runId),
        message,
      );
      if (!snapshot)
        throw new Error(`run ${runId}'s work could not be committed (the checkout is not a git repository)`);
      return {
        branch: branch ?? (await freeBranch(o.remote, state.specId, state.request, runId)),
        commit: snapshot.commit,
      };
    },
    async followUp(workspace, input) {
      // The pull request's head (fetched by the channel into its branch) is where the follow-up works.
      if (input.base) {
        await makeRunPlace({ kind: 'action-job', root: o.topLevel, workspace, base: input.base });
        o.keeper.moved(input.base);
      }
      return { ...input, here: true };
    },
    // Nothing stays on a runner: a follow-up that ended unfinished leaves nothing to keep.
    putAway: async () => '',
    unresumable: (state) => (state.worktree ? "it ran in a worktree, not in a job's checkout" : undefined),
    heard(runId, event) {
      o.keeper.working(runId);
      if (PROGRESS(event)) {
        const words = wordsOf(event);
        o.log(`${'  '.repeat(words.depth)}${words.text}`);
      }
      if (STEP_DONE(event)) o.keeper.step();
    },
    ready: o.ready,
    budget: () => o.budget.line(),
  };
}

/** `orchestrator/<spec slug>` (or the request's words), with `-2`, `-3`… while the remote has that branch. */
async function freeBranch(
  remote: StateRemote,
  specId: string | undefined,
  request: string | undefined,
  runId: string,
): Promise<string> {
  const fromSpec = specId?.replace(/^\d{4}-\d{2}-\d{2}-/, '');
  const fromRequest = (request ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  const name = `orchestrator/${fromSpec || fromRequest || runId}`;
  for (let n = 1; n < 100; n++) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    if ((await remote.remoteValue(`refs/heads/${candidate}`)) === undefined) return candidate;
  }
  throw new Error(`no free branch name like ${name} on the remote`);
}
