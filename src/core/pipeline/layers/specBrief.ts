/**
 * The brief of a layer working from the approved spec (IMPLEMENT, a bugfix's FIX, review
 * fixes): the run's shared block (layer rules, registry entry, memory, the spec), the
 * layer's context file and tasks, and the seed's task message with its modes.
 */
import type { ReviewIssue } from '../../events';
import { modelFor } from '../../project/config';
import { layerTasksText, type Spec } from '../../project/specs';
import { assembleLayerContext, type EntityFocus, layerSystem, layerTask } from '../agent';
import type { RunContext } from '../kernel';
import { layerProofSection } from '../proof';
import type { LayerBrief } from './layerJob';

export interface SpecWork {
  layer: string;
  spec: Spec;
  focus: EntityFocus;
  /** The database layer runs in the same wave: its schema may not be migrated yet. */
  parallelWithDatabase: boolean;
  reviewIssues?: { round: number; max: number; issues: ReviewIssue[] };
  /** A bugfix applies the minimal fix of the spec, nothing else. */
  bugfix?: boolean;
}

export function specBrief(ctx: RunContext, work: SpecWork): LayerBrief {
  const { layer, spec } = work;
  return {
    model: modelFor(ctx.config, layer),
    async prompt() {
      const { shared, context } = await assembleLayerContext(ctx, layer, work.focus, {
        spec: spec.body,
        tasks: layerTasksText(spec.body, ctx.config, layer),
      });
      const proof = layerProofSection(ctx.events);
      return {
        shared: proof ? `${shared}\n\n${proof}` : shared,
        system: layerSystem(layer, ctx.config.layers[layer]?.owns ?? []),
        context,
      };
    },
    task: (step) =>
      layerTask({
        layer,
        specTitle: spec.frontMatter.title,
        parallelWithDatabase: work.parallelWithDatabase,
        ...(step.retry ? { retry: step.retry } : {}),
        ...(work.reviewIssues ? { reviewIssues: work.reviewIssues } : {}),
        ...(step.resumed ? { resumed: true } : {}),
        bugfix: work.bugfix === true,
      }),
    blockedStopsRun: true,
    blocks: { spec, focus: work.focus },
  };
}
