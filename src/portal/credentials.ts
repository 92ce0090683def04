/**
 * Secrets the portal keeps: passwords hashed with bcrypt (bcryptjs: pure JS, nothing to build,
 * the same format as every bcrypt), agents' MCP tokens as SHA-256 of 32 random bytes (a token
 * is a random key, not a password: a fast hash of it is safe to store and cheap to look up).
 */
import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** bcrypt's cost: about 100 ms per sign-in on a laptop; brute force is also rate-limited (rateLimit.ts). */
const COST = 11;
/** bcrypt reads 72 bytes at most; a longer password is refused rather than silently cut. */
export const PASSWORD_MAX_BYTES = 72;
export const PASSWORD_MIN_CHARS = 8;

export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_CHARS) return `the password needs at least ${PASSWORD_MIN_CHARS} characters`;
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES)
    return `the password is longer than ${PASSWORD_MAX_BYTES} bytes (bcrypt's limit)`;
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

/** Passwords compared by this process so far: what the sign-in limiter lets through, counted where it costs (bench and tests read it). */
export const passwordComparisons = { count: 0 };

export function passwordMatches(password: string, hash: string | undefined): Promise<boolean> {
  passwordComparisons.count++;
  // An account without a password (or no such account) still costs one comparison: timing tells nothing.
  dummyHash ??= bcrypt.hash('not a password', COST);
  return hash
    ? bcrypt.compare(password, hash)
    : dummyHash.then((dummy) => bcrypt.compare(password, dummy)).then(() => false);
}

let dummyHash: Promise<string> | undefined;

/** A new agent token: `orch_` and 43 base64url characters (256 bits). */
export function newAgentToken(): string {
  return `orch_${randomBytes(32).toString('base64url')}`;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
