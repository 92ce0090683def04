/**
 * Signed-in browsers. A session is a random id in an httpOnly, SameSite=Strict cookie (`Secure`
 * behind HTTPS), with its own CSRF token that every state-changing request must echo in
 * `X-CSRF-Token` (the page reads it from /api/me; another site can neither read it nor send the
 * header without a CORS preflight we never grant). Kept in the queue's store, by the SHA-256 of
 * the id (a copy of the table signs nobody in): a restart signs nobody out, and every `serve`
 * process on one database knows every session, so a team's processes behind a load balancer
 * behave as one. Ending an account's sessions (deleted, role changed, token revoked) ends them
 * everywhere at once.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { PortalSession, QueueStore, Role } from '../core/queue';
import { tokenHash } from './credentials';
import { cookies } from './httpKit';

export const SESSION_COOKIE = 'orch_session';
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
/** A session's last-seen time is written at most this often: one write a minute per busy browser, not one per request. */
const TOUCH_EVERY_MS = 60 * 1000;

export type Session = PortalSession;

/** What the store keeps of a session id: its SHA-256 (a random 256-bit id needs no slow hash). */
export const sessionIdHash = tokenHash;

export class Sessions {
  constructor(
    private readonly store: QueueStore,
    private readonly secure: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  async start(name: string, role: Role): Promise<{ session: Session; cookie: string }> {
    const now = this.now();
    // The idle ones go now and then: at each sign-in (cheap, indexed by last-seen).
    await this.store.deleteIdleSessions(new Date(now - SESSION_IDLE_MS));
    const id = randomBytes(32).toString('base64url');
    const at = new Date(now).toISOString();
    const session: Session = {
      idHash: sessionIdHash(id),
      name,
      role,
      csrf: randomBytes(32).toString('base64url'),
      createdAt: at,
      lastSeen: at,
    };
    await this.store.addSession(session);
    return { session, cookie: this.cookie(id, SESSION_IDLE_MS / 1000) };
  }

  /** The request's live session (its cookie), its last-seen time moved on. */
  async of(req: IncomingMessage): Promise<Session | undefined> {
    const id = cookies(req).get(SESSION_COOKIE);
    if (!id || id.length > 100) return undefined;
    const session = await this.store.getSession(sessionIdHash(id));
    if (!session) return undefined;
    const now = this.now();
    const idle = now - Date.parse(session.lastSeen);
    if (idle > SESSION_IDLE_MS) {
      await this.store.deleteSession(session.idHash);
      return undefined;
    }
    if (idle >= TOUCH_EVERY_MS) {
      session.lastSeen = new Date(now).toISOString();
      await this.store.touchSession(session.idHash, new Date(now));
    }
    return session;
  }

  async end(session: Session): Promise<string> {
    await this.store.deleteSession(session.idHash);
    return this.cookie('', 0);
  }

  csrfMatches(session: Session, req: IncomingMessage): boolean {
    const given = Buffer.from(String(req.headers['x-csrf-token'] ?? ''));
    const expected = Buffer.from(session.csrf);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private cookie(value: string, maxAgeSec: number): string {
    return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSec}${this.secure ? '; Secure' : ''}`;
  }
}
