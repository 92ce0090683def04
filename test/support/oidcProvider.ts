// A real OpenID Connect provider for tests (`oidc-provider`, the certified implementation) on
// 127.0.0.1: discovery, the authorization endpoint with PKCE, tokens, ID tokens, UserInfo. Its
// users are a map (sub → email and whether it is verified); its login and consent screens are
// completed at once for the user `signInAs` names, so a browser or an HTTP client goes straight
// through. One confidential client (client_secret_post), registered once its redirect URIs are known.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';

export interface OidcUser {
  email: string;
  email_verified: boolean;
}

export interface LocalOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  users: Map<string, OidcUser>;
  /** Who the next login is (the provider's login screen, answered for them). */
  signInAs(sub: string): void;
  /** Adds a redirect URI of the client (the provider starts afresh: call it between sign-ins, not during one). */
  allow(redirectUri: string): Promise<void>;
  close(): Promise<void>;
}

export async function startOidcProvider(clientSecret = 'test-client-secret-5f1c9a0e'): Promise<LocalOidcProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const users = new Map<string, OidcUser>();
  let next = '';
  let provider: Provider | undefined;
  const redirectUris: string[] = [];
  // Its own signing key, the same across restarts of the provider (allow): ID tokens stay verifiable.
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  server.on('request', (req, res) => {
    if (!provider) {
      res.writeHead(503).end('the test provider has no client yet');
      return;
    }
    const ready = provider;
    if (req.url?.startsWith('/interaction/')) {
      void (async () => {
        const details = await ready.interactionDetails(req, res);
        if (details.prompt.name === 'login') {
          await ready.interactionFinished(req, res, { login: { accountId: next } }, { mergeWithLastSubmission: false });
          return;
        }
        const grant = new ready.Grant({
          accountId: details.session!.accountId,
          clientId: String(details.params.client_id),
        });
        grant.addOIDCScope('openid email');
        await ready.interactionFinished(
          req,
          res,
          { consent: { grantId: await grant.save() } },
          { mergeWithLastSubmission: true },
        );
      })().catch((error: unknown) => res.writeHead(500).end(String(error)));
      return;
    }
    void ready.callback()(req, res);
  });
  return {
    issuer,
    clientId: 'orchestrator-portal',
    clientSecret,
    users,
    signInAs(sub) {
      next = sub;
    },
    async allow(redirectUri) {
      const { default: ProviderClass } = await import('oidc-provider');
      redirectUris.push(redirectUri);
      provider = new ProviderClass(issuer, {
        clients: [
          {
            client_id: 'orchestrator-portal',
            client_secret: clientSecret,
            redirect_uris: [...redirectUris],
            token_endpoint_auth_method: 'client_secret_post',
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        claims: { openid: ['sub'], email: ['email', 'email_verified'] },
        findAccount: (_ctx, sub) => {
          const user = users.get(sub);
          return user ? { accountId: sub, claims: () => ({ sub, ...user }) } : undefined;
        },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        features: { devInteractions: { enabled: false } },
        cookies: { keys: ['a test key, not a secret'] },
        jwks: { keys: [{ ...signingKey, alg: 'RS256', use: 'sig' }] },
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
