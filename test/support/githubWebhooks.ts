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
export function postDelivery(
  url: string,
  delivery: Delivery,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { host: target.host, ...delivery.headers, ...headers },
      },
      (res) => {
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
      },
    );
    req.on('error', reject);
    req.end(delivery.body);
  });
}

export interface Repo {
  owner: string;
  name: string;
}

const repository = (repo: Repo) => ({
  id: 1296269,
  name: repo.name,
  full_name: `${repo.owner}/${repo.name}`,
  private: true,
  html_url: `https://github.example/${repo.owner}/${repo.name}`,
  default_branch: 'main',
  owner: { login: repo.owner, id: 1, type: 'Organization' },
});
const user = (login: string) => ({ login, id: login.length * 1000, type: 'User', site_admin: false });

export interface IssueFixture {
  number: number;
  title: string;
  body: string;
  author: string;
}

const issueJson = (repo: Repo, issue: IssueFixture, labels: string[]) => ({
  id: 1_000_000 + issue.number,
  node_id: `I_${issue.number}`,
  number: issue.number,
  title: issue.title,
  body: issue.body,
  state: 'open',
  html_url: `https://github.example/${repo.owner}/${repo.name}/issues/${issue.number}`,
  user: user(issue.author),
  labels: labels.map((name, i) => ({ id: 208045946 + i, name, color: 'f29513', default: false })),
  comments: 0,
  author_association: 'OWNER',
});

/** `issues` with action `labeled`: the label just added, the issue with its labels, who added it. */
export function issueLabeled(repo: Repo, issue: IssueFixture, label: string, sender: string, installation?: number) {
  return {
    action: 'labeled',
    label: { id: 208045946, name: label, color: 'f29513' },
    issue: issueJson(repo, issue, [label]),
    repository: repository(repo),
    sender: user(sender),
    ...(installation ? { installation: { id: installation } } : {}),
  };
}

let commentIds = 5_000_000;

/** `issue_comment` with action `created`. `author_association` is set to OWNER: the channel must never trust it. */
export function issueCommented(repo: Repo, issue: IssueFixture, body: string, author: string, installation?: number) {
  const id = commentIds++;
  return {
    action: 'created',
    issue: issueJson(repo, issue, []),
    comment: {
      id,
      node_id: `IC_${id}`,
      body,
      user: user(author),
      html_url: `https://github.example/${repo.owner}/${repo.name}/issues/${issue.number}#issuecomment-${id}`,
      author_association: 'OWNER',
      created_at: new Date().toISOString(),
    },
    repository: repository(repo),
    sender: user(author),
    ...(installation ? { installation: { id: installation } } : {}),
  };
}

export interface PullRef {
  number: number;
  branch: string;
  headSha: string;
}

const pullMinimal = (repo: Repo, pull: PullRef) => ({
  id: pull.number * 10,
  number: pull.number,
  url: `https://api.github.example/repos/${repo.owner}/${repo.name}/pulls/${pull.number}`,
  head: {
    ref: pull.branch,
    sha: pull.headSha,
    repo: { id: 1296269, url: `https://api.github.example/repos/${repo.owner}/${repo.name}`, name: repo.name },
  },
  base: {
    ref: 'main',
    sha: 'f'.repeat(40),
    repo: { id: 1296269, url: `https://api.github.example/repos/${repo.owner}/${repo.name}`, name: repo.name },
  },
});

/**
 * `check_run` with action `completed` as GitHub Actions sends it for one job: the check run's id is the
 * job's, its details_url the job's page, its check suite and pull requests those of the head commit.
 */
export function checkRunCompleted(
  repo: Repo,
  pull: PullRef,
  check: { id: number; name: string; conclusion: 'success' | 'failure'; workflowRun?: number },
) {
  const runId = check.workflowRun ?? 7_000_000 + check.id;
  return {
    action: 'completed',
    check_run: {
      id: check.id,
      node_id: `CR_${check.id}`,
      head_sha: pull.headSha,
      external_id: `ext-${check.id}`,
      name: check.name,
      status: 'completed',
      conclusion: check.conclusion,
      url: `https://api.github.example/repos/${repo.owner}/${repo.name}/check-runs/${check.id}`,
      html_url: `https://github.example/${repo.owner}/${repo.name}/runs/${check.id}`,
      details_url: `https://github.example/${repo.owner}/${repo.name}/actions/runs/${runId}/job/${check.id}`,
      started_at: new Date().toISOString(),
      completed_at: new Date().toISOString(),
      output: {
        title: null,
        summary: null,
        text: null,
        annotations_count: 1,
        annotations_url: `https://api.github.example/repos/${repo.owner}/${repo.name}/check-runs/${check.id}/annotations`,
      },
      check_suite: {
        id: 5_000 + check.id,
        head_branch: pull.branch,
        head_sha: pull.headSha,
        status: 'completed',
        conclusion: check.conclusion,
        pull_requests: [pullMinimal(repo, pull)],
      },
      app: {
        id: 15368,
        slug: 'github-actions',
        node_id: 'MDM6QXBwMTUzNjg=',
        name: 'GitHub Actions',
        owner: { login: 'github', id: 9919, type: 'Organization' },
      },
      pull_requests: [pullMinimal(repo, pull)],
    },
    repository: repository(repo),
    sender: user('github-actions[bot]'),
  };
}

/** `workflow_run` with action `completed`: the run, its head commit and the pull requests of its branch. */
export function workflowRunCompleted(
  repo: Repo,
  pull: PullRef,
  run: { id: number; name: string; conclusion: 'success' | 'failure' },
) {
  return {
    action: 'completed',
    workflow_run: {
      id: run.id,
      name: run.name,
      node_id: `WFR_${run.id}`,
      head_branch: pull.branch,
      head_sha: pull.headSha,
      run_number: 12,
      run_attempt: 1,
      event: 'pull_request',
      status: 'completed',
      conclusion: run.conclusion,
      workflow_id: 161335,
      html_url: `https://github.example/${repo.owner}/${repo.name}/actions/runs/${run.id}`,
      jobs_url: `https://api.github.example/repos/${repo.owner}/${repo.name}/actions/runs/${run.id}/jobs`,
      logs_url: `https://api.github.example/repos/${repo.owner}/${repo.name}/actions/runs/${run.id}/logs`,
      pull_requests: [pullMinimal(repo, pull)],
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    },
    workflow: { id: 161335, name: run.name, path: '.github/workflows/ci.yml', state: 'active' },
    repository: repository(repo),
    sender: user('alice'),
  };
}

let reviewIds = 80_000_000;

/** `pull_request_review` with action `submitted`. */
export function pullRequestReviewed(
  repo: Repo,
  pull: PullRef,
  review: { state: 'changes_requested' | 'approved' | 'commented'; body: string; author: string; id?: number },
) {
  const id = review.id ?? reviewIds++;
  return {
    action: 'submitted',
    review: {
      id,
      node_id: `PRR_${id}`,
      user: user(review.author),
      body: review.body,
      commit_id: pull.headSha,
      submitted_at: new Date().toISOString(),
      state: review.state,
      html_url: `https://github.example/${repo.owner}/${repo.name}/pull/${pull.number}#pullrequestreview-${id}`,
      author_association: 'OWNER',
    },
    pull_request: {
      id: pull.number * 10,
      number: pull.number,
      state: 'open',
      title: 'the pull request',
      html_url: `https://github.example/${repo.owner}/${repo.name}/pull/${pull.number}`,
      user: user('orchestrator-user'),
      head: { ref: pull.branch, sha: pull.headSha },
      base: { ref: 'main', sha: 'f'.repeat(40) },
    },
    repository: repository(repo),
    sender: user(review.author),
  };
}
