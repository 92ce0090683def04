/**
 * COMPLETE: bring the registry up to date — by the project's sync commands when it has
 * some, else by adding/updating the entity from the spec — and move the spec to
 * `spec/completed/`. A failing sync here only warns: the change is validated and
 * reviewed, and the registry can be synced again by hand.
 */
import { loadRegistry, saveRegistry, upsertEntity } from '../../project/registry';
import { moveToCompleted, type Spec } from '../../project/specs';
import { RunStop } from '../run/errors';
import type { RunContext } from '../run/runContext';
import { specPattern, specReferences } from './specDocument';
import { syncAndReload } from './syncPhase';

export async function completePhase(ctx: RunContext, spec: Spec): Promise<void> {
  if (ctx.config.sync.length > 0) {
    try {
      await syncAndReload(ctx, 'COMPLETE');
    } catch (error) {
      if (!(error instanceof RunStop)) throw error;
      ctx.warn(`${error.message}; the registry was not synced:\n${error.report}`);
    }
  } else if (spec.frontMatter.entity) {
    await updateRegistryFromSpec(ctx, spec, spec.frontMatter.entity);
  }
  const completed = await moveToCompleted(ctx.workspace, spec.id);
  ctx.emit({ type: 'spec.completed', specId: spec.id, path: completed.path });
}

async function updateRegistryFromSpec(ctx: RunContext, spec: Spec, entity: string): Promise<void> {
  const registry = await loadRegistry(ctx.workspace);
  const known = Object.keys(registry.document.e ?? {});
  const pattern = spec.frontMatter.pattern ?? specPattern(spec.body, registry.document._patterns ?? {});
  const refs = specReferences(spec.body, known).filter((name) => name.toLowerCase() !== entity.toLowerCase());
  const stored = upsertEntity(registry, entity, { ...(refs.length > 0 ? { refs } : {}), ...(pattern ? { pattern } : {}) });
  const entry = registry.document.e?.[stored];
  if (entry) {
    entry.refs ??= [];
    entry.subs ??= [];
  }
  await saveRegistry(ctx.workspace, registry);
  ctx.registry = registry;
  ctx.emit({ type: 'log', level: 'info', message: `COMPLETE: registry entry ${stored} updated from the spec` });
}
