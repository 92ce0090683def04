/**
 * The portal's people in the team's PostgreSQL queue: accounts, sessions, OpenID sign-ins in
 * flight and the sign-in attempts counted against guessing. The queue store (pgStore.ts) extends
 * it with the tasks and gives it the pool.
 */
import { accountOf, pendingSignInOf, sessionOf, signInCountOf, type Row } from './rows';
import type { Account, AccountUpdate, PendingSignIn, PortalSession, SignInCount } from './types';

export abstract class PgAccountStore {
  protected abstract all(sql: string, params: unknown[]): Promise<Row[]>;
  protected abstract one(sql: string, params: unknown[]): Promise<Row | undefined>;
  protected abstract transaction<T>(
    work: (query: (sql: string, params: unknown[]) => Promise<Row | undefined>) => Promise<T>,
  ): Promise<T>;

  async putAccount(account: AccountUpdate, now: Date): Promise<Account> {
    const row = await this.one(
      `INSERT INTO accounts (name, role, password_hash, email, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = COALESCE(excluded.password_hash, accounts.password_hash),
         token_hash = CASE WHEN accounts.role = excluded.role THEN accounts.token_hash ELSE NULL END,
         email = CASE WHEN $6 THEN excluded.email ELSE accounts.email END RETURNING *`,
      [
        account.name,
        account.role,
        account.passwordHash ?? null,
        account.email ?? null,
        now.toISOString(),
        account.email !== undefined,
      ],
    );
    return accountOf(row!);
  }

  async accountByEmail(email: string): Promise<Account | undefined> {
    const row = await this.one('SELECT * FROM accounts WHERE email = $1', [email]);
    return row && accountOf(row);
  }

  async getAccount(name: string): Promise<Account | undefined> {
    const row = await this.one('SELECT * FROM accounts WHERE name = $1', [name]);
    return row && accountOf(row);
  }

  async listAccounts(): Promise<Account[]> {
    return (await this.all('SELECT * FROM accounts ORDER BY name', [])).map(accountOf);
  }

  async deleteAccount(name: string): Promise<boolean> {
    return (await this.one('DELETE FROM accounts WHERE name = $1 RETURNING name', [name])) !== undefined;
  }

  async setAccountToken(name: string, tokenHash: string | null): Promise<boolean> {
    return (
      (await this.one('UPDATE accounts SET token_hash = $1 WHERE name = $2 RETURNING name', [tokenHash, name])) !==
      undefined
    );
  }

  async accountByToken(tokenHash: string): Promise<Account | undefined> {
    const row = await this.one('SELECT * FROM accounts WHERE token_hash = $1', [tokenHash]);
    return row && accountOf(row);
  }

  async addSession(session: PortalSession): Promise<void> {
    await this.all(
      'INSERT INTO sessions (id_hash, name, role, csrf, created_at, last_seen) VALUES ($1, $2, $3, $4, $5, $6)',
      [session.idHash, session.name, session.role, session.csrf, session.createdAt, session.lastSeen],
    );
  }

  async getSession(idHash: string): Promise<PortalSession | undefined> {
    const row = await this.one('SELECT * FROM sessions WHERE id_hash = $1', [idHash]);
    return row && sessionOf(row);
  }

  async touchSession(idHash: string, now: Date): Promise<void> {
    await this.all('UPDATE sessions SET last_seen = $1 WHERE id_hash = $2', [now.toISOString(), idHash]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.all('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteSessionsOf(name: string): Promise<void> {
    await this.all('DELETE FROM sessions WHERE name = $1', [name]);
  }

  async deleteIdleSessions(cutoff: Date): Promise<void> {
    await this.all('DELETE FROM sessions WHERE last_seen < $1', [cutoff.toISOString()]);
  }

  async addPendingSignIn(pending: PendingSignIn, staleBefore: Date, max: number): Promise<void> {
    await this.transaction(async (query) => {
      await query('DELETE FROM oidc_pending WHERE created_at < $1', [staleBefore.toISOString()]);
      await query(
        'DELETE FROM oidc_pending WHERE state_hash IN (SELECT state_hash FROM oidc_pending ORDER BY created_at DESC OFFSET $1)',
        [max - 1],
      );
      await query(
        'INSERT INTO oidc_pending (state_hash, verifier, nonce, browser_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
        [pending.stateHash, pending.verifier, pending.nonce, pending.browserHash, pending.createdAt],
      );
    });
  }

  async takePendingSignIn(stateHash: string): Promise<PendingSignIn | undefined> {
    const row = await this.one('DELETE FROM oidc_pending WHERE state_hash = $1 RETURNING *', [stateHash]);
    return row && pendingSignInOf(row);
  }

  async countSignInAttempt(key: string, now: Date, windowSec: number): Promise<SignInCount> {
    const cutoff = new Date(now.getTime() - windowSec * 1000).toISOString();
    await this.all('DELETE FROM signin_attempts WHERE window_start <= $1', [cutoff]);
    // One statement: the row's lock makes concurrent attempts from any process count one after another.
    const row = await this.one(
      `INSERT INTO signin_attempts (key, count, window_start) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET count = CASE WHEN signin_attempts.window_start <= $3 THEN 1 ELSE signin_attempts.count + 1 END,
         window_start = CASE WHEN signin_attempts.window_start <= $3 THEN excluded.window_start ELSE signin_attempts.window_start END
       RETURNING *`,
      [key, now.toISOString(), cutoff],
    );
    return signInCountOf(row!);
  }

  async signInAttempts(keys: string[]): Promise<SignInCount[]> {
    return (await this.all('SELECT * FROM signin_attempts WHERE key = ANY($1::text[])', [keys])).map(signInCountOf);
  }

  async signInSucceeded(forget: string[], refund: string[]): Promise<void> {
    await this.all('DELETE FROM signin_attempts WHERE key = ANY($1::text[])', [forget]);
    await this.all('UPDATE signin_attempts SET count = GREATEST(count - 1, 0) WHERE key = ANY($1::text[])', [refund]);
  }
}
