/**
 * REVIEW & FIX: skipped when few files changed, no new entity and no schema change;
 * otherwise the review agent reads the diff since the checkpoint and gives a verdict. A
 * rejection sends each issue to the layer owning its file, the fixes are validated (with
 * retries), and the review runs again, up to `maxReviewRetries` fix rounds.
 *
 * The first review's inputs (diff and context) can be gathered ahead, while the last
 * layers' validation commands run (ReviewPrefetch); they are used only if no file the run
 * changed has changed since, and gathered again otherwise.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReviewIssue } from '../../events';
import { filesChanged } from '../../journal';
import { computeWaves, isSchemaPath, layerOwning, modelFor } from '../../project/config';
import type { Spec } from '../../project/specs';
import { assembleContext, reviewBrief, reviewSystem, reviewTask, runPipelineAgent, waveCacheTurns } from '../agent';
import { focusOf, parallelWithDatabase } from '../phases';
import { markEquivalent, reviewProofSection, specCriteria } from '../proof';
import { runLayer, specBrief, uncheckedWork, untickLayer } from '../layers';
import { reviewStopped, runChangedFiles, type RunContext, runDiff, runWaves } from '../kernel';
import { criteriaCheck, criteriaTask, effectiveVerdict } from './reviewCriteria';

export const REVIEW_MAX_TOKENS = 8192;

/** The first review's inputs, gathered ahead of the REVIEW phase when started in time. */
export class ReviewPrefetch {
  /** Every gathering started, the latest last; all are awaited, so no git runs past the run. */
  private gatherings: Promise<{ stamp: string; inputs: ReviewInputs } | undefined>[] = [];

  constructor(
    private readonly ctx: RunContext,
    private readonly spec: Spec,
  ) {}

  /** Starts gathering now (after a retry, again: only the latest gathering is used). */
  start(): void {
    const gathering = (async () => {
      const stamp = await changedFilesStamp(this.ctx);
      return { stamp, inputs: await reviewInputs(this.ctx, this.spec) };
    })();
    // A failure only means gathering again when the review starts.
    this.gatherings.push(gathering.catch(() => undefined));
  }

  /** Waits for the gatherings still under way and drops them (the run ends without a review). */
  async discard(): Promise<void> {
    await this.settleAll();
  }

  /** The gathered inputs if the run's files are as they were when gathering began; else undefined. */
  async take(): Promise<ReviewInputs | undefined> {
    const gathered = (await this.settleAll()).at(-1);
    if (!gathered || gathered.stamp !== (await changedFilesStamp(this.ctx))) return undefined;
    return gathered.inputs;
  }

  private async settleAll(): Promise<({ stamp: string; inputs: ReviewInputs } | undefined)[]> {
    const all = this.gatherings;
    this.gatherings = [];
    return Promise.all(all);
  }
}

/** The run's changed files with their identity, size and times: any write changes it. */
async function changedFilesStamp(ctx: RunContext): Promise<string> {
  const files = filesChanged(ctx.state());
  const stamps = await Promise.all(
    files.map(async (path) => {
      const s = await stat(join(ctx.workspace, path), { bigint: true }).catch(() => undefined);
      return s ? `${path}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : `${path}:-`;
    }),
  );
  return stamps.join('\n');
}

export async function reviewPhase(ctx: RunContext, spec: Spec, prefetch?: ReviewPrefetch): Promise<void> {
  const max = ctx.config.limits.maxReviewRetries;
  const { rounds: done, lastVerdict, lastIssues } = ctx.state().review;
  let round = done;
  if (lastVerdict === 'approved') return prefetch?.discard();
  // Resumed after a rejection: finish that round's fixes before reviewing again.
  if (lastVerdict === 'rejected' && round <= max) await fixRound(ctx, spec, round, lastIssues, true);

  for (;;) {
    // The review's inputs are gathered while the skip rule is checked (both read git),
    // unless they were gathered ahead and are still current.
    const ahead = round === done ? await prefetch?.take() : undefined;
    const inputs = ahead ? Promise.resolve(ahead) : reviewInputs(ctx, spec);
    inputs.catch(() => undefined); // awaited below unless the review is skipped
    const skip = await skipReason(ctx);
    if (skip) {
      await inputs.catch(() => undefined); // nothing of the run's keeps running past its phase
      ctx.emit({ type: 'review.skipped', reason: skip });
      return;
    }
    round++;
    const issues = await reviewRound(ctx, spec, round, await inputs);
    if (issues.length === 0) return;
    // Sent back: the layers owning its issues have their ticks taken back until their fix is accepted (issue 71).
    for (const layer of new Set(issues.map((issue) => layerOwning(ctx.config, issue.file))))
      if (layer !== undefined) await untickLayer(ctx, layer);
    if (round > max) throw reviewStopped({ rounds: round, max, issues });
    await fixRound(ctx, spec, round, issues, false);
  }
}

/** The skip rule; undefined when the change needs a review. */
export async function skipReason(ctx: RunContext): Promise<string | undefined> {
  const limit = ctx.config.review.skipIfFilesChangedAtMost;
  const understood = ctx.facts().understood;
  // A new entity is always reviewed: no need to ask git what changed.
  if (understood?.entity && !understood.known) return undefined;
  const changed = await runChangedFiles(ctx.workspace, ctx.state());
  if (changed.length > limit) return undefined;
  if (changed.some((file) => isSchemaPath(ctx.config, file.path))) return undefined;
  // A change nothing else checked is always reviewed (issue 70).
  if ((await uncheckedWork(ctx)).length > 0) return undefined;
  return `${changed.length} file(s) changed (at most ${limit}), no new entity, no schema change`;
}

interface ReviewInputs {
  context: string | undefined;
  diff: string;
}

/** The review agent's context and the diff since the checkpoint, read side by side. */
async function reviewInputs(ctx: RunContext, spec: Spec): Promise<ReviewInputs> {
  const [context, diff] = await Promise.all([
    assembleContext(ctx, 'review', focusOf(ctx, spec), reviewBrief(spec.body)),
    runDiff(ctx.workspace, ctx.state()),
  ]);
  return { context, diff };
}

/** One review; returns the issues of a rejection, [] for an approval. */
async function reviewRound(ctx: RunContext, spec: Spec, round: number, inputs: ReviewInputs): Promise<ReviewIssue[]> {
  if (!ctx.state().checkpoint)
    ctx.warn('No git checkpoint: the review sees the changed files as they are now, not a diff.');
  const criteria = specCriteria(spec.body);
  const { final } = await runPipelineAgent(ctx, {
    name: 'review',
    mode: 'review',
    attempt: round,
    model: modelFor(ctx.config, 'review'),
    maxTokens: REVIEW_MAX_TOKENS,
    system: reviewSystem(),
    context: inputs.context,
    task: [reviewTask({ diff: inputs.diff, round }), criteriaTask(criteria), reviewProofSection(ctx.events, criteria)]
      .filter(Boolean)
      .join('\n\n'),
    owns: [],
    finalTool: 'submit_review',
    checkFinal: criteriaCheck(criteria),
    maxTurns: ctx.config.limits.maxAgentTurns,
  });
  if (final.equivalent?.length) markEquivalent(ctx, final.equivalent);
  const verdict = effectiveVerdict(final);
  ctx.emit({ type: 'review.verdict', round, ...verdict });
  return verdict.issues;
}

/** Sends each issue to the layer that owns its file; fixes run in waves and are validated. */
async function fixRound(
  ctx: RunContext,
  spec: Spec,
  round: number,
  issues: ReviewIssue[],
  resuming: boolean,
): Promise<void> {
  const max = ctx.config.limits.maxReviewRetries;
  const byLayer = new Map<string, ReviewIssue[]>();
  const unrouted: ReviewIssue[] = [];
  for (const issue of issues) {
    const layer = layerOwning(ctx.config, issue.file);
    if (layer === undefined) unrouted.push(issue);
    else byLayer.set(layer, [...(byLayer.get(layer) ?? []), issue]);
  }
  if (byLayer.size === 0) throw reviewStopped({ rounds: round, max, issues: [], unrouted });
  if (unrouted.length > 0) {
    ctx.warn(`Review issues in files no layer owns (left for the human): ${unrouted.map((i) => i.file).join(', ')}`);
  }
  const facts = ctx.facts();
  const focus = focusOf(ctx, spec);
  const turns = waveCacheTurns(ctx);
  await runWaves(
    computeWaves(ctx.config, [...byLayer.keys()], spec.frontMatter.waves),
    ctx.limit,
    { onWave: () => undefined, startOrder: turns.startOrder },
    async (layer, wave) => {
      const reviewIssues = { round, max, issues: byLayer.get(layer) ?? [] };
      const brief = specBrief(ctx, {
        layer,
        spec,
        focus,
        parallelWithDatabase: parallelWithDatabase(ctx.config, layer, wave),
        reviewIssues,
      });
      await runLayer(ctx, {
        layer,
        mode: 'review-fix',
        brief,
        resume: resuming && facts.reviewFixStarted.has(layer),
        sinceSeq: facts.lastVerdictSeq,
        cacheTurns: turns.of(wave),
      });
    },
  );
}
