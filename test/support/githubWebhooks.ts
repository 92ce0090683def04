/**
 * GitHub's webhook deliveries as GitHub sends them (its docs, "Webhook events and payloads" and
 * "Validating webhook deliveries"): a JSON body, X-GitHub-Event, X-GitHub-Delivery (a GUID; a
 * redelivery repeats it), X-GitHub-Hook-ID, User-Agent GitHub-Hookshot/…, and X-Hub-Signature-256
 * = "sha256=" + the hex HMAC-SHA256 of the body with the webhook's secret.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { request } from 'node:http';

export interface Delivery {
  event: string;
  id: string;
  body: string;
  headers: Record<string, string>;
}

export function signDelivery(secret: string, event: string, payload: unknown, id: string = randomUUID()): Delivery {
  const body = JSON.stringify(payload);
  return {
    event,
    id,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/2f3b1c9',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-github-hook-id': '292430182',
      'x-github-hook-installation-target-type': 'repository',
      'x-github-hook-installation-target-id': '1296269',
      'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
  };
}

/** Posts a delivery to `url` (http://host:port/webhooks/github); its status and JSON answer. */
export function postDelivery(url: string, delivery: Delivery, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { host: target.host, ...delivery.headers, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = { text };
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.end(delivery.body);
  });
}

export interface Repo {
  owner: string;
  name: string;
}

const repository = (repo: Repo) => ({
  id: 1296269, name: repo.name, full_name: `${repo.owner}/${repo.name}`, private: true, html_url: `https://github.example/${repo.owner}/${repo.name}`,
  default_branch: 'main', owner: { login: repo.owner, id: 1, type: 'Organization' },
});
const user = (login: string) => ({ login, id: login.length * 1000, type: 'User', site_admin: false });

export interface IssueFixture {
  number: number;
  title: string;
  body: string;
  author: string;
}

const issueJson = (repo: Repo, issue: IssueFixture, labels: string[]) => ({
  id: 1_000_000 + issue.number, node_id: `I_${issue.number}`, number: issue.number, title: issue.title, body: issue.body, state: 'open',
  html_url: `https://github.example/${repo.owner}/${repo.name}/issues/${issue.number}`, user: user(issue.author),
  labels: labels.map((name, i) => ({ id: 208045946 + i, name, color: 'f29513', default: false })), comments: 0, author_association: 'OWNER',
});

/** `issues` with action `labeled`: the label just added, the issue with its labels, who added it. */
export function issueLabeled(repo: Repo, issue: IssueFixture, label: string, sender: string, installation?: number) {
  return { action: 'labeled', label: { id: 208045946, name: label, color: 'f29513' }, issue: issueJson(repo, issue, [label]), repository: repository(repo), sender: user(sender), ...(installation ? { installation: { id: installation } } : {}) };
}

let commentIds = 5_000_000;

/** `issue_comment` with action `created`. `author_association` is set to OWNER: the channel must never trust it. */
export function issueCommented(repo: Repo, issue: IssueFixture, body: string, author: string, installation?: number) {
  const id = commentIds++;
  return {
    action: 'created',
    issue: issueJson(repo, issue, []),
    comment: { id, node_id: `IC_${id}`, body, user: user(author), html_url: `https://github.example/${repo.owner}/${repo.name}/issues/${issue.number}#issuecomment-${id}`, author_association: 'OWNER', created_at: new Date().toISOString() },
    repository: repository(repo),
    sender: user(author),
    ...(installation ? { installation: { id: installation } } : {}),
  };
}
