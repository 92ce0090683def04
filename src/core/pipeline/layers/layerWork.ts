/**
 * One layer's work: its agent, then VALIDATE by the orchestrator, then RETRY with the
 * error output until validation passes or `maxRetries` is used up (the run then stops with
 * the seed's report). A retry continues the agent's conversation with the error as its
 * next message, so the agent knows what it did and the whole conversation is read from
 * the prompt cache. With `resume` it continues from the journal: a finished layer is never
 * called again, a submitted one is validated first, an interrupted one runs again, and a
 * retry whose conversation was lost with the process starts afresh in RETRY MODE.
 *
 * What the agent works from comes with the job as its brief: the approved spec (IMPLEMENT,
 * FIX, review fixes; see specBrief.ts) or an audit's findings (pipeline/audit).
 */
import type { LayerResult } from '../../agents';
import type { Message } from '../../llm';
import { autoPickOf, lastSession, layerRetryMessage, type RetryInput, runnerOf, runPipelineAgent } from '../agent';
import { isCliRunner, type RunnerName } from '../../runners';
import { blockedStopped, retriesSince, type RunContext, validationStopped } from '../kernel';
import type { LayerJob, LayerMode } from './layerJob';
import { validateLayer } from './validateLayer';
import { recordedValidation, revalidationNotice } from './validatedFiles';
import { pendingBlockAnswer, resolveBlock, withLayerLock } from './blocks';
import { isExternal, runExternalLayer } from './externalLayer';
import { untickLayer } from './specTicks';

export const LAYER_MAX_TOKENS = 16384;

/**
 * A retry continues the previous conversation only while it is at most this long (JSON
 * characters, ~4 per token); a longer one starts afresh in RETRY MODE rather than carry a
 * huge history into every turn.
 */
export const MAX_CONTINUED_CHARS = 400_000;

/** What a retry continues: our agent's conversation, or a CLI agent's session. */
interface Previous {
  conversation?: Message[];
  session?: string;
}

interface AgentStep {
  mode: LayerMode | 'retry';
  retry?: RetryInput;
  resumed?: boolean;
}

/**
 * The layer's work for one job, validated. Returns the agent's last answer, or undefined when
 * the journal shows the job's work done (or submitted) already and no agent had to run.
 */
export async function runLayer(ctx: RunContext, job: LayerJob): Promise<LayerResult | undefined> {
  try {
    // `runner: auto` chooses before the job's first step: its retries and resume stay on the choice.
    const pick = job.pick ?? (await autoPickOf(ctx, job.layer));
    // A fix for another layer's block on this one never runs beside this layer's own work.
    return await withLayerLock(ctx, job.layer, () => layerSteps(ctx, pick ? { ...job, pick } : job));
  } finally {
    job.cacheTurns?.release(job.layer);
  }
}

async function layerSteps(ctx: RunContext, job: LayerJob): Promise<LayerResult | undefined> {
  const max = ctx.config.limits.maxRetries;
  let retries = retriesSince(ctx.events, job.layer, job.sinceSeq);
  const first = job.resume ? await resumeStep(ctx, job, retries) : { mode: job.mode };
  if (first === null) {
    job.onStep?.('done');
    return undefined;
  }
  let next: AgentStep | undefined = first;
  // The last attempt's conversation (our agent, in this process only: a resume starts afresh),
  // or its CLI agent's session (journaled: a resume continues it).
  let previous: Previous = {};
  let answer: LayerResult | undefined;
  for (;;) {
    if (next) {
      job.onStep?.('agent');
      // Sent back (a review's fix, an amendment): its ticks wait until its work is accepted again.
      await untickLayer(ctx, job.layer);
      if (isExternal(ctx, job)) answer = await runExternalLayer(ctx, job, next);
      else ({ previous, answer } = await runLayerAgent(ctx, job, next, previous));
    }
    job.onStep?.('validate');
    job.cacheTurns?.release(job.layer);
    const failure = await validateLayer(ctx, job.layer);
    if (!failure) {
      job.onStep?.('done');
      return answer;
    }
    if (retries >= max)
      throw validationStopped({ layer: job.layer, retries, max, command: failure.command, error: failure.output });
    retries++;
    ctx.emit({ type: 'retry', layer: job.layer, attempt: retries, max });
    next = { mode: 'retry', retry: { attempt: retries, max, command: failure.command, error: failure.output } };
  }
}

/**
 * null: the layer is done; undefined: validate first; otherwise the agent to run again.
 * "Done" needs a validation whose record still matches the files (validatedFiles.ts).
 */
async function resumeStep(ctx: RunContext, job: LayerJob, retries: number): Promise<AgentStep | undefined | null> {
  const layer = ctx.state().layers[job.layer];
  if (!layer || layer.attempts === 0) return { mode: job.mode };
  if (layer.done) {
    const recorded = await recordedValidation(ctx, job.layer);
    if (recorded === 'holds' || recorded === 'not-done') return null;
    ctx.warn(revalidationNotice(job.layer, recorded));
    return undefined;
  }
  if (layer.implemented && !ctx.facts().blocked.has(job.layer)) return undefined;
  const failed = layer.lastValidationError;
  if (retries > 0 && failed) {
    return {
      mode: 'retry',
      resumed: true,
      retry: { attempt: retries, max: ctx.config.limits.maxRetries, command: failed.command, error: failed.output },
    };
  }
  return { mode: job.mode, resumed: true };
}

async function runLayerAgent(
  ctx: RunContext,
  job: LayerJob,
  step: AgentStep,
  previous: Previous,
): Promise<{ previous: Previous; answer: LayerResult }> {
  const { layer, brief } = job;
  const owns = ctx.config.layers[layer]?.owns ?? [];
  const attempt = (ctx.state().layers[layer]?.attempts ?? 0) + 1;
  const retrying = step.mode === 'retry' && step.retry !== undefined;
  const conversation =
    retrying && previous.conversation && JSON.stringify(previous.conversation).length <= MAX_CONTINUED_CHARS
      ? previous.conversation
      : undefined;
  const runner = runnerOfJob(ctx, job);
  // A CLI agent's retry resumes its session (after a resume too: the journal keeps it).
  const session =
    retrying && isCliRunner(runner)
      ? (previous.session ?? lastSession(ctx.events, layer, runner, job.sinceSeq))
      : undefined;
  const continues = conversation ?? (session ? [] : undefined);
  const { shared, system, context } = await brief.prompt();
  // A continued conversation reads its own history from the cache: nothing to wait for; nor
  // does a CLI agent, which keeps its own prompt cache.
  const cached = isCliRunner(runner) ? undefined : job.cacheTurns;
  if (!cached) job.cacheTurns?.release(layer);
  if (!continues) await cached?.before(layer, { shared, owns });
  const client = cached?.client(layer, ctx.clientFor(layer));
  // After a resume, a block the journal shows open is resolved first, and its answer is passed on.
  const blockAnswer =
    continues || !brief.blocks ? '' : await pendingBlockAnswer(ctx, layer, brief.blocks.spec, brief.blocks.focus);
  const def = {
    name: layer,
    mode: step.mode,
    attempt,
    model: brief.model,
    maxTokens: LAYER_MAX_TOKENS,
    shared,
    system,
    context,
    owns,
    finalTool: 'submit_result' as const,
    maxTurns: ctx.config.limits.maxAgentTurns,
  };
  let result = await runPipelineAgent(
    ctx,
    {
      ...def,
      task:
        continues && step.retry
          ? layerRetryMessage(step.retry)
          : (blockAnswer ? `${blockAnswer}\n\n` : '') +
            brief.task({ ...(step.retry ? { retry: step.retry } : {}), ...(step.resumed ? { resumed: true } : {}) }),
      ...(continues ? { continues } : {}),
      ...(session ? { session } : {}),
    },
    client,
    job.pick,
  );
  // Blocked on another layer's work: that layer does it, then this agent continues with the answer.
  while (result.final.status === 'blocked' && brief.blocks) {
    const answer = await resolveBlock(ctx, { from: layer, result: result.final, ...brief.blocks });
    result = await runPipelineAgent(
      ctx,
      {
        ...def,
        attempt: (ctx.state().layers[layer]?.attempts ?? 0) + 1,
        task: answer,
        continues: result.conversation ?? [],
        ...(result.session ? { session: result.session } : {}),
      },
      client,
      job.pick,
    );
  }
  const { final } = result;
  if (final.status === 'blocked' && brief.blockedStopsRun) {
    ctx.emit({ type: 'agent.blocked', agent: layer, reason: final.summary });
    throw blockedStopped({ agent: layer, summary: final.summary });
  }
  return {
    previous: {
      ...(result.conversation ? { conversation: result.conversation } : {}),
      ...(result.session ? { session: result.session } : {}),
    },
    answer: final,
  };
}

/** The runner the job's agent runs on: its pick, else the layer's. */
function runnerOfJob(ctx: RunContext, job: LayerJob): RunnerName {
  return job.pick?.runner ?? runnerOf(ctx, job.layer);
}
