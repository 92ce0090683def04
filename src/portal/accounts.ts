/**
 * Accounts of the portal, on the queue's store (its `accounts` table): who may sign in, with which
 * role and email (OpenID Connect sign-in), and the agents' MCP tokens. Shared by `orchestrator
 * user …` and the portal's Accounts page. Admins manage accounts; supervisors and admins decide;
 * agents claim and submit over MCP. A change that takes rights away (deleted, another role or
 * password, a revoked token) ends the account's sessions in every `serve` process at once.
 */
import type { Account, QueueStore, Role } from '../core/queue';
import { ROLES } from '../core/engineBundle';
import type { PublicAccount } from '../shared/portalApi';
import { hashPassword, newAgentToken, passwordMatches, passwordProblem, tokenHash } from './credentials';

/** A refused account operation, said plainly (the CLI exits 2, the portal answers 400). */
export class AccountError extends Error {
  readonly code = 'E_USAGE';
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function checkName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name))
    throw new AccountError(
      'an account name is 1 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
    );
  return name;
}

const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,190}$/;

/** An email as stored and compared: trimmed, lower-case. Empty means none. */
export function checkEmail(email: unknown): string | null {
  if (email === null || (typeof email === 'string' && email.trim() === '')) return null;
  if (typeof email !== 'string' || !EMAIL.test(email.trim()))
    throw new AccountError(`${JSON.stringify(String(email).slice(0, 80))} is not an email address`);
  return email.trim().toLowerCase();
}

export function checkRole(role: unknown): Role {
  if (!(ROLES as readonly unknown[]).includes(role))
    throw new AccountError(`the role must be ${ROLES.join(', ')} (got ${JSON.stringify(role)})`);
  return role as Role;
}

/** What may be shown of an account: never a hash. */
export const publicAccount = ({ passwordHash: _hash, ...shown }: Account): PublicAccount => shown;

export class Accounts {
  constructor(private readonly store: QueueStore) {}

  /**
   * Creates the account, or sets its role (and password, when given). Agents need no password.
   * `email`: undefined keeps it, null or '' removes it; one account per email.
   */
  async put(name: unknown, role: unknown, password?: string, email?: unknown): Promise<PublicAccount> {
    const checked = { name: checkName(name), role: checkRole(role) };
    const existing = await this.store.getAccount(checked.name);
    const mail = email === undefined ? undefined : checkEmail(email);
    if (password !== undefined) {
      const problem = passwordProblem(password);
      if (problem) throw new AccountError(problem);
    } else if (
      checked.role !== 'agent' &&
      !existing?.passwordHash &&
      !(mail ?? (mail === undefined ? existing?.email : undefined))
    ) {
      throw new AccountError(
        `a ${checked.role} signs in with a password or with a verified email (OpenID Connect): give one`,
      );
    }
    if (mail) {
      const holder = await this.store.accountByEmail(mail);
      if (holder && holder.name !== checked.name)
        throw new AccountError(`${mail} is already the email of ${holder.name}`);
    }
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    const account = await this.store.putAccount(
      { ...checked, ...(passwordHash ? { passwordHash } : {}), ...(mail !== undefined ? { email: mail } : {}) },
      new Date(),
    );
    // Another role also revoked the MCP token (in the store's same step): an agent made supervisor and agent again gets no old token back.
    if (existing && (existing.role !== account.role || passwordHash)) await this.store.deleteSessionsOf(account.name);
    return publicAccount(account);
  }

  async list(): Promise<PublicAccount[]> {
    return (await this.store.listAccounts()).map(publicAccount);
  }

  async remove(name: string): Promise<void> {
    if (!(await this.store.deleteAccount(checkName(name))))
      throw new AccountError(`no account ${JSON.stringify(name)}`);
    await this.store.deleteSessionsOf(name);
  }

  /** The account when the password is its own; undefined otherwise (whether the name exists or not). */
  async signIn(name: string, password: string): Promise<PublicAccount | undefined> {
    const account = NAME.test(name) ? await this.store.getAccount(name) : undefined;
    const ok = await passwordMatches(password.slice(0, 200), account?.passwordHash);
    return ok && account ? publicAccount(account) : undefined;
  }

  /** The account an email (already verified by an OpenID provider) belongs to. */
  async byEmail(email: string): Promise<PublicAccount | undefined> {
    const mail = EMAIL.test(email.trim()) ? email.trim().toLowerCase() : undefined;
    const account = mail ? await this.store.accountByEmail(mail) : undefined;
    return account && publicAccount(account);
  }

  async get(name: string): Promise<PublicAccount | undefined> {
    const account = NAME.test(name) ? await this.store.getAccount(name) : undefined;
    return account && publicAccount(account);
  }

  /** A new MCP token for an agent account, replacing its old one; returned once, only its hash is kept. */
  async issueToken(name: unknown): Promise<string> {
    const account = await this.store.getAccount(checkName(name));
    if (!account)
      throw new AccountError(
        `no account ${JSON.stringify(name)}: add it first (orchestrator user add ${String(name)} --role agent)`,
      );
    if (account.role !== 'agent')
      throw new AccountError(`${account.name} is a ${account.role}: MCP tokens are for agent accounts`);
    const token = newAgentToken();
    await this.store.setAccountToken(account.name, tokenHash(token));
    return token;
  }

  async revokeToken(name: unknown): Promise<void> {
    const checked = checkName(name);
    if (!(await this.store.setAccountToken(checked, null)))
      throw new AccountError(`no account ${JSON.stringify(name)}`);
    await this.store.deleteSessionsOf(checked);
  }

  /** The agent account a bearer token belongs to. */
  async byToken(token: string): Promise<PublicAccount | undefined> {
    if (!token.startsWith('orch_')) return undefined;
    const account = await this.store.accountByToken(tokenHash(token));
    return account?.role === 'agent' ? publicAccount(account) : undefined;
  }
}
