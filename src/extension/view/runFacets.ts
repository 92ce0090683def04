/**
 * What an event means to the run (the catalogue's facets, src/core/catalogue/meaning.ts), folded
 * into the sidebar's run view: one case per facet, the view's own state (lanes, waves, spend per
 * provider, the API's weather) kept here. Pure: no clock, no I/O.
 */
import type { Meaning } from '../../core/catalogue';
import type { RunView, RunViewStatus, SpendView } from '../../shared/viewState';
import { isLayer, moveAgents, newAgent, patchAgent, trimError } from './agents';
import type { RunKind } from './actions';
import { traceViewOf } from './traceView';
import { withAttemptStep } from './attemptsView';

export const newRun = (kind: RunKind, request: string, live: boolean): RunView => ({
  kind,
  request,
  status: 'running',
  live,
  phases: [],
  waves: [],
  agents: [],
  usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  costUsd: 0,
  filesChanged: [],
  activity: [],
});

/** The run view after an event whose meaning is `meaning`; `ts` is the event's journal time, when it has one. */
export function applyMeaning(run: RunView, meaning: Meaning, ts: unknown): RunView {
  let next = run;
  for (const facet of Object.keys(meaning) as (keyof Meaning)[]) {
    const value = meaning[facet];
    if (value !== undefined)
      next = (FACETS[facet] as (r: RunView, v: typeof value, ts: unknown) => RunView)(next, value, ts);
  }
  return next;
}

const same = (run: RunView): RunView => run;

/** The run without the API waits of `agent` (every agent's when none is named). */
function withoutWait(run: RunView, agent?: string): RunView {
  if (!run.apiWaits?.length) return run;
  const waits = agent === undefined ? [] : run.apiWaits.filter((w) => w.agent !== agent);
  if (waits.length === run.apiWaits.length) return run;
  const { apiWaits: _dropped, ...rest } = run;
  return waits.length > 0 ? { ...rest, apiWaits: waits } : rest;
}

const FACETS: { [F in keyof Meaning]-?: (run: RunView, facet: NonNullable<Meaning[F]>, ts: unknown) => RunView } = {
  start: (run, start) => {
    // A different run id means a new run (e.g. approve after a saved spec): start clean.
    const base = run.runId && run.runId !== start.runId ? newRun(run.kind, run.request, run.live) : run;
    return {
      ...base,
      runId: start.runId,
      kind: start.kind,
      request: start.request,
      specId: start.specId ?? base.specId,
      status: 'running',
      ...(start.sandboxOff ? { sandboxOff: true as const } : {}),
    };
  },
  completed: (run, completed) => {
    const status: RunViewStatus = completed.status;
    const next = status === 'completed' ? moveAgents(run, ['validating'], 'passed') : run;
    return withoutWait({ ...next, status });
  },
  stopped: (run, stopped) =>
    withoutWait(
      moveAgents(
        {
          ...run,
          status: stopped.reason === 'unchecked' ? 'unchecked' : 'stopped',
          stop: { reason: stopped.reason, report: stopped.report },
        },
        ['running', 'retry'],
        'cancelled',
      ),
    ),
  unchecked: (run, unchecked) => ({
    ...run,
    unchecked: {
      layers: unchecked.layers.map((l) => ({ ...l })),
      accepted: unchecked.accepted,
    },
  }),
  rolledBack: (run) => ({ ...run, status: 'rolled-back' }),
  phase: (run, phase) => {
    if (phase.ms !== undefined)
      return {
        ...run,
        phases: run.phases.map((p) => (p.name === phase.name ? { name: p.name, state: 'done', ms: phase.ms } : p)),
      };
    const phases = run.phases
      .filter((p) => p.name !== phase.name)
      .map((p) => (p.state === 'running' ? { ...p, state: 'done' as const } : p));
    return { ...run, phase: phase.name, phases: [...phases, { name: phase.name, state: 'running' }] };
  },
  // A phase's retries, documents and gate are its workflow step's (workflowReducer.ts).
  phaseRetry: same,
  phaseClosed: same,
  gate: same,
  wave: (run, wave) => {
    // Layers of earlier waves still shown as validating got no verdict event: they passed.
    let next = moveAgents(run, ['validating'], 'passed', (a) => a.wave !== undefined && a.wave < wave.index);
    const waves = [
      ...next.waves.filter((w) => w.index !== wave.index),
      { index: wave.index, of: wave.of, layers: [...wave.layers] },
    ].sort((a, b) => a.index - b.index);
    next = { ...next, waves };
    for (const layer of wave.layers)
      next = patchAgent(next, layer, (a) =>
        a.wave === undefined ? { ...newAgent(layer, wave.index), ...a, wave: wave.index } : a,
      );
    return next;
  },
  agentStarted: (run, started) =>
    patchAgent(run, started.agent, (a) => ({
      ...a,
      state: started.mode === 'retry' ? 'retry' : 'running',
      attempt: started.attempt,
      mode: started.mode,
      outcome: undefined,
    })),
  agentEnded: (run, ended) => {
    const ok = ended.outcome === 'submitted';
    const layer = isLayer(run, ended.agent);
    const next = patchAgent(run, ended.agent, (a) => ({
      ...a,
      // A layer's work is checked by the orchestrator's own validation, which comes next.
      state: !ok ? (ended.outcome === 'cancelled' ? 'cancelled' : 'failed') : layer ? 'validating' : 'passed',
      outcome: ended.outcome,
      summary: ended.summary ?? a.summary,
    }));
    return withoutWait(next, ended.agent);
  },
  agentBlocked: (run, blocked) =>
    patchAgent(run, blocked.agent, (a) => ({ ...a, state: 'failed', outcome: 'blocked', summary: blocked.reason })),
  validation: (run, v) => {
    if (v.state === 'running')
      return patchAgent(run, v.layer, (a) => ({ ...a, state: 'validating', command: v.command }));
    if (v.state === 'passed') return patchAgent(run, v.layer, (a) => ({ ...a, state: 'passed', lastError: undefined }));
    return patchAgent(run, v.layer, (a) => ({
      ...a,
      state: 'failed',
      command: v.command,
      lastError: trimError(v.output),
    }));
  },
  retry: (run, retry) =>
    patchAgent(run, retry.layer, (a) => ({ ...a, state: 'retry', retry: { n: retry.attempt, max: retry.max } })),
  kept: same,
  review: (run, review) => ({
    ...run,
    review: { round: review.round, verdict: review.verdict, issues: review.issues.map((i) => ({ ...i })) },
  }),
  reviewSkipped: (run, skipped) => ({
    ...run,
    review: { round: 0, verdict: 'skipped', reason: skipped.reason, issues: [] },
  }),
  usage: (run, call) => {
    const u = call.usage;
    const usage = {
      input: run.usage.input + u.input,
      output: run.usage.output + u.output,
      cacheRead: run.usage.cacheRead + u.cacheRead,
      cacheWrite: run.usage.cacheWrite + u.cacheWrite,
    };
    const unpriced = call.priced ? 0 : 1;
    const next = patchAgent(run, call.agent, (a) => ({
      ...a,
      tokens: a.tokens + u.input + u.output + u.cacheRead + u.cacheWrite,
      costUsd: a.costUsd + call.costUsd,
      provider: call.provider,
      requests: (a.requests ?? 0) + 1,
      unpricedRequests: (a.unpricedRequests ?? 0) + unpriced,
    }));
    const before: SpendView = run.byProvider?.[call.provider] ?? { costUsd: 0, requests: 0, unpricedRequests: 0 };
    const spend = {
      costUsd: before.costUsd + call.costUsd,
      requests: before.requests + 1,
      unpricedRequests: before.unpricedRequests + unpriced,
    };
    return {
      ...next,
      usage,
      costUsd: run.costUsd + call.costUsd,
      byProvider: { ...run.byProvider, [call.provider]: spend },
    };
  },
  apiWait: (run, wait, ts) => {
    // Journaled events carry `ts` (the status bar counts down from it); live ones from older hosts may not.
    const at = typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
    const waiting = { ...wait, ...(Number.isFinite(at) ? { at } : {}) };
    return { ...run, apiWaits: [...(run.apiWaits ?? []).filter((w) => w.agent !== wait.agent), waiting] };
  },
  apiRecovered: (run, recovered) => withoutWait(run, recovered.agent),
  file: (run, file) =>
    run.filesChanged.includes(file.path) ? run : { ...run, filesChanged: [...run.filesChanged, file.path] },
  budget: (run, budget) => ({ ...run, budget: { ...budget } }),
  understood: same,
  diagnosis: same,
  specSaved: (run, saved) => ({ ...run, specId: saved.id, specPath: saved.path }),
  specApproved: (run, approved) => ({
    ...run,
    specId: approved.id,
    status: run.status === 'awaiting-approval' ? 'running' : run.status,
  }),
  specChangesRequested: same,
  specMoved: (run, moved) => ({ ...run, specPath: moved.path }),
  checkpoint: (run, checkpoint) => ({ ...run, checkpoint: checkpoint.ref }),
  worktreeCreated: (run, created) => ({
    ...run,
    worktree: {
      path: created.path,
      outcome: 'pending',
      ...(created.workspace ? { workspace: created.workspace } : {}),
    },
  }),
  worktreeReady: same,
  worktreeSettled: (run, settled) =>
    run.worktree
      ? {
          ...run,
          worktree: {
            ...run.worktree,
            outcome: settled.outcome,
            ...(settled.outcome === 'branched' ? { branch: settled.branch } : {}),
          },
        }
      : run,
  // Shown in the lane of the layer it came from (its agent's or its validate command's).
  denied: (run, denied) => {
    const lane = denied.lane;
    return lane && run.agents.some((a) => a.name === lane)
      ? patchAgent(run, lane, (a) => ({ ...a, denied: [...(a.denied ?? []), denied.what].slice(-5) }))
      : run;
  },
  // The deploy step after COMPLETE.
  deploy: (run, deploy) => {
    if (deploy.step === 'deployed') return { ...run, deploy: { deployed: true } };
    const deployed = run.deploy?.deployed ?? false;
    return {
      ...run,
      deploy:
        deploy.step === 'smoke passed'
          ? { deployed, smoke: 'passed' }
          : { deployed, smoke: 'failed', detail: deploy.detail },
    };
  },
  // Traceability and blocks (issue 10): the matrix after each phase, blocks as arrows while open.
  trace: (run, matrix) => ({ ...run, trace: traceViewOf(matrix) }),
  // A layer's attempts side by side (issue 47), folded by the engine's own fold (attemptsView.ts).
  attempt: withAttemptStep,
  blockOpened: (run, b) => {
    const blocks = [
      ...(run.blocks ?? []).filter((x) => x.block !== b.block),
      { block: b.block, from: b.from, to: b.to, request: b.request, status: 'open' as const },
    ];
    return patchAgent({ ...run, blocks }, b.from, (a) => ({
      ...a,
      state: 'waiting',
      outcome: 'blocked',
      summary: `blocked on ${b.to}: ${b.request}`,
    }));
  },
  blockResolved: (run, b) => ({
    ...run,
    blocks: (run.blocks ?? []).map((x) => (x.block === b.block ? { ...x, status: 'resolved' as const } : x)),
  }),
  // The issue's and the pull request's links are githubView.ts's, the audit's view auditReducer.ts's.
  github: same,
  gateAsked: same,
  parked: same,
  confirmation: same,
  auditStarted: same,
  auditDiscovered: same,
  auditScored: same,
  auditJobStarted: same,
  auditJobEnded: same,
  auditSkipped: same,
  auditTested: same,
  auditReport: same,
};
