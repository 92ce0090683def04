/**
 * Blocks across layers (seed 003, docs/traceability.md): a layer whose agent answers `blocked` with
 * `needs: {layer, request}` reports a block (`block.reported`); the owning layer does the
 * request in FIX mode (agent → validate → retry, its own files only); `block.resolved` follows
 * and the blocked layer's agent continues its conversation with the answer. At most
 * `limits.maxBlocks` resolutions per run; a cycle (A needs B needs A), an unknown layer or the
 * cap stops the run with a report naming both layers. A layer's own work and a fix for a block
 * on it never run at once (one lock per layer). Resume finds an open block in the journal and
 * resolves it before the blocked layer runs again.
 */
import { plansBySquad, squadOf } from './squads';
import type { LayerResult } from '../../agents';
import type { StateEvent } from '../../journal';
import type { Message } from '../../llm';
import { modelFor } from '../../project/config';
import { layerTasksText, type Spec } from '../../project/specs';
import { assembleLayerContext, type EntityFocus, layerRetryMessage, layerSystem, runPipelineAgent } from '../agent';
import { RunStop } from '../../errors';
import { blockedStopped, type RunContext, validationStopped } from '../kernel';
import { validateLayer } from './validateLayer';

const UNBLOCK_MAX_TOKENS = 16384;

export interface BlockInput {
  from: string;
  result: LayerResult;
  spec: Spec;
  focus: EntityFocus;
}

interface OpenBlock {
  block: number;
  from: string;
  to: string;
  request: string;
}

/** Per run: one lock per layer, the resolutions under way, and whether a block already stopped the run. */
interface BlockBook {
  locks: Map<string, Promise<void>>;
  underWay: number;
  stop?: RunStop;
}

const books = new WeakMap<RunContext, BlockBook>();

function bookOf(ctx: RunContext): BlockBook {
  let book = books.get(ctx);
  if (!book) books.set(ctx, (book = { locks: new Map(), underWay: 0 }));
  return book;
}

/** Runs `work` holding the layer's lock: its own job and a fix for a block on it never overlap. */
export async function withLayerLock<T>(ctx: RunContext, layer: string, work: () => Promise<T>): Promise<T> {
  const book = bookOf(ctx);
  const previous = book.locks.get(layer) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  book.locks.set(
    layer,
    previous.then(() => mine),
  );
  await previous;
  try {
    return await work();
  } finally {
    release();
  }
}

/**
 * A layer's agent answered "blocked": resolve the block and return the message its agent
 * continues with, or throw the stop (no `needs`, unknown layer, cycle, cap).
 */
export async function resolveBlock(ctx: RunContext, input: BlockInput): Promise<string> {
  const { from, result } = input;
  ctx.emit({ type: 'agent.blocked', agent: from, reason: result.summary });
  const needs = result.needs;
  if (!needs) throw blockedStopped({ agent: from, summary: result.summary });
  const to = needs.layer.trim().toLowerCase();
  const layers = Object.keys(ctx.config.layers);
  const owner = layers.find((layer) => layer.toLowerCase() === to);
  if (!owner || owner === from) {
    throw blockStop(`${from} is blocked on "${needs.layer}", ${owner ? 'itself' : 'which is not a configured layer'}`, [
      `### Blocked layer: ${from}`,
      `- Needs: ${needs.layer} — ${needs.request}`,
      `- Reason: ${result.summary}`,
      `- Configured layers: ${layers.join(', ')}`,
    ]);
  }
  const block = nextBlockNumber(ctx.events);
  ctx.emit({ type: 'block.reported', block, from, to: owner, request: needs.request });
  // Seed 003: a squad's need of another squad's work goes to the CTO, who brings it to the squad that owns it.
  if (plansBySquad(ctx.workflow)) {
    const [fromSquad, toSquad] = [squadOf(ctx.workflow, ctx.config, from), squadOf(ctx.workflow, ctx.config, owner)];
    if (fromSquad !== toSquad)
      ctx.emit({ type: 'pm.cto.dependency_request', block, from: fromSquad, to: toSquad, request: needs.request });
  }
  return resolveOpen(ctx, { block, from, to: owner, request: needs.request }, input);
}

/**
 * Before a blocked layer's agent runs again after a resume: resolves a block the journal shows
 * open, and returns the answer of a resolved block its agent has not seen yet ('' when none).
 */
export async function pendingBlockAnswer(
  ctx: RunContext,
  layer: string,
  spec: Spec,
  focus: EntityFocus,
): Promise<string> {
  if (!ctx.facts().blocked.has(layer)) return '';
  const events = ctx.events;
  let lastBlocked = -1;
  events.forEach((e, index) => {
    if (e.type === 'agent.blocked' && e.agent === layer) lastBlocked = index;
  });
  const reported = events.slice(lastBlocked + 1).find((e) => e.type === 'block.reported' && e.from === layer) as
    Extract<StateEvent, { type: 'block.reported' }> | undefined;
  if (!reported) return '';
  const open: OpenBlock = { block: reported.block, from: reported.from, to: reported.to, request: reported.request };
  const resolved = resolutionOf(events, open.block);
  if (resolved) return answerMessage(open, resolved.summary, resolved.files);
  return resolveOpen(ctx, open, { from: layer, result: { status: 'blocked', summary: open.request }, spec, focus });
}

async function resolveOpen(ctx: RunContext, open: OpenBlock, input: BlockInput): Promise<string> {
  const book = bookOf(ctx);
  if (book.stop) throw book.stop;
  const cycle = cycleThrough(ctx.events, open);
  if (cycle) {
    throw (book.stop = blockStop(`${open.from} and ${open.to} are blocked on each other`, [
      '### Blocked in a cycle',
      ...cycle.map((b) => `- ${b.from} needs ${b.to}: ${b.request}`),
      `Neither ${open.from} nor ${open.to} can go on: the spec has to say which of them provides what first (a dependency in \`after:\`, or the shared contract in the spec).`,
    ]));
  }
  const resolved = ctx.events.filter((e) => e.type === 'block.resolved').length;
  const max = ctx.config.limits.maxBlocks;
  if (resolved + book.underWay >= max) {
    throw blockStop(
      `${open.from} is blocked on ${open.to} and limits.maxBlocks (${max}) is used up`,
      [
        `### Blocked layer: ${open.from}`,
        `- Needs: ${open.to} — ${open.request}`,
        `- Blocks resolved in this run: ${resolved} of ${max} (limits.maxBlocks)`,
      ],
      'Raise limits.maxBlocks in .claude/orchestrator.yaml and run `orchestrator resume`, or do the work yourself and resume.',
    );
  }
  book.underWay++;
  try {
    const answer = await withLayerLock(ctx, open.to, async () => {
      if (book.stop) throw book.stop;
      return unblock(ctx, open, input);
    });
    return answerMessage(open, answer.summary, answer.files);
  } finally {
    book.underWay--;
  }
}

/** The owning layer does the request: its agent, then the orchestrator's validation, with retries. */
async function unblock(
  ctx: RunContext,
  open: OpenBlock,
  input: BlockInput,
): Promise<{ summary: string; files: string[] }> {
  const layer = open.to;
  const owns = ctx.config.layers[layer]?.owns ?? [];
  const max = ctx.config.limits.maxRetries;
  const { shared, context } = await assembleLayerContext(ctx, layer, input.focus, {
    spec: input.spec.body,
    tasks: layerTasksText(input.spec.body, ctx.config, layer),
  });
  const written = new Set<string>();
  // One agent turn of the fix: a new conversation, or the previous one (or CLI session) continued with `task`.
  const agent = async (task: string, previous?: { conversation?: readonly Message[]; session?: string }) => {
    const continues = previous ? (previous.conversation ?? []) : undefined;
    const run = await runPipelineAgent(ctx, {
      name: layer,
      mode: 'unblock',
      attempt: ctx.events.filter((e) => e.type === 'agent.started' && e.agent === layer).length + 1,
      model: modelFor(ctx.config, layer),
      maxTokens: UNBLOCK_MAX_TOKENS,
      shared,
      system: layerSystem(layer, owns),
      context,
      task,
      ...(continues ? { continues } : {}),
      ...(previous?.session ? { session: previous.session } : {}),
      owns,
      finalTool: 'submit_result',
      maxTurns: ctx.config.limits.maxAgentTurns,
    });
    [...run.filesWritten, ...run.filesCreated, ...run.filesDeleted].forEach((file) => written.add(file));
    return run;
  };
  let run = await agent(unblockTask(open));
  for (let retries = 0; ;) {
    // The owning layer may be blocked in turn (on a third layer, or back: a cycle).
    while (run.final.status === 'blocked') {
      const answer = await resolveBlock(ctx, { from: layer, result: run.final, spec: input.spec, focus: input.focus });
      run = await agent(answer, run);
    }
    const failure = await validateLayer(ctx, layer);
    if (!failure) break;
    if (retries >= max)
      throw validationStopped({ layer, retries, max, command: failure.command, error: failure.output });
    retries++;
    ctx.emit({ type: 'retry', layer, attempt: retries, max });
    run = await agent(
      layerRetryMessage({ attempt: retries, max, command: failure.command, error: failure.output }),
      run,
    );
  }
  const files = [...written].sort();
  ctx.emit({
    type: 'block.resolved',
    block: open.block,
    from: open.from,
    to: open.to,
    summary: run.final.summary,
    files,
  });
  return { summary: run.final.summary, files };
}

function unblockTask(open: OpenBlock): string {
  return `## BLOCK FIX MODE — ${open.from.toUpperCase()} IS BLOCKED ON YOUR LAYER
The ${open.from} layer cannot finish its part of the spec without this from your layer:
${open.request}
Do exactly what is needed for that, inside the paths you own, following the spec and your layer's conventions; nothing else. If it already exists, check it and say where. Then call submit_result with status "done" and a summary the ${open.from} layer can act on: the paths, endpoints, fields or names it can now use.`;
}

function answerMessage(open: OpenBlock, summary: string, files: string[]): string {
  return `## BLOCK RESOLVED — CONTINUE
The ${open.to} layer did what you asked for ("${open.request}") and its validation passed.
### Its answer
${summary}
### Files it changed
${files.map((f) => `- ${f}`).join('\n') || '- none (it was already there)'}
Continue your tasks with this, then call submit_result again.`;
}

function nextBlockNumber(events: readonly StateEvent[]): number {
  return events.reduce((max, e) => (e.type === 'block.reported' ? Math.max(max, e.block) : max), 0) + 1;
}

function resolutionOf(events: readonly StateEvent[], block: number): { summary: string; files: string[] } | undefined {
  const resolved = events.find((e) => e.type === 'block.resolved' && e.block === block) as
    Extract<StateEvent, { type: 'block.resolved' }> | undefined;
  return resolved ? { summary: resolved.summary, files: resolved.files } : undefined;
}

/** Open blocks: reported and not resolved. A cycle is a chain of open blocks from `open.to` back to `open.from`. */
function cycleThrough(events: readonly StateEvent[], open: OpenBlock): OpenBlock[] | undefined {
  const resolved = new Set(events.flatMap((e) => (e.type === 'block.resolved' ? [e.block] : [])));
  const openBlocks = events.flatMap((e) =>
    e.type === 'block.reported' && !resolved.has(e.block) && e.block !== open.block
      ? [{ block: e.block, from: e.from, to: e.to, request: e.request }]
      : [],
  );
  const path: OpenBlock[] = [open];
  const seen = new Set<string>([open.from]);
  let at = open.to;
  while (!seen.has(at)) {
    seen.add(at);
    const next = openBlocks.find((b) => b.from === at);
    if (!next) return undefined;
    path.push(next);
    at = next.to;
  }
  return at === open.from ? path : undefined;
}

function blockStop(
  message: string,
  lines: string[],
  action = 'Manual intervention needed. Resolve what blocks the layers (or edit the spec), then run `orchestrator resume`.',
): RunStop {
  const report = ['## Pipeline stopped: agent blocked', ...lines, '### Action needed', action];
  return new RunStop('blocked', message, report.join('\n'));
}
