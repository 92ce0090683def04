/**
 * The supervisor portal's bundle (scripts/build.mjs: dist/portal.js), loaded by the CLI only for
 * `orchestrator serve` and `orchestrator user`: the other commands start without it, bcrypt or the MCP SDK.
 */
import { join } from 'node:path';
import type { QueueService } from '../core/queue';
import { startGithub } from '../github';
import { loadOrCreateToken } from '../mcp';
import { Accounts } from './accounts';
import { isLocalHttp, OIDC_CLIENT_ID_ENV, OIDC_CLIENT_SECRET_ENV, OIDC_ISSUER_ENV, type OidcSettings } from './oidc';
import { isLoopback, startPortal } from './server';
import { TWILIO_DEFAULT_BASE, type TwilioSettings } from './replies';
import { TWILIO_AUTH_TOKEN_ENV } from './twilio';
import { WEBHOOK_SECRET_ENV } from './webhooks';

export { Accounts } from './accounts';
// The change-set's GitHub side (issue 73), for `publish` and `merge`: the CLI loads this bundle only for them.
export { changeSetForges } from '../github';

export interface ServeOptions {
  port?: number;
  host?: string;
  version: string;
  signal: AbortSignal;
  /** A line for the user (stderr). */
  say: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Twilio's Messages API settings: the environment first, then the config's `serve:` (never the token). */
function twilioSettings(env: NodeJS.ProcessEnv, settings: QueueService['serveSettings']): TwilioSettings | undefined {
  const accountSid = env.TWILIO_ACCOUNT_SID || settings.twilioAccountSid;
  const from = env.TWILIO_WHATSAPP_FROM || settings.twilioWhatsappFrom;
  const authToken = env[TWILIO_AUTH_TOKEN_ENV];
  if (!accountSid || !from || !authToken) return undefined;
  return {
    accountSid,
    from,
    authToken,
    baseUrl: env.TWILIO_API_BASE_URL || settings.twilioApiBaseUrl || TWILIO_DEFAULT_BASE,
  };
}

/**
 * OpenID Connect sign-in: the issuer and client id from the environment first, then the config's
 * `serve.oidc`; the secret only from the environment. Half a setting is said, not guessed.
 */
function oidcSettings(
  env: NodeJS.ProcessEnv,
  settings: QueueService['serveSettings'],
): { oidc?: OidcSettings; problem?: string } {
  const issuer = env[OIDC_ISSUER_ENV] || settings.oidc?.issuer;
  const clientId = env[OIDC_CLIENT_ID_ENV] || settings.oidc?.clientId;
  if (!issuer && !clientId) return {};
  if (!issuer || !clientId)
    return {
      problem: `OpenID Connect sign-in is off: it needs both an issuer (${OIDC_ISSUER_ENV} or serve.oidc.issuer) and a client id (${OIDC_CLIENT_ID_ENV} or serve.oidc.clientId)`,
    };
  const url = URL.canParse(issuer) ? new URL(issuer) : undefined;
  // Tokens never cross a network in the clear: plain HTTP only for a provider on this machine.
  if (!url || (url.protocol !== 'https:' && !isLocalHttp(url))) {
    return {
      problem: `OpenID Connect sign-in is off: the issuer ${JSON.stringify(issuer.slice(0, 200))} is not an https:// URL`,
    };
  }
  const clientSecret = env[OIDC_CLIENT_SECRET_ENV];
  return {
    oidc: {
      issuer,
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      ...(settings.oidc?.label ? { label: settings.oidc.label } : {}),
    },
  };
}

/** Serves until the signal; says where, and what is not set up yet. */
export async function servePortal(queue: QueueService, options: ServeOptions): Promise<void> {
  const env = options.env ?? process.env;
  const settings = queue.serveSettings;
  const host = options.host ?? settings.host;
  const twilio = twilioSettings(env, settings);
  const { oidc, problem: oidcProblem } = oidcSettings(env, settings);
  const { github, off: githubOff } = await startGithub(queue.workspace, env, options.say);
  // Runs from issues this serve's last life left going: resumed before webhooks are answered.
  await github?.channel.recover();
  const portal = await startPortal(queue, {
    port: options.port ?? settings.port,
    host,
    ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
    ...(isLoopback(host) ? { sharedToken: loadOrCreateToken(env).token } : {}),
    ...(env[WEBHOOK_SECRET_ENV] ? { webhookSecret: env[WEBHOOK_SECRET_ENV] } : {}),
    ...(env[TWILIO_AUTH_TOKEN_ENV] ? { twilioAuthToken: env[TWILIO_AUTH_TOKEN_ENV] } : {}),
    ...(twilio ? { twilio } : {}),
    ...(oidc ? { oidc } : {}),
    ...(github ? { github } : {}),
    // dist/portal.js beside dist/portal/ (the built page).
    assetsDir: join(__dirname, 'portal'),
    version: options.version,
  });
  const { say } = options;
  say(
    `orchestrator: the supervisor portal at ${portal.url} (MCP at ${new URL('mcp', portal.url).href}, webhooks at ${new URL('webhooks/tasks', portal.url).href})`,
  );
  if (!isLoopback(host) && !settings.publicUrl?.startsWith('https:')) {
    say(
      `warning: listening on ${host} over plain HTTP: passwords, session cookies and tokens cross the network unencrypted. Put it behind an HTTPS proxy and set serve.publicUrl to its https:// address.`,
    );
  }
  if (portal.oidc)
    say(
      `OpenID Connect sign-in with ${oidc!.issuer} (client ${oidc!.clientId}${oidc!.clientSecret ? ', its secret from the environment' : ', no secret: a public client'}); register the redirect URI ${portal.oidc.redirectUri}`,
    );
  if (oidcProblem) say(oidcProblem);
  say(github ? `GitHub issues at ${new URL('webhooks/github', portal.url).href}` : githubOff!);
  if ((await new Accounts(queue.store).list()).length === 0)
    say('no accounts yet: add one with `orchestrator user add <name> --role admin`');
  if (!env[WEBHOOK_SECRET_ENV]) say(`task webhooks are off until ${WEBHOOK_SECRET_ENV} is set`);
  if (!env[TWILIO_AUTH_TOKEN_ENV]) say(`WhatsApp messages are off until ${TWILIO_AUTH_TOKEN_ENV} is set`);
  else if (!twilio)
    say(
      'replies to WhatsApp requesters are off until TWILIO_ACCOUNT_SID and TWILIO_WHATSAPP_FROM (or serve.twilioAccountSid, serve.twilioWhatsappFrom) are set',
    );
  // A store lost under us (its file deleted or replaced) stops the process: nothing more is acknowledged.
  let lost: Error | undefined;
  await new Promise<void>((resolve) => {
    options.signal.addEventListener('abort', () => resolve(), { once: true });
    queue.onLost((error) => {
      lost = error;
      resolve();
    });
  });
  await portal.close();
  await github?.close();
  if (lost) throw lost;
}
