/**
 * The HTTP server's bearer token. The editor hands it over in ORCHESTRATOR_MCP_TOKEN (it keeps
 * it in SecretStorage); the CLI keeps it in a file only its user can read. It is never printed,
 * logged or journaled: the CLI says where the file is.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const TOKEN_ENV = 'ORCHESTRATOR_MCP_TOKEN';

export function tokenFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'orchestrator', 'mcp-token');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The token from the environment, else the file's (created 0600 on first use). */
export function loadOrCreateToken(env: NodeJS.ProcessEnv = process.env): { token: string; file?: string } {
  const fromEnv = env[TOKEN_ENV]?.trim();
  if (fromEnv) return { token: fromEnv };
  const file = tokenFile(env);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) {
      chmodSync(file, 0o600);
      return { token, file };
    }
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const token = newToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, file };
}
