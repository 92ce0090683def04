/**
 * Sends what the queue owes requesters (its `replies` outbox: decisions, the claimer's messages)
 * through Twilio's Messages API: `POST {base}/2010-04-01/Accounts/{sid}/Messages.json` with
 * `To`, `From` and `Body`, HTTP basic auth with the account SID and TWILIO_AUTH_TOKEN. The base is
 * TWILIO_API_BASE_URL (Twilio's by default; tests point it at a local server). A failed send
 * stays in the store with its error (shown on the task) and is tried again later, waiting
 * longer each time: nothing is dropped. Several `serve` processes take each reply once.
 */
import type { QueueService, Reply } from '../core/queue';

export const TWILIO_DEFAULT_BASE = 'https://api.twilio.com';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  from: string;
  baseUrl: string;
}

export interface ReplySenderOptions {
  /** The first retry's wait; each further one doubles, up to 10 minutes. */
  retryBaseMs?: number;
  /** How long one send may take before it counts as failed. */
  timeoutMs?: number;
}

export class ReplySender {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly retryBaseMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly queue: QueueService,
    private readonly twilio: TwilioSettings,
    options: ReplySenderOptions = {},
  ) {
    this.retryBaseMs = options.retryBaseMs ?? 5000;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** Sends what is due now (a change may have added a reply); coalesces calls made while sending. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sendDue()
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async sendDue(): Promise<void> {
    const holdSec = Math.ceil(this.timeoutMs / 1000) + 30;
    for (;;) {
      const due = await this.queue.store.takeDueReplies(new Date(), holdSec, 20);
      if (due.length === 0) break;
      await Promise.all(due.map((reply) => this.send(reply)));
    }
    this.scheduleRetry();
  }

  private async send(reply: Reply): Promise<void> {
    const { accountSid, authToken, from, baseUrl } = this.twilio;
    const url = new URL(
      `2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`,
      baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`,
    );
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: reply.recipient, From: from, Body: reply.body }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) {
        const detail = ((await res.json().catch(() => ({}))) as { message?: string }).message;
        throw new Error(`Twilio answered ${res.status}${detail ? `: ${String(detail).slice(0, 300)}` : ''}`);
      }
      await this.queue.store.replySent(reply.id, new Date());
    } catch (error) {
      const wait = Math.min(10 * 60_000, this.retryBaseMs * 2 ** reply.attempts);
      await this.queue.store.replyFailed(reply.id, (error as Error).message, new Date(Date.now() + wait));
    }
    this.queue.notify(reply.taskId, 'reply');
  }

  /** Wakes up when the earliest failed reply is due again. */
  private scheduleRetry(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => this.kick(), this.retryBaseMs);
    this.timer.unref();
  }
}
