/**
 * The model layer's events in the run's view: calls per agent and per provider (runReducer
 * adds tokens and cost), agents waiting out API weather (shown in the sidebar and counted
 * down in the status bar) and conversations compacted to fit the context window. Pure, like
 * runReducer.
 */
import type { EngineEvent } from '../../core/events';
import { inSeconds, type ApiWaitView, type RunView, type SpendView } from '../../shared/viewState';
import { patchAgent } from './agents';

const MAX_ACTIVITY = 100;

const log = (run: RunView, level: 'info' | 'warn', text: string): RunView => ({ ...run, activity: [...run.activity, { level, text }].slice(-MAX_ACTIVITY) });

function withoutWait(run: RunView, agent?: string): RunView {
  if (!run.apiWaits?.length) return run;
  const waits = agent === undefined ? [] : run.apiWaits.filter((w) => w.agent !== agent);
  if (waits.length === run.apiWaits.length) return run;
  const { apiWaits: _dropped, ...rest } = run;
  return waits.length > 0 ? { ...rest, apiWaits: waits } : rest;
}

/** Journaled events carry `ts`; live ones from older hosts may not. */
function timeOf(event: EngineEvent): number | undefined {
  const ts = (event as { ts?: unknown }).ts;
  const at = typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
  return Number.isFinite(at) ? at : undefined;
}

export function applyModelEvent(run: RunView, event: EngineEvent): RunView {
  switch (event.type) {
    case 'llm.usage': {
      const unpriced = event.priced === false ? 1 : 0;
      const provider = event.provider ?? 'anthropic';
      const before: SpendView = run.byProvider?.[provider] ?? { costUsd: 0, requests: 0, unpricedRequests: 0 };
      const next = patchAgent(run, event.agent, (a) => ({ ...a, provider, requests: (a.requests ?? 0) + 1, unpricedRequests: (a.unpricedRequests ?? 0) + unpriced }));
      const spend = { costUsd: before.costUsd + event.costUsd, requests: before.requests + 1, unpricedRequests: before.unpricedRequests + unpriced };
      return { ...next, byProvider: { ...run.byProvider, [provider]: spend } };
    }
    case 'llm.waiting': {
      const at = timeOf(event);
      const wait: ApiWaitView = {
        agent: event.agent,
        kind: event.kind,
        reason: event.reason,
        attempt: event.attempt,
        retryInMs: event.retryInMs,
        windowLeftMs: event.windowLeftMs,
        ...(at !== undefined ? { at } : {}),
      };
      const next = { ...run, apiWaits: [...(run.apiWaits ?? []).filter((w) => w.agent !== event.agent), wait] };
      return log(next, 'warn', `${event.agent}: waiting for the API: ${event.reason}, retry ${event.attempt} in ${inSeconds(event.retryInMs)}`);
    }
    case 'llm.recovered':
      return log(withoutWait(run, event.agent), 'info', `${event.agent}: the API answered again (after ${event.attempts - 1} failed ${event.attempts === 2 ? 'try' : 'tries'})`);
    case 'llm.compacted':
      return log(run, 'info', `${event.agent}: older tool results compacted to fit the context window (~${event.tokensBefore.toLocaleString('en-US')} → ~${event.tokensAfter.toLocaleString('en-US')} tokens)`);
    case 'agent.completed':
      return withoutWait(run, event.agent);
    case 'run.stopped':
    case 'run.completed':
      return withoutWait(run);
    default:
      return run;
  }
}

/** The wait the status bar shows: the one that ends first. Seconds left counted from `now` when the event time is known. */
export function soonestWait(run: RunView | undefined, now: number): { wait: ApiWaitView; leftMs: number } | undefined {
  let best: { wait: ApiWaitView; leftMs: number } | undefined;
  for (const wait of run?.apiWaits ?? []) {
    const leftMs = wait.at !== undefined ? wait.at + wait.retryInMs - now : wait.retryInMs;
    if (!best || leftMs < best.leftMs) best = { wait, leftMs };
  }
  return best;
}
