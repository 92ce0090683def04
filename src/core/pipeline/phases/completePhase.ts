/**
 * COMPLETE: bring the registry up to date — by the project's sync commands when it has
 * some, else by adding/updating the entity from the spec — and move the spec to
 * `spec/completed/`. A failing sync here only warns: the change is validated and
 * reviewed, and the registry can be synced again by hand.
 */
import { earlierRuns, followUpOf, type RunContext } from '../kernel';
import { recordCompletion } from './completionRecord';
import { filesChanged } from '../../journal';
import { traceOfSpec } from '../../trace';
import { type EntityRegistry, findEntity, loadRegistry, saveRegistry, upsertEntity } from '../../project/registry';
import { moveToCompleted, type Spec, specPattern, specReferences } from '../../project/specs';
import { RunStop } from '../../errors';
import { syncAndReload } from './syncPhase';
import { tickAcceptedWork, uncheckedGate } from '../layers';

export async function completePhase(ctx: RunContext, spec: Spec): Promise<void> {
  // `completed` means checked (issue 70): what nothing checked ends the run `unchecked` here, unless accepted.
  await uncheckedGate(ctx);
  // Checked or accepted unchecked: every layer done has its lines ticked before the spec moves (issue 71).
  await tickAcceptedWork(ctx, true);
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
  const commit = await recordDriftBasis(ctx, completed);
  ctx.emit({ type: 'spec.completed', specId: spec.id, path: completed.path, ...(commit ? { commit } : {}) });
}

/**
 * What `verify` compares with later: the commit the spec completed at and its requirements'
 * files. A failure only warns: the work is done; `verify` then falls back to the journal.
 */
async function recordDriftBasis(ctx: RunContext, completed: Spec): Promise<string | undefined> {
  try {
    const matrix = await traceOfSpec(ctx.workspace, ctx.config, completed.id, {
      handChanges: false,
      run: { runId: ctx.runId, events: ctx.events },
      earlier: earlierRuns(ctx.home, ctx.events),
    });
    const record = await recordCompletion({
      workspace: ctx.workspace,
      specId: completed.id,
      specPath: completed.path,
      runIds: [...(followUpOf(ctx.events)?.runs ?? []), ctx.runId],
      matrix,
      deny: ctx.config.privacy.deny,
      trusted: ctx.host.isTrusted(),
    });
    return record.commit ?? undefined;
  } catch (error) {
    ctx.warn(
      `COMPLETE: the commit the spec completed at was not recorded (verify will use the journal): ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}

/**
 * Adds or updates the entity in its registry, in that file's own shape and version (a
 * subproject's registry when every file the run changed is in that subproject).
 */
async function updateRegistryFromSpec(ctx: RunContext, spec: Spec, entity: string): Promise<void> {
  const registry = await loadRegistry(ctx.workspace);
  const pattern = spec.frontMatter.pattern ?? specPattern(spec.body, registry.patterns);
  const refs = specReferences(spec.body, [...registry.entities.keys()]).filter(
    (name) => name.toLowerCase() !== entity.toLowerCase(),
  );
  const existed = findEntity(registry, entity) !== undefined;
  let stored: string;
  try {
    stored = upsertEntity(
      registry,
      entity,
      { ...(refs.length > 0 ? { refs } : {}), ...(pattern ? { pattern } : {}) },
      { project: projectOfChanges(ctx, registry) },
    );
  } catch (error) {
    ctx.warn(`COMPLETE: the registry was not updated: ${(error as Error).message}`);
    return;
  }
  const changed = registry.files.filter((f) => f.changed).map((f) => f.path);
  await saveRegistry(ctx.workspace, registry);
  ctx.registry = registry;
  const what =
    changed.length === 0
      ? `${stored} already in the registry; nothing to change`
      : `registry entry ${stored} ${existed ? 'updated' : 'added'} from the spec (${changed.join(', ')})`;
  ctx.emit({ type: 'log', level: 'info', message: `COMPLETE: ${what}` });
}

/** The subproject (one with its own registry) holding every file the run changed; '' for none. */
function projectOfChanges(ctx: RunContext, registry: EntityRegistry): string {
  const changed = filesChanged(ctx.state());
  const projects = registry.files.map((f) => f.project).filter((p) => p !== '');
  const holding = projects.filter((p) => changed.length > 0 && changed.every((file) => file.startsWith(`${p}/`)));
  return holding.sort((a, b) => b.length - a.length)[0] ?? '';
}
