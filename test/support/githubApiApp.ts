/** The GitHub App's side of the scripted GitHub API (githubApiServer.ts): its JWT checked, its installation and its tokens. */
import { createVerify, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const BAD_CREDENTIALS = {
  message: 'Bad credentials',
  documentation_url: 'https://docs.github.com/rest',
  status: '401',
};
export const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };

export function send(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      ...headers,
    })
    .end(JSON.stringify(value));
}

const base64url = (text: string) => Buffer.from(text, 'base64url');

/** A GitHub App as the server knows it: its id, its public key (PEM) to check JWTs with, its installation on the repository. */
export interface ScriptedApp {
  appId: string;
  publicKeyPem: string;
  installationId: number;
  slug: string;
}

/** Answers the App's own requests (true when it did): installation tokens it issues go to `issuedTokens`. */
export function appAuth(
  app: ScriptedApp | undefined,
  owner: string,
  repoPath: string,
  issuedTokens: string[],
): (req: IncomingMessage, res: ServerResponse, path: string, method: string) => boolean {
  /** An App's JWT: RS256 over header.payload with the App's key, `iss` the App id, not expired. */
  const appJwtOk = (header: string | undefined): boolean => {
    const jwt = /^bearer (.+)$/i.exec(header ?? '')?.[1];
    if (!jwt || !app) return false;
    const [h, p, signature] = jwt.split('.');
    if (!h || !p || !signature) return false;
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${h}.${p}`);
    if (!verifier.verify(app.publicKeyPem, base64url(signature))) return false;
    const claims = JSON.parse(base64url(p).toString('utf8')) as { iss?: unknown; exp?: number };
    return String(claims.iss) === app.appId && (claims.exp ?? 0) > Date.now() / 1000;
  };

  const answered = (res: ServerResponse, status: number, value: unknown) => (send(res, status, value), true);
  return (req, res, path, method) => {
    const installationToken = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (installationToken && method === 'POST') {
      if (!appJwtOk(req.headers.authorization))
        return answered(res, 401, { ...BAD_CREDENTIALS, message: 'A JSON web token could not be decoded' });
      if (Number(installationToken[1]) !== app!.installationId) return answered(res, 404, NOT_FOUND);
      const token = `ghs_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;
      issuedTokens.push(token);
      return answered(res, 201, {
        token,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        permissions: {
          contents: 'write',
          issues: 'write',
          pull_requests: 'write',
          checks: 'read',
          actions: 'read',
          metadata: 'read',
        },
        repository_selection: 'selected',
      });
    }
    if (path === `${repoPath}/installation` && method === 'GET') {
      if (!appJwtOk(req.headers.authorization)) return answered(res, 401, BAD_CREDENTIALS);
      return answered(res, 200, {
        id: app!.installationId,
        app_id: Number(app!.appId),
        app_slug: app!.slug,
        target_type: 'Organization',
        account: { login: owner },
      });
    }
    return false;
  };
}
