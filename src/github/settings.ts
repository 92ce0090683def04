/**
 * The GitHub channel's settings (issue 39, docs/github.md): `github:` of the config for what is
 * not secret (the repository, the API's address, the label, the CI fix limit), the environment for
 * what is: a GitHub App (GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY, installation tokens) or a token
 * (GITHUB_TOKEN), and GITHUB_WEBHOOK_SECRET for the deliveries' signatures. Half a setting is said,
 * never guessed.
 */
import type { OrchestratorConfig } from '../core/project/config';

export const GITHUB_APP_ID_ENV = 'GITHUB_APP_ID';
export const GITHUB_APP_PRIVATE_KEY_ENV = 'GITHUB_APP_PRIVATE_KEY';
export const GITHUB_TOKEN_ENV = 'GITHUB_TOKEN';
export const GITHUB_WEBHOOK_SECRET_ENV = 'GITHUB_WEBHOOK_SECRET';

export type GithubAuth = { kind: 'token'; token: string } | { kind: 'app'; appId: string; privateKey: string };

export interface GithubSettings {
  owner: string;
  repo: string;
  apiUrl: string;
  label: string;
  maxCiFixes: number;
  auth: GithubAuth;
  webhookSecret: string;
}

/** `owner/name` of a GitHub remote URL (https://host/o/r(.git), git@host:o/r.git, ssh://git@host/o/r); undefined for anything else. */
export function repositoryOfRemote(remote: string): string | undefined {
  const scp = /^[\w.-]+@[\w.-]+:(?!\/\/)([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(remote);
  if (scp) return `${scp[1]}/${scp[2]}`;
  if (!URL.canParse(remote)) return undefined;
  const parts = new URL(remote).pathname
    .replace(/\.git\/?$/, '')
    .split('/')
    .filter(Boolean);
  return parts.length >= 2 ? `${parts.at(-2)}/${parts.at(-1)}` : undefined;
}

/** Why a token would cross a network in the clear to this API address (plain HTTP only for a server on this machine); undefined when it would not. */
export function inTheClear(apiUrl: string): string | undefined {
  const api = new URL(apiUrl);
  return api.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(api.hostname)
    ? `${api.href} is not https://`
    : undefined;
}

/** The settings when the channel is configured; otherwise why it is off (one line for `serve` to say). */
export function githubSettings(
  config: OrchestratorConfig,
  env: NodeJS.ProcessEnv,
  originUrl: string | undefined,
): { settings?: GithubSettings; off?: string } {
  const webhookSecret = env[GITHUB_WEBHOOK_SECRET_ENV];
  const appId = env[GITHUB_APP_ID_ENV];
  const privateKey = env[GITHUB_APP_PRIVATE_KEY_ENV];
  const token = env[GITHUB_TOKEN_ENV];
  if (!webhookSecret)
    return {
      off: `GitHub issues are off until ${GITHUB_WEBHOOK_SECRET_ENV} is set (and ${GITHUB_APP_ID_ENV} + ${GITHUB_APP_PRIVATE_KEY_ENV}, or ${GITHUB_TOKEN_ENV})`,
    };
  if (Boolean(appId) !== Boolean(privateKey))
    return {
      off: `GitHub issues are off: a GitHub App needs both ${GITHUB_APP_ID_ENV} and ${GITHUB_APP_PRIVATE_KEY_ENV}`,
    };
  const auth: GithubAuth | undefined =
    appId && privateKey
      ? { kind: 'app', appId, privateKey: privateKey.replace(/\\n/g, '\n') }
      : token
        ? { kind: 'token', token }
        : undefined;
  if (!auth)
    return {
      off: `GitHub issues are off until ${GITHUB_APP_ID_ENV} + ${GITHUB_APP_PRIVATE_KEY_ENV} (a GitHub App) or ${GITHUB_TOKEN_ENV} is set`,
    };
  const repository = config.github.repository ?? (originUrl ? repositoryOfRemote(originUrl) : undefined);
  if (!repository)
    return {
      off: 'GitHub issues are off: set github.repository (owner/name); the origin remote names no GitHub repository',
    };
  const [owner, repo] = repository.split('/') as [string, string];
  const clear = inTheClear(config.github.apiUrl);
  if (clear) return { off: `GitHub issues are off: github.apiUrl ${clear}` };
  return {
    settings: {
      owner,
      repo,
      apiUrl: config.github.apiUrl.replace(/\/+$/, ''),
      label: config.github.label,
      maxCiFixes: config.github.maxCiFixes,
      auth,
      webhookSecret,
    },
  };
}
