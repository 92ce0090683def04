/**
 * The portal's people in the embedded queue's SQLite file: accounts, sessions, OpenID sign-ins
 * in flight and the sign-in attempts counted against guessing. The queue store (sqliteStore.ts)
 * extends it with the tasks and gives it the connection.
 */
import type { SQLInputValue } from 'node:sqlite';
import { accountOf, pendingSignInOf, sessionOf, signInCountOf, type Row } from './rows';
import type { CheckedConnection } from './sqliteConnection';
import type { Account, AccountUpdate, PendingSignIn, PortalSession, SignInCount } from './types';

export abstract class SqliteAccountStore {
  protected abstract get conn(): CheckedConnection;
  protected abstract all(sql: string, ...params: SQLInputValue[]): Row[];
  protected abstract one(sql: string, ...params: SQLInputValue[]): Row | undefined;
  protected abstract transaction<T>(work: () => T): T;

  async putAccount(account: AccountUpdate, now: Date): Promise<Account> {
    const row = this.one(
      `INSERT INTO accounts (name, role, password_hash, email, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = COALESCE(excluded.password_hash, accounts.password_hash),
         token_hash = CASE WHEN accounts.role = excluded.role THEN accounts.token_hash ELSE NULL END,
         email = CASE WHEN ? THEN excluded.email ELSE accounts.email END RETURNING *`,
      account.name,
      account.role,
      account.passwordHash ?? null,
      account.email ?? null,
      now.toISOString(),
      account.email === undefined ? 0 : 1,
    );
    return accountOf(row!);
  }

  async accountByEmail(email: string): Promise<Account | undefined> {
    const row = this.one('SELECT * FROM accounts WHERE email = ?', email);
    return row && accountOf(row);
  }

  async getAccount(name: string): Promise<Account | undefined> {
    const row = this.one('SELECT * FROM accounts WHERE name = ?', name);
    return row && accountOf(row);
  }

  async listAccounts(): Promise<Account[]> {
    return this.all('SELECT * FROM accounts ORDER BY name').map(accountOf);
  }

  async deleteAccount(name: string): Promise<boolean> {
    return this.one('DELETE FROM accounts WHERE name = ? RETURNING name', name) !== undefined;
  }

  async setAccountToken(name: string, tokenHash: string | null): Promise<boolean> {
    return this.one('UPDATE accounts SET token_hash = ? WHERE name = ? RETURNING name', tokenHash, name) !== undefined;
  }

  async accountByToken(tokenHash: string): Promise<Account | undefined> {
    const row = this.one('SELECT * FROM accounts WHERE token_hash = ?', tokenHash);
    return row && accountOf(row);
  }

  async addSession(session: PortalSession): Promise<void> {
    this.one(
      'INSERT INTO sessions (id_hash, name, role, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?) RETURNING id_hash',
      session.idHash,
      session.name,
      session.role,
      session.csrf,
      session.createdAt,
      session.lastSeen,
    );
  }

  async getSession(idHash: string): Promise<PortalSession | undefined> {
    const row = this.one('SELECT * FROM sessions WHERE id_hash = ?', idHash);
    return row && sessionOf(row);
  }

  async touchSession(idHash: string, now: Date): Promise<void> {
    this.conn.run('UPDATE sessions SET last_seen = ? WHERE id_hash = ?', now.toISOString(), idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.conn.run('DELETE FROM sessions WHERE id_hash = ?', idHash);
  }

  async deleteSessionsOf(name: string): Promise<void> {
    this.conn.run('DELETE FROM sessions WHERE name = ?', name);
  }

  async deleteIdleSessions(cutoff: Date): Promise<void> {
    this.conn.run('DELETE FROM sessions WHERE last_seen < ?', cutoff.toISOString());
  }

  async addPendingSignIn(pending: PendingSignIn, staleBefore: Date, max: number): Promise<void> {
    this.transaction(() => {
      this.conn.run('DELETE FROM oidc_pending WHERE created_at < ?', staleBefore.toISOString());
      this.conn.run(
        'DELETE FROM oidc_pending WHERE state_hash IN (SELECT state_hash FROM oidc_pending ORDER BY created_at DESC LIMIT -1 OFFSET ?)',
        max - 1,
      );
      this.conn.run(
        'INSERT INTO oidc_pending (state_hash, verifier, nonce, browser_hash, created_at) VALUES (?, ?, ?, ?, ?)',
        pending.stateHash,
        pending.verifier,
        pending.nonce,
        pending.browserHash,
        pending.createdAt,
      );
    });
  }

  async takePendingSignIn(stateHash: string): Promise<PendingSignIn | undefined> {
    const row = this.one('DELETE FROM oidc_pending WHERE state_hash = ? RETURNING *', stateHash);
    return row && pendingSignInOf(row);
  }

  async countSignInAttempt(key: string, now: Date, windowSec: number): Promise<SignInCount> {
    const cutoff = new Date(now.getTime() - windowSec * 1000).toISOString();
    return this.transaction(() => {
      this.conn.run('DELETE FROM signin_attempts WHERE window_start <= ?', cutoff);
      return signInCountOf(
        this.one(
          `INSERT INTO signin_attempts (key, count, window_start) VALUES (?, 1, ?)
         ON CONFLICT (key) DO UPDATE SET count = CASE WHEN signin_attempts.window_start <= ? THEN 1 ELSE signin_attempts.count + 1 END,
           window_start = CASE WHEN signin_attempts.window_start <= ? THEN excluded.window_start ELSE signin_attempts.window_start END
         RETURNING *`,
          key,
          now.toISOString(),
          cutoff,
          cutoff,
        )!,
      );
    });
  }

  async signInAttempts(keys: string[]): Promise<SignInCount[]> {
    if (keys.length === 0) return [];
    return this.all(`SELECT * FROM signin_attempts WHERE key IN (${keys.map(() => '?').join(', ')})`, ...keys).map(
      signInCountOf,
    );
  }

  async signInSucceeded(forget: string[], refund: string[]): Promise<void> {
    this.transaction(() => {
      for (const key of forget) this.conn.run('DELETE FROM signin_attempts WHERE key = ?', key);
      for (const key of refund)
        this.conn.run('UPDATE signin_attempts SET count = MAX(count - 1, 0) WHERE key = ?', key);
    });
  }
}
