/**
 * Ticks as work is done (issue 71): a layer's task and file lines in the run's spec are ticked
 * once its work is accepted — its validation passed after its last change, having checked
 * something (a validate command or a proof test), or it changed nothing; work nothing checked is
 * ticked only once the run accepts it unchecked (`--allow-unchecked`, issue 70), and at COMPLETE
 * every layer done is. A layer sent back (a review's fix, an amendment) has this run's ticks taken
 * back until it is accepted again; a rollback takes back all of them. A spec imported from a Kiro
 * or Spec Kit folder gets the same tasks ticked there, in that tool's notation. Each change is
 * journaled (`spec.ticked`) and written through the spec store, never beside Prettier's write.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { foreignFormat, TASK_LINE, withSourceTicks } from '../../import';
import { filesChanged, type StateEvent } from '../../journal';
import { layerOwning, type OrchestratorConfig } from '../../project/config';
import { writeFileAtomic } from '../../project/sources';
import { loadSpec, type SpecChecklistItem, specWork, tickSpecItems } from '../../project/specs';
import { type RunContext, withOwnFiles } from '../kernel';
import { frozenProofFiles } from '../proof';

type Ticked = Extract<StateEvent, { type: 'spec.ticked' }>;

/** Per layer, its lines this run ticked and has not taken back (the latest `spec.ticked` of each layer). */
export function ticksOfRun(events: readonly StateEvent[]): Map<string, Ticked> {
  const ticks = new Map<string, Ticked>();
  for (const e of events) {
    if (e.type !== 'spec.ticked') continue;
    if (e.done) ticks.set(e.layer, e);
    else ticks.delete(e.layer);
  }
  return ticks;
}

/**
 * Ticks the lines of every layer accepted now and not ticked yet. `complete`: the run passed its
 * unchecked gate (COMPLETE), so every layer whose work is done is accepted.
 */
export async function tickAcceptedWork(ctx: RunContext, complete = false): Promise<void> {
  // An attempt's worktree is not the run's: the picked attempt's work is ticked once it joins the run.
  if (ctx.attempt) return;
  const specId = ctx.facts().specId;
  if (!specId) return;
  const ticked = ticksOfRun(ctx.events);
  const due = acceptedLayers(ctx, complete).filter((layer) => !ticked.has(layer));
  if (due.length === 0) return;
  if (ctx.writesAllowed) await ctx.writesAllowed;
  await withOwnFiles(ctx.workspace, async () => {
    for (const layer of due) await setLayerTicks(ctx, specId, layer, true);
  });
}

/** The layer works again: the ticks this run gave it are taken back until its work is accepted again. */
export async function untickLayer(ctx: RunContext, layer: string): Promise<void> {
  if (ctx.attempt) return;
  const specId = ctx.facts().specId;
  const ticked = ticksOfRun(ctx.events).get(layer);
  if (!specId || !ticked) return;
  await withOwnFiles(ctx.workspace, () => setLayerTicks(ctx, specId, layer, false, ticked));
}

/**
 * The layers whose work is accepted: done (implemented, its last validation passed since), and
 * checked by what ran or changing nothing, or accepted unchecked by the run.
 */
function acceptedLayers(ctx: RunContext, complete: boolean): string[] {
  const state = ctx.state();
  const lastPass = new Map<string, Extract<StateEvent, { type: 'validation.passed' }>>();
  for (const e of ctx.events) if (e.type === 'validation.passed') lastPass.set(e.layer, e);
  const frozen = frozenProofFiles(ctx);
  const changed = filesChanged(state).filter((file) => !frozen.has(file));
  const acceptedUnchecked = new Set(state.unchecked?.accepted ? state.unchecked.layers.map((u) => u.layer) : []);
  return Object.keys(state.layers).filter((layer) => {
    if (!state.layers[layer]!.done || !Object.hasOwn(ctx.config.layers, layer)) return false;
    if (complete || acceptedUnchecked.has(layer)) return true;
    const pass = lastPass.get(layer);
    if (pass && ((pass.commands ?? 1) > 0 || (pass.proofTests ?? 0) > 0)) return true;
    return !changed.some((file) => layerOwning(ctx.config, file) === layer);
  });
}

async function setLayerTicks(
  ctx: RunContext,
  specId: string,
  layer: string,
  done: boolean,
  earlier?: Ticked,
): Promise<void> {
  const spec = await loadSpec(ctx.workspace, specId).catch(() => undefined);
  if (!spec) return;
  const text = await readFile(join(ctx.workspace, spec.path), 'utf8');
  const items = layerItems(text, ctx.config, layer).filter(
    (item) => item.done !== done && (!earlier || earlier.items.includes(item.text)),
  );
  const changed = await tickSpecItems(ctx.workspace, spec.path, items, done);
  if (changed.length === 0) return;
  const refs = earlier?.source?.refs ?? sourceRefs(changed);
  const source = spec.frontMatter.source ? await tickSource(ctx.workspace, spec.frontMatter.source, refs, done) : [];
  ctx.emit({
    type: 'spec.ticked',
    specId,
    layer,
    done,
    items: changed.map((item) => item.text),
    ...(source.length > 0 ? { source: { path: `${spec.frontMatter.source}/tasks.md`, refs: source } } : {}),
  });
}

/** The layer's own task and file lines. */
function layerItems(text: string, config: OrchestratorConfig, layer: string): SpecChecklistItem[] {
  const work = specWork(text, config).layers[layer];
  return work ? [...work.tasks, ...work.files] : [];
}

/** An imported task keeps its source id after its number (`3. [ ] 2.1 …`, `1. [ ] T012 …`). */
function sourceRefs(items: readonly SpecChecklistItem[]): string[] {
  return items.flatMap((item) => {
    const ref = TASK_LINE.exec(`1. [ ] ${item.text}`)?.[2];
    return ref && /^(?:\d+(?:\.\d+)*|T\d+(?:-\d+)?[a-zA-Z]?)$/.test(ref) ? [ref] : [];
  });
}

/** The imported folder's tasks.md, ticked in its own notation; the refs whose line changed. */
async function tickSource(
  workspace: string,
  folder: string,
  refs: readonly string[],
  done: boolean,
): Promise<string[]> {
  if (refs.length === 0) return [];
  const dir = join(workspace, folder);
  const format = foreignFormat(dir);
  if (format !== 'kiro' && format !== 'speckit') return [];
  const file = join(dir, 'tasks.md');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const ticked = withSourceTicks(format, text, refs, done);
  if (ticked.changed.length > 0) await writeFileAtomic(file, ticked.text);
  return ticked.changed;
}

/** Every tick `events` gave and did not take back, taken back in `workspace` (a rollback). */
export async function untickRun(
  workspace: string,
  config: OrchestratorConfig,
  events: readonly StateEvent[],
): Promise<void> {
  for (const ticked of ticksOfRun(events).values()) {
    const spec = await loadSpec(workspace, ticked.specId).catch(() => undefined);
    if (!spec) continue;
    const text = await readFile(join(workspace, spec.path), 'utf8');
    const items = layerItems(text, config, ticked.layer).filter(
      (item) => item.done && ticked.items.includes(item.text),
    );
    await tickSpecItems(workspace, spec.path, items, false);
    if (ticked.source) await tickSource(workspace, dirname(ticked.source.path), ticked.source.refs, false);
  }
}
