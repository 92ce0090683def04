/**
 * A layer configured `runner: external` (seed 004): its work from the approved spec becomes a
 * task in the queue instead of a call to our own agent. An outside agent claims it over MCP and
 * submits an artifact; a human approves it (sidebar or `orchestrator task review`), which
 * applies it through this layer's guard and validation. The run waits for that, cancellably;
 * a stopped or killed run resumes waiting on the same task (journaled as `queue.task`).
 */
import type { LayerResult } from '../../agents';
import { openQueueStore, type QueueStore, type Task } from '../../queue';
import { type RetryInput, runnerOf } from '../agent';
import { RunCancelled } from '../../errors';
import type { RunContext } from '../kernel';
import type { LayerJob } from './layerJob';

const POLL_MS = 1000;

/** A job given a pick (an attempt's, auto's) runs an agent: a pick never names `external`. */
export const isExternal = (ctx: RunContext, job: LayerJob): boolean =>
  !job.pick && runnerOf(ctx, job.layer) === 'external';

export async function runExternalLayer(
  ctx: RunContext,
  job: LayerJob,
  step: { mode: string; retry?: RetryInput; resumed?: boolean },
): Promise<LayerResult> {
  const { layer } = job;
  const attempt = (ctx.state().layers[layer]?.attempts ?? 0) + 1;
  const mode = step.mode === 'retry' ? 'retry' : job.mode;
  ctx.emit({ type: 'agent.started', agent: layer, attempt, mode });
  const store = await openQueueStore(ctx.home, ctx.config);
  try {
    const task = (await journaledTask(ctx, store, job)) ?? (await createTask(ctx, store, job, step));
    ctx.emit({
      type: 'log',
      level: 'info',
      message: `${layer}: waiting for an outside agent and your review of task ${task.id} (runner: external; orchestrator task review, or the sidebar)`,
    });
    const done = await waitUntilDone(ctx, store, task.id);
    const summary = `done through the task queue: ${task.id}, by ${done.claimer ?? 'an outside agent'}, approved by a human`;
    ctx.emit({ type: 'agent.completed', agent: layer, attempt, outcome: 'submitted', summary });
    return { status: 'done', summary };
  } finally {
    await store.close();
  }
}

/**
 * After a resume: the task this job put in the queue (journaled after the job began) whose outcome
 * the run has not taken yet, done or not. A retry or a later job (a review's fixes) gets its own.
 */
async function journaledTask(ctx: RunContext, store: QueueStore, job: LayerJob): Promise<Task | undefined> {
  const events = ctx.events;
  let at = -1;
  events.forEach((e, index) => {
    if (e.type === 'queue.task' && e.layer === job.layer && (e.seq ?? 0) > job.sinceSeq) at = index;
  });
  if (at < 0 || events.slice(at).some((e) => e.type === 'agent.completed' && e.agent === job.layer)) return undefined;
  return store.getTask((events[at] as { taskId: string }).taskId);
}

async function createTask(
  ctx: RunContext,
  store: QueueStore,
  job: LayerJob,
  step: { retry?: RetryInput; resumed?: boolean },
): Promise<Task> {
  const { context } = await job.brief.prompt();
  const owns = ctx.config.layers[job.layer]?.owns ?? [];
  const description = [
    job.brief.task({ ...(step.retry ? { retry: step.retry } : {}) }),
    `Your files (the only ones an approved artifact may change): ${owns.join(', ')}`,
    `The orchestrator validates with: ${(ctx.config.layers[job.layer]?.validate ?? []).join(' && ') || '(no command)'}`,
    context,
  ].join('\n\n');
  const specId = ctx.facts().specId;
  const task = await store.createTask(
    {
      title: `${job.layer}: ${ctx.request}`.slice(0, 300),
      description,
      source: 'spec',
      layer: job.layer,
      runId: ctx.runId,
      ...(specId ? { specId } : {}),
    },
    new Date(),
  );
  ctx.emit({ type: 'queue.task', layer: job.layer, taskId: task.id });
  return task;
}

async function waitUntilDone(ctx: RunContext, store: QueueStore, taskId: string): Promise<Task> {
  for (;;) {
    if (ctx.signal?.aborted) throw new RunCancelled();
    await store.releaseExpired(new Date());
    const task = await store.getTask(taskId);
    if (!task) throw new Error(`task ${taskId} is no longer in the queue (was the queue's database replaced?)`);
    if (task.status === 'done') return task;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      ctx.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
