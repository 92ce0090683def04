/**
 * A shop's task queue (SQLite, or PostgreSQL when `config` names a queue.url) served by the
 * portal on a free port, with a keep-alive agent for the bench's requests; all closed after.
 */
import { Agent } from 'node:http';
import { engine } from '../../src/core/engine';
import type { QueueService } from '../../src/core/queue/queueService';
import { startPortal, type Portal } from '../../src/portal/server';
import { makeShop } from './shop';

export interface BenchPortal {
  /** The shop's folder (its queue's data folder is keyed by it). */
  workspace: string;
  queue: QueueService;
  portal: Portal;
  port: number;
  agent: Agent;
}

export async function onPortal<T>(
  options: { inFlight: number; webhookSecret?: string; config?: (yaml: string) => string },
  body: (served: BenchPortal) => Promise<T>,
): Promise<T> {
  const shop = makeShop(options.config ? { config: options.config } : {});
  const queue = await engine.openQueue(shop.dir, { trusted: true });
  const portal = await startPortal(queue, {
    port: 0,
    host: '127.0.0.1',
    assetsDir: '/nonexistent',
    version: 'bench',
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: options.inFlight });
  try {
    return await body({
      workspace: shop.dir,
      queue,
      portal,
      port: (portal.server.address() as { port: number }).port,
      agent,
    });
  } finally {
    agent.destroy();
    await portal.close();
    await queue.close();
    shop.cleanup();
  }
}
