// The GitHub channel's test world (issue 39): the shop workspace with a model server scripted per
// agent (pipeline harness), the scripted GitHub REST server, a bare repository behind a git
// server over HTTP that wants the token, and `serve`'s HTTP server with the GitHub room on it.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { engine } from '../../../src/core/engine';
import type { QueueService } from '../../../src/core/queue/queueService';
import { Accounts } from '../../../src/portal/accounts';
import { startGithub, type Github } from '../../../src/github';
import { startPortal, type Portal } from '../../../src/portal/server';
import { startGitHttpServer, type GitHttpServer } from '../gitHttpServer';
import { startGithubApi, type GithubApi, type GithubApiOptions } from '../githubApiServer';
import { postDelivery, signDelivery, type Delivery, type IssueFixture, type Repo } from '../githubWebhooks';
import { TEST_KEYS } from '../modelServer';
import { say, type AgentScript } from '../engine/agentScript';
import { harness, type Harness } from '../engine/harness';
import { entityFile, entityModule, entitySpec, worktreeConfig } from '../engine/worktreeFeatures';

export const REPO: Repo = { owner: 'acme', name: 'shop' };
export const SECRET = 'whsec-test-3b9f0c1e7a';
/** Shaped like a fine-grained token, so the redaction patterns would know it too. */
export const TOKEN = 'github_pat_11ABCDEFG0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefghijklmnop';

/** The Invoice entity with a second requirement (validation), both owned by the backend. */
export const INVOICE_SPEC = entitySpec('Invoice')
  .replace(
    '### Files to Create/Modify',
    '#### REQ-2: Invoice validation\n**Acceptance criteria**\n- REQ-2.1: WHEN an invoice has no name THE server SHALL refuse it.\n\n### Files to Create/Modify',
  )
  .replace(/1\. \[ \] Backend: (.*) \(REQ-1\)/, '1. [ ] Backend: $1 (REQ-1, REQ-2)');

export function invoiceAgents(): Record<string, AgentScript> {
  return {
    spec: () => say.spec('Invoice API', 'invoice-api', INVOICE_SPEC),
    backend: ({ turn }) => (turn === 0 ? say.write({ [entityFile('Invoice')]: entityModule('Invoice') }) : say.done()),
    review: () => say.approve(),
  };
}

export const ISSUE: IssueFixture = {
  number: 7,
  title: 'Add an Invoice entity to the API',
  body: 'Invoices with a name and a price.',
  author: 'alice',
};

export interface GithubWorld {
  h: Harness;
  api: GithubApi;
  git: GitHttpServer;
  bare: string;
  github: Github;
  portal: Portal;
  queue: QueueService;
  webhookUrl: string;
  lines: string[];
  deliver(
    event: string,
    payload: unknown,
    id?: string,
  ): Promise<{ status: number; json: Record<string, unknown>; delivery: Delivery }>;
  /** Waits until `test` holds (the channel works in the background), failing with `what` after a while. */
  until<T>(what: string, test: () => T | undefined | false): Promise<T>;
  /** The head of a branch in the bare repository, if it exists. */
  remoteHead(branch: string): string | undefined;
  close(): Promise<void>;
}

/** What `serve` talks to: the shop with its scripted model server, GitHub's API, the bare remote behind its git server. */
export interface GithubRemote {
  h: Harness;
  api: GithubApi;
  git: GitHttpServer;
  bare: string;
  remoteHead(branch: string): string | undefined;
  close(): Promise<void>;
}

export async function githubRemote(
  agents: Record<string, AgentScript>,
  roles: GithubApiOptions['roles'],
  options: { app?: GithubApiOptions['app']; config?: (yaml: string) => string } = {},
): Promise<GithubRemote> {
  const bareRoot = mkdtempSync(join(tmpdir(), 'orch-gh-remote-'));
  const bare = join(bareRoot, REPO.owner, `${REPO.name}.git`);
  mkdirSync(bare, { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const remoteHead = (branch: string) => {
    try {
      return execFileSync('git', ['rev-parse', '--verify', '-q', `refs/heads/${branch}`], {
        cwd: bare,
        encoding: 'utf8',
      }).trim();
    } catch {
      return undefined;
    }
  };
  let issued: readonly string[] = [];
  const api = await startGithubApi({
    owner: REPO.owner,
    repo: REPO.name,
    roles,
    ...(options.app ? { app: options.app } : { token: TOKEN }),
    headOf: (branch) => remoteHead(branch) ?? '0'.repeat(40),
  });
  issued = api.issuedTokens;
  const git = await startGitHttpServer(bareRoot, options.app ? (password) => issued.includes(password) : TOKEN);
  const h = await harness(agents, {
    config: (yaml) =>
      `${worktreeConfig(options.config ? options.config(yaml) : yaml)}\ngithub:\n  apiUrl: ${api.url}\n`,
  });
  h.shop.git('remote', 'add', 'origin', `${git.origin}${REPO.owner}/${REPO.name}.git`);
  h.shop.git('push', '-q', bare, 'main:refs/heads/main');
  return {
    h,
    api,
    git,
    bare,
    remoteHead,
    async close() {
      await git.close();
      await api.close();
      await h.close();
      rmSync(bareRoot, { recursive: true, force: true });
    },
  };
}

export async function githubWorld(
  agents: Record<string, AgentScript>,
  roles: GithubApiOptions['roles'],
  options: { app?: GithubApiOptions['app']; env?: Record<string, string>; config?: (yaml: string) => string } = {},
): Promise<GithubWorld> {
  const remote = await githubRemote(agents, roles, options);
  const { h, api, git, bare, remoteHead } = remote;
  const lines: string[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANTHROPIC_API_KEY: TEST_KEYS.anthropic,
    GITHUB_WEBHOOK_SECRET: SECRET,
    ...(options.app ? {} : { GITHUB_TOKEN: TOKEN }),
    ...options.env,
  };
  const started = await startGithub(h.shop.dir, env, (line) => lines.push(line), { baseURL: h.api.url });
  if (!started.github) throw new Error(`the GitHub room is off: ${started.off}`);
  // The credentials left the environment the runs' agents and commands inherit.
  for (const name of ['GITHUB_TOKEN', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_WEBHOOK_SECRET'])
    if (env[name] !== undefined) throw new Error(`${name} is still in the environment`);
  const github = started.github;
  const queue = await engine.openQueue(h.shop.dir, { trusted: true });
  const portal = await startPortal(queue, {
    port: 0,
    host: '127.0.0.1',
    assetsDir: join(__dirname, '../../../dist/portal'),
    version: 'test',
    github,
  });
  const webhookUrl = new URL('webhooks/github', portal.url).href;
  return {
    h,
    api,
    git,
    bare,
    github,
    portal,
    queue,
    webhookUrl,
    lines,
    async deliver(event, payload, id) {
      const delivery = signDelivery(SECRET, event, payload, id);
      return { ...(await postDelivery(webhookUrl, delivery)), delivery };
    },
    async until(what, test) {
      for (let i = 0; i < 2400; i++) {
        const value = test();
        if (value !== undefined && value !== false) return value as never;
        await sleep(50);
      }
      throw new Error(`waited 2 minutes for ${what}; serve said: ${lines.join(' | ')}`);
    },
    remoteHead,
    async close() {
      await portal.close();
      await github.close();
      await queue.close();
      await remote.close();
    },
  };
}

/** Every file under `dir` (symbolic links not followed), with its bytes. */
export function* filesUnder(dir: string): Generator<{ path: string; bytes: Buffer }> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) yield* filesUnder(path);
    else if (stat.isFile()) yield { path, bytes: readFileSync(path) };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, checked field by field
type Json = any;

/** A JSON request to the portal. */
export function call(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: Json; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'),
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** A supervisor account made and signed in to the world's portal: its port and the session's headers. */
export async function signInToPortal(
  w: GithubWorld,
  name: string,
): Promise<{ port: number; session: Record<string, string> }> {
  await new Accounts(w.queue.store).put(name, 'supervisor', `${name}-password-1`);
  const port = (w.portal.server.address() as { port: number }).port;
  const signIn = await call(port, 'POST', '/api/signin', {}, { name, password: `${name}-password-1` });
  return {
    port,
    session: {
      cookie: String((signIn.headers['set-cookie'] as string[])[0]).split(';')[0]!,
      'x-csrf-token': signIn.json.csrf as string,
    },
  };
}
