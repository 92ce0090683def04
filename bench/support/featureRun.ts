/**
 * One scripted feature run end to end: a fresh shop copy, the Messages API test server
 * (every reply taking a fixed latency: time to first token, then the stream), the real
 * engine (engine.runFeature, the real SDK client from RunOptions.baseURL + host.getApiKey()), an
 * approving in-memory host.
 */
import { performance } from 'node:perf_hooks';
import type { RunSummary } from '../../src/core/api';
import { engine } from '../../src/core/engine';
import { startMessagesApiServer } from '../../test/support/messagesApiServer';
import { BenchHost } from './benchHost';
import { scriptedAgents, type AgentCall, type AgentScript } from './scriptedAgents';
import { makeShop, type ShopOptions } from './shop';

export interface FeatureRun {
  summary: RunSummary;
  host: BenchHost;
  /** engine.runFeature from call to return. */
  wallMs: number;
  /** performance.now() when engine.runFeature was called. */
  startedAt: number;
  calls: AgentCall[];
}

export interface FeatureRunOptions {
  request: string;
  agents: Record<string, AgentScript>;
  latencyMs: number;
  shop?: ShopOptions;
  /** Throw unless the run ends with this status (default 'completed'). */
  expect?: RunSummary['status'];
  /** Called right before engine.runFeature and right after it returns (what a case measures, without the set-up). */
  onRunStart?: () => void;
  onRunEnd?: () => void;
  /** Told the test server's URL before the run (a CLI agent reads it from its own variable). */
  onServer?: (url: string) => void;
  /** Given the run's timed events once it ended as expected. */
  onEvents?: (events: BenchHost['events']) => void;
  /** Given the workspace once the run ended as expected, before it is removed. */
  afterRun?: (workspace: string) => void | Promise<void>;
}

export async function featureRun(options: FeatureRunOptions): Promise<FeatureRun> {
  const shop = makeShop(options.shop);
  const scripted = scriptedAgents(options.agents, options.latencyMs);
  const api = await startMessagesApiServer(scripted.script).catch((error: unknown) => {
    shop.cleanup();
    throw error;
  });
  const host = new BenchHost();
  try {
    options.onServer?.(api.url);
    options.onRunStart?.();
    const startedAt = performance.now();
    const summary = await engine.runFeature(options.request, {
      workspace: shop.dir,
      host,
      baseURL: api.url,
      autoApprove: true,
      assumeYes: true,
    });
    const wallMs = performance.now() - startedAt;
    options.onRunEnd?.();
    const expected = options.expect ?? 'completed';
    if (api.scriptErrors.length > 0)
      throw new Error(`the scripted API failed: ${api.scriptErrors.map((e) => e.message).join('; ')}`);
    if (summary.status !== expected) {
      throw new Error(
        `run ended ${summary.status}, expected ${expected}: ${summary.error ?? ''} ${summary.report ?? ''}`.trim(),
      );
    }
    options.onEvents?.(host.events);
    await options.afterRun?.(shop.dir);
    return { summary, host, wallMs, startedAt, calls: scripted.calls };
  } finally {
    await api.close();
    shop.cleanup();
  }
}
