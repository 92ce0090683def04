/**
 * The GitHub room's one door (issue 39, docs/github.md): `startGithub` reads the settings and the
 * credentials, and answers `serve`'s `POST /webhooks/github` (deliveries.ts); runs started from
 * issues go through the engine like any other (channel.ts). Off, it says why in one line.
 */
import type { RunOptions } from '../core/api';
import { loadConfig, remoteRefs } from '../core/engineBundle';
import { GithubChannel } from './channel';
import { GithubClient } from './client';
import { poolConfigured } from './pooledIssues';
import { receiveDelivery, type DeliveryAnswer, type DeliveryHeaders } from './deliveries';
import { GITHUB_APP_PRIVATE_KEY_ENV, githubSettings, GITHUB_TOKEN_ENV, GITHUB_WEBHOOK_SECRET_ENV } from './settings';
import { GithubStore } from './store';

export { GITHUB_WEBHOOK_BODY_BYTES } from './deliveries';
export { GITHUB_WEBHOOK_SECRET_ENV } from './settings';
export { changeSetForges } from './changeSetForge';

export interface Github {
  receive(headers: DeliveryHeaders, body: Buffer): Promise<DeliveryAnswer>;
  channel: GithubChannel;
  close(): Promise<void>;
}

export async function startGithub(
  workspace: string,
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
  runOptions: Partial<RunOptions> = {},
): Promise<{ github?: Github; off?: string }> {
  const config = await loadConfig(workspace);
  const origin = await remoteRefs.urlOf(workspace, 'origin').catch(() => undefined);
  const { settings, off } = githubSettings(config, env, origin);
  if (!settings) return { off: off! };
  // Held here from now on: no agent, validate command or CLI runner started by this process inherits
  // them (the copilot runner passes GITHUB_TOKEN on by default; it signs in with COPILOT_GITHUB_TOKEN).
  for (const name of [GITHUB_TOKEN_ENV, GITHUB_APP_PRIVATE_KEY_ENV, GITHUB_WEBHOOK_SECRET_ENV]) delete env[name];
  const client = await GithubClient.open(settings);
  const { Webhooks } = await import('@octokit/webhooks');
  const verifier = new Webhooks({ secret: settings.webhookSecret });
  const pooled = poolConfigured(config.queue.url);
  const channel = new GithubChannel({
    workspace,
    settings,
    client,
    store: new GithubStore(workspace, env),
    env,
    say,
    runOptions,
    pooled,
  });
  await channel.open();
  return {
    github: {
      channel,
      receive: (headers, body) => receiveDelivery(verifier, channel, headers, body),
      close: () => channel.close(),
    },
  };
}
