/**
 * One layer's work: its agent, then VALIDATE by the orchestrator, then RETRY with the
 * error output until validation passes or `maxRetries` is used up (the run then stops with
 * the seed's report). A retry continues the agent's conversation with the error as its
 * next message, so the agent knows what it did and the whole conversation is read from
 * the prompt cache. With `resume` it continues from the journal: a finished layer is never
 * called again, a submitted one is validated first, an interrupted one runs again, and a
 * retry whose conversation was lost with the process starts afresh in RETRY MODE.
 */
import type { ReviewIssue } from '../../events';
import type { Message } from '../../llm/types';
import { modelFor } from '../../project/config';
import type { Spec } from '../../project/specs';
import { runPipelineAgent } from '../agent/agentRun';
import type { CacheTurns } from '../agent/cacheTurns';
import { assembleLayerContext, type EntityFocus } from '../agent/contextAssembly';
import { retriesSince } from '../run/facts';
import { layerRetryMessage, layerSystem, layerTask, type RetryInput } from '../agent/prompts';
import { blockedStopped, validationStopped } from '../run/reports';
import type { RunContext } from '../run/runContext';
import { layerTasksText } from '../phases/specDocument';
import { validateLayer } from './validateLayer';

export const LAYER_MAX_TOKENS = 16384;

/**
 * A retry continues the previous conversation only while it is at most this long (JSON
 * characters, ~4 per token); a longer one starts afresh in RETRY MODE rather than carry a
 * huge history into every turn.
 */
export const MAX_CONTINUED_CHARS = 400_000;

export interface LayerJob {
  layer: string;
  mode: 'implement' | 'fix' | 'review-fix';
  spec: Spec;
  focus: EntityFocus;
  /** The database layer runs in the same wave: its schema may not be migrated yet. */
  parallelWithDatabase: boolean;
  reviewIssues?: { round: number; max: number; issues: ReviewIssue[] };
  /** Continue from what the journal shows instead of starting afresh. */
  resume: boolean;
  /** Retries journaled after this seq belong to this job (each job gets `maxRetries`). */
  sinceSeq: number;
  /** Told when the layer's agent starts, when its validation starts, and when the layer is done. */
  onStep?: (step: 'agent' | 'validate' | 'done') => void;
  /** The wave's turns on the prompt cache: a layer may wait for another's first response. */
  cacheTurns?: CacheTurns;
}

interface AgentStep {
  mode: 'implement' | 'fix' | 'review-fix' | 'retry';
  retry?: RetryInput;
  resumed?: boolean;
}

export async function runLayer(ctx: RunContext, job: LayerJob): Promise<void> {
  try {
    await layerSteps(ctx, job);
  } finally {
    job.cacheTurns?.release(job.layer);
  }
}

async function layerSteps(ctx: RunContext, job: LayerJob): Promise<void> {
  const max = ctx.config.limits.maxRetries;
  let retries = retriesSince(ctx.events, job.layer, job.sinceSeq);
  const first = job.resume ? resumeStep(ctx, job, retries) : { mode: job.mode };
  if (first === null) return job.onStep?.('done');
  let next: AgentStep | undefined = first;
  // The last attempt's conversation, in this process only: a resume starts afresh.
  let conversation: Message[] | undefined;
  for (;;) {
    if (next) {
      job.onStep?.('agent');
      conversation = await runLayerAgent(ctx, job, next, conversation);
    }
    job.onStep?.('validate');
    job.cacheTurns?.release(job.layer);
    const failure = await validateLayer(ctx, job.layer);
    if (!failure) return job.onStep?.('done');
    if (retries >= max) throw validationStopped({ layer: job.layer, retries, max, command: failure.command, error: failure.output });
    retries++;
    ctx.emit({ type: 'retry', layer: job.layer, attempt: retries, max });
    next = { mode: 'retry', retry: { attempt: retries, max, command: failure.command, error: failure.output } };
  }
}

/** null: the layer is done; undefined: validate first; otherwise the agent to run again. */
function resumeStep(ctx: RunContext, job: LayerJob, retries: number): AgentStep | undefined | null {
  const layer = ctx.state().layers[job.layer];
  if (!layer || layer.attempts === 0) return { mode: job.mode };
  if (layer.done) return null;
  if (layer.implemented && !ctx.facts().blocked.has(job.layer)) return undefined;
  const failed = layer.lastValidationError;
  if (retries > 0 && failed) {
    return { mode: 'retry', resumed: true, retry: { attempt: retries, max: ctx.config.limits.maxRetries, command: failed.command, error: failed.output } };
  }
  return { mode: job.mode, resumed: true };
}

async function runLayerAgent(ctx: RunContext, job: LayerJob, step: AgentStep, previous: Message[] | undefined): Promise<Message[] | undefined> {
  const { layer, spec } = job;
  const owns = ctx.config.layers[layer]?.owns ?? [];
  const attempt = (ctx.state().layers[layer]?.attempts ?? 0) + 1;
  const continues = step.mode === 'retry' && step.retry && previous && JSON.stringify(previous).length <= MAX_CONTINUED_CHARS ? previous : undefined;
  const { shared, context } = await assembleLayerContext(ctx, layer, job.focus, { spec: spec.body, tasks: layerTasksText(spec.body, ctx.config, layer) });
  // A continued conversation reads its own history from the cache: nothing to wait for.
  if (!continues) await job.cacheTurns?.before(layer, { shared, owns });
  const client = job.cacheTurns?.client(layer, ctx.clientFor(layer));
  const { final, conversation } = await runPipelineAgent(ctx, {
    name: layer,
    mode: step.mode,
    attempt,
    model: modelFor(ctx.config, layer),
    maxTokens: LAYER_MAX_TOKENS,
    shared,
    system: layerSystem(layer, owns),
    context,
    task:
      continues && step.retry
        ? layerRetryMessage(step.retry)
        : layerTask({
          layer,
          specTitle: spec.frontMatter.title,
          parallelWithDatabase: job.parallelWithDatabase,
          ...(step.retry ? { retry: step.retry } : {}),
          ...(job.reviewIssues ? { reviewIssues: job.reviewIssues } : {}),
          ...(step.resumed ? { resumed: true } : {}),
          bugfix: job.mode === 'fix',
        }),
    ...(continues ? { continues } : {}),
    owns,
    finalTool: 'submit_result',
    maxTurns: ctx.config.limits.maxAgentTurns,
  }, client);
  if (final.status === 'blocked') {
    ctx.emit({ type: 'agent.blocked', agent: layer, reason: final.summary });
    throw blockedStopped({ agent: layer, summary: final.summary });
  }
  return conversation;
}
