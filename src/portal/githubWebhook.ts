/**
 * `POST /webhooks/github` on `serve` (the GitHub room checks and acts on it, src/github). Every
 * delivery is counted before anything of it is read or its signature checked, per sending address
 * and overall, in the queue's store as sign-ins are (rateLimit.ts): past the limit a delivery is
 * refused unread (429, Retry-After) until the window passes. A delivery whose signature holds takes
 * its attempt back, so only forged or unsigned ones add up, and GitHub's own bursts (twenty issues
 * labelled at once) are never refused.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GITHUB_WEBHOOK_BODY_BYTES, type Github } from '../github';
import { readBody, sendError, sendJson } from './httpKit';
import { SignInLimiter } from './rateLimit';

/** Unsigned or forged deliveries from one address within the window (15 minutes) before it is refused unread. */
export const GITHUB_FAILURES_PER_ADDRESS = 30;
/** …and from every address together (a flood from many addresses). */
export const GITHUB_FAILURES_OVERALL = 120;

export class GithubWebhook {
  private readonly perAddress: SignInLimiter;
  private readonly overall: SignInLimiter;

  constructor(
    private readonly github: Github | undefined,
    store: ConstructorParameters<typeof SignInLimiter>[0],
    now: () => number = Date.now,
  ) {
    this.perAddress = new SignInLimiter(store, now, GITHUB_FAILURES_PER_ADDRESS);
    this.overall = new SignInLimiter(store, now, GITHUB_FAILURES_OVERALL);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.github) {
      req.resume();
      return sendError(
        res,
        503,
        'this server takes no GitHub deliveries: set GITHUB_WEBHOOK_SECRET and a GitHub App or GITHUB_TOKEN (docs/github.md)',
      );
    }
    const address = [`github:addr:${req.socket.remoteAddress ?? ''}`];
    const all = ['github:all'];
    // Counted before the body is read: a flood costs a counter each, never a 1 MB read and an HMAC.
    const wait = Math.max(await this.perAddress.attempt(address), await this.overall.attempt(all));
    if (wait > 0) {
      req.resume();
      return sendJson(
        res,
        429,
        { error: `too many unsigned or forged deliveries: try again in ${Math.ceil(wait / 60)} minute(s)` },
        { 'retry-after': String(wait) },
      );
    }
    const answer = await this.github.receive(req.headers, await readBody(req, GITHUB_WEBHOOK_BODY_BYTES));
    // Signed by GitHub (whatever it carries): its attempt is given back.
    if (answer.status !== 401 && answer.status !== 403)
      await this.perAddress.succeeded(undefined, [...address, ...all]);
    sendJson(res, answer.status, answer.body);
  }
}
