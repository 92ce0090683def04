/**
 * Signed-in browsers. A session is a random id in an httpOnly, SameSite=Strict cookie (`Secure`
 * behind HTTPS), with its own CSRF token that every state-changing request must echo in
 * `X-CSRF-Token` (the page reads it from /api/me; another site can neither read it nor send the
 * header without a CORS preflight we never grant). Kept in this process's memory: a restart
 * signs everyone out, and each `serve` process of a team keeps its own browsers.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Role } from '../core/queue/types';
import { cookies } from './httpKit';

export const SESSION_COOKIE = 'orch_session';
const IDLE_MS = 8 * 60 * 60 * 1000;
const MAX_SESSIONS = 10_000;

export interface Session {
  id: string;
  name: string;
  role: Role;
  csrf: string;
  lastSeen: number;
}

export class Sessions {
  private readonly byId = new Map<string, Session>();

  constructor(private readonly secure: boolean) {}

  start(name: string, role: Role): { session: Session; cookie: string } {
    this.sweep();
    if (this.byId.size >= MAX_SESSIONS) this.byId.delete(this.byId.keys().next().value!);
    const session: Session = { id: randomBytes(32).toString('base64url'), name, role, csrf: randomBytes(32).toString('base64url'), lastSeen: Date.now() };
    this.byId.set(session.id, session);
    return { session, cookie: this.cookie(session.id, IDLE_MS / 1000) };
  }

  /** The request's live session (its cookie), refreshed. */
  of(req: IncomingMessage): Session | undefined {
    const id = cookies(req).get(SESSION_COOKIE);
    const session = id ? this.byId.get(id) : undefined;
    if (!session) return undefined;
    if (Date.now() - session.lastSeen > IDLE_MS) {
      this.byId.delete(session.id);
      return undefined;
    }
    session.lastSeen = Date.now();
    return session;
  }

  end(session: Session): string {
    this.byId.delete(session.id);
    return this.cookie('', 0);
  }

  /** Every session of an account ends (deleted, or its role changed). */
  endAll(name: string): void {
    for (const session of this.byId.values()) if (session.name === name) this.byId.delete(session.id);
  }

  csrfMatches(session: Session, req: IncomingMessage): boolean {
    const given = Buffer.from(String(req.headers['x-csrf-token'] ?? ''));
    const expected = Buffer.from(session.csrf);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private cookie(value: string, maxAgeSec: number): string {
    return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSec}${this.secure ? '; Secure' : ''}`;
  }

  private sweep(): void {
    const cutoff = Date.now() - IDLE_MS;
    for (const session of this.byId.values()) if (session.lastSeen < cutoff) this.byId.delete(session.id);
  }
}
