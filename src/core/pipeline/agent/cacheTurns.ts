/**
 * Turn-taking on the prompt cache inside one wave. The layer agents of a run begin their
 * prompts alike (the same tools, then the run's shared block: layer rules, registry entry,
 * memory, approved spec), so on the same model each can read that prefix from the cache
 * another wrote. But the API serves a cache entry only once the response of the request
 * that wrote it has begun: layers of a wave that all send their first request at once
 * would each write the whole prefix (1.25× the input price) instead of one writing it and
 * the others reading it (0.1×).
 *
 * So per group of layers in a wave that send the same prefix, the leader (the one that
 * starts first: the layer the most later layers wait for) sends its first request at once;
 * the others send theirs when the leader's response has begun, about a time to first token
 * later (not a whole call), or as soon as the leader's first call or job ended without
 * one. A prefix whose response began earlier in the run is not waited for again, nor one
 * too short for any model to cache. The wait happens before the agent starts, so it never
 * counts as model time.
 */
import { createHash } from 'node:crypto';
import { buildToolSet } from '../../agents';
import type { ModelClient, ModelRequest } from '../../llm';
import { modelFor, type OrchestratorConfig } from '../../project/config';
import type { RunContext, WaveHooks } from '../kernel';

/** The smallest prompt prefix the API caches on any model (some need more); a shorter one is not worth a wait. */
export const MIN_CACHEABLE_TOKENS = 1024;
/** A rough estimate, as for the rest of the engine's size checks. */
const CHARS_PER_TOKEN = 4;
/**
 * The longest a layer waits for its leader's first response: a time to first token takes
 * about a second; a slower start (an SDK retry after a 429 or 529…) is not worth more of
 * the wave's wall time than a cache write costs.
 */
export const MAX_WAIT_MS = 2000;

export interface CacheTurns {
  /** Awaited before `layer` sends the first request of a new conversation. */
  before(layer: string, prompt: { shared: string; owns: string[] }): Promise<void>;
  /** The client `layer` sends with: the leader's tells the others when its first response has begun. */
  client(layer: string, client: ModelClient): ModelClient;
  /** `layer` is past its first request or will send none (validating, done, failed): nobody waits for it any longer. */
  release(layer: string): void;
}

/** Per run: the prefixes (model, tools, shared block) a response has begun for, so their cache entries exist. */
const servedByRun = new WeakMap<RunContext, Set<string>>();

function prefixKey(prefix: Pick<ModelRequest, 'model' | 'tools' | 'shared'>): string {
  return createHash('sha256')
    .update(prefix.model)
    .update('\0')
    .update(JSON.stringify(prefix.tools))
    .update('\0')
    .update(prefix.shared ?? '')
    .digest('hex');
}

/** Whether `layer` waits, through `after`, for `other` (directly or through other layers). */
function dependsOn(config: OrchestratorConfig, layer: string, other: string): boolean {
  const seen = new Set<string>();
  const queue = [...(config.layers[layer]?.after ?? [])];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (name === other) return true;
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...(config.layers[name]?.after ?? []));
  }
  return false;
}

/**
 * The order in which a wave's layers start (take a concurrency slot): the layers that more
 * of `later` wait for first, otherwise config order. The first of each group leads it.
 */
export function startOrder(config: OrchestratorConfig, wave: readonly string[], later: readonly string[]): string[] {
  const dependents = new Map(
    wave.map((layer) => [layer, later.filter((other) => dependsOn(config, other, layer)).length]),
  );
  return [...wave].sort((a, b) => (dependents.get(b) ?? 0) - (dependents.get(a) ?? 0));
}

interface Lead {
  opened: Promise<void>;
  open(): void;
  released: boolean;
}

/**
 * The turns of one wave whose layers start in `order` (see startOrder): the limiter hands
 * out slots first come, first served, so a leader always runs before the layers waiting
 * for it, whatever the concurrency.
 */
export function cacheTurns(ctx: RunContext, order: readonly string[]): CacheTurns {
  const served = servedByRun.get(ctx) ?? new Set<string>();
  servedByRun.set(ctx, served);
  const leaderOf = new Map<string, string>();
  const leads = new Map<string, Lead>();
  const leaderOfGroup = new Map<string, string>();
  for (const layer of order) {
    const group = `${modelFor(ctx.config, layer)}\0${(ctx.config.layers[layer]?.owns.length ?? 0) > 0}`;
    const leader = leaderOfGroup.get(group) ?? layer;
    leaderOfGroup.set(group, leader);
    leaderOf.set(layer, leader);
    if (leader === layer) {
      let open = (): void => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      const lead: Lead = { opened, released: false, open: () => ((lead.released = true), open()) };
      leads.set(layer, lead);
    }
  }
  const release = (layer: string): void => leads.get(layer)?.open();

  return {
    async before(layer, { shared, owns }) {
      const leader = leaderOf.get(layer);
      const lead = leader === undefined || leader === layer ? undefined : leads.get(leader);
      if (!lead || lead.released) return;
      const tools = buildToolSet({ owns, finalTool: 'submit_result' }).definitions;
      if ((JSON.stringify(tools).length + shared.length) / CHARS_PER_TOKEN < MIN_CACHEABLE_TOKENS) return;
      if (served.has(prefixKey({ model: modelFor(ctx.config, layer), tools, shared }))) return;
      const signal = ctx.signal;
      if (signal?.aborted) return;
      let stop = (): void => {};
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      const timer = setTimeout(stop, MAX_WAIT_MS);
      signal?.addEventListener('abort', stop, { once: true });
      try {
        await Promise.race([lead.opened, stopped]);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', stop);
      }
    },

    client(layer, client) {
      const lead = leads.get(layer);
      if (!lead) return client;
      return {
        send(request) {
          if (lead.released) return client.send(request);
          const onResponseStart = (): void => {
            served.add(prefixKey(request));
            request.onResponseStart?.();
            release(layer);
          };
          return client.send({ ...request, onResponseStart }).finally(() => release(layer));
        },
      };
    },

    release,
  };
}

/** For runWaves: starts each wave's layers in startOrder and keeps the wave's turns for its layers' jobs. */
export function waveCacheTurns(
  ctx: RunContext,
): Required<Pick<WaveHooks, 'startOrder'>> & { of(wave: string[]): CacheTurns | undefined } {
  const byWave = new WeakMap<string[], CacheTurns>();
  return {
    startOrder(wave, later) {
      const order = startOrder(ctx.config, wave, later);
      byWave.set(wave, cacheTurns(ctx, order));
      return order;
    },
    of: (wave) => byWave.get(wave),
  };
}
