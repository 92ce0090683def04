/**
 * Live updates to every open portal: Server-Sent Events on `/api/events` (signed-in browsers only).
 * Each change to the queue is pushed as `event: change` with the task's id and what happened; the
 * page re-reads what it shows. Nothing polls. A comment line every 25 s keeps proxies from closing
 * an idle stream. Open streams are bounded overall and per account: one account (a script with a
 * stolen session, a browser gone wild) cannot take the places of everyone else.
 */
import type { ServerResponse } from 'node:http';
import type { QueueChange } from '../core/queue';
import { SECURITY_HEADERS } from './httpKit';

export const MAX_STREAMS = 2000;
/** A person's tabs and windows, with room to spare. */
export const MAX_STREAMS_PER_ACCOUNT = 20;

export class Realtime {
  private readonly streams = new Set<ServerResponse>();
  private readonly ofAccount = new Map<string, number>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => this.streams.forEach((res) => res.write(': keep-alive\n\n')), 25_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.streams.size;
  }

  /** Opens a stream on `res` for `account`; otherwise why not: the overall limit (503) or the account's (429). */
  open(res: ServerResponse, account: string): { status: 429 | 503; message: string } | undefined {
    if (this.streams.size >= MAX_STREAMS)
      return { status: 503, message: `too many open live connections (the limit is ${MAX_STREAMS})` };
    const mine = this.ofAccount.get(account) ?? 0;
    if (mine >= MAX_STREAMS_PER_ACCOUNT)
      return {
        status: 429,
        message: `too many open live connections for ${account} (the limit is ${MAX_STREAMS_PER_ACCOUNT} per account): close a tab`,
      };
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    this.streams.add(res);
    this.ofAccount.set(account, mine + 1);
    res.on('close', () => {
      this.streams.delete(res);
      const left = (this.ofAccount.get(account) ?? 1) - 1;
      if (left > 0) this.ofAccount.set(account, left);
      else this.ofAccount.delete(account);
    });
    return undefined;
  }

  publish(change: QueueChange): void {
    const frame = `event: change\ndata: ${JSON.stringify(change)}\n\n`;
    for (const res of this.streams) res.write(frame);
  }

  /** The pool of workers changed (poolBoard.ts): pages showing it re-read `/api/pool`. */
  publishPool(): void {
    for (const res of this.streams) res.write('event: pool\ndata: {}\n\n');
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.streams) res.end();
    this.streams.clear();
    this.ofAccount.clear();
  }
}
