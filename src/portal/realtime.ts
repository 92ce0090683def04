/**
 * Live updates to every open portal: Server-Sent Events on `/api/events` (signed-in browsers only).
 * Each change to the queue is pushed as `event: change` with the task's id and what happened; the
 * page re-reads what it shows. Nothing polls. A comment line every 25 s keeps proxies from closing
 * an idle stream. Open streams are bounded.
 */
import type { ServerResponse } from 'node:http';
import type { QueueChange } from '../core/queue/queueService';
import { SECURITY_HEADERS } from './httpKit';

export const MAX_STREAMS = 2000;

export class Realtime {
  private readonly streams = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => this.streams.forEach((res) => res.write(': keep-alive\n\n')), 25_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.streams.size;
  }

  /** Opens a stream on `res`; false when too many are open (the caller answers 503). */
  open(res: ServerResponse): boolean {
    if (this.streams.size >= MAX_STREAMS) return false;
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 1000\n\n');
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
    return true;
  }

  publish(change: QueueChange): void {
    const frame = `event: change\ndata: ${JSON.stringify(change)}\n\n`;
    for (const res of this.streams) res.write(frame);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.streams) res.end();
    this.streams.clear();
  }
}
