/**
 * The local GitHub's check runs and issues (issue 74: the merge queue's `orchestrator/proofs`, the
 * sweep's issue), answered as GitHub's REST docs show them and kept as posted: `POST …/check-runs`
 * (422 without `name` and `head_sha`, or a completed one without its conclusion), `GET
 * …/commits/{ref}/check-runs`; `POST …/issues`, `GET …/issues` (filtered by `state`, `labels`,
 * `creator`, as GitHub filters), `GET` and `PATCH …/issues/{n}`.
 */
import type { ServerResponse } from 'node:http';
import { NOT_FOUND, send } from './githubApiApp';

export interface ApiCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string };
}

export interface ApiIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  login: string;
  edits: number;
}

const invalid = (res: ServerResponse, field: string, doc: string): true => {
  send(res, 422, {
    message: 'Invalid request.',
    errors: [`"${field}" wasn't supplied.`],
    documentation_url: `https://docs.github.com/rest/${doc}`,
    status: '422',
  });
  return true;
};

export function checksAndIssues(repoPath: string, html: string, bot: { login: string; id: number; type: string }) {
  const checkRuns: ApiCheckRun[] = [];
  const issues: ApiIssue[] = [];
  let nextId = 5_000;
  const checkJson = (c: ApiCheckRun) => ({
    id: c.id,
    node_id: `CR_${c.id}`,
    head_sha: c.head_sha,
    external_id: '',
    url: `https://api.github.example${repoPath}/check-runs/${c.id}`,
    html_url: `${html}/runs/${c.id}`,
    details_url: `${html}/runs/${c.id}`,
    status: c.status,
    conclusion: c.conclusion,
    started_at: new Date().toISOString(),
    completed_at: c.status === 'completed' ? new Date().toISOString() : null,
    output: { title: null, summary: null, text: null, ...c.output, annotations_count: 0 },
    name: c.name,
    check_suite: { id: 1 },
    app: { id: 1, slug: 'github-actions', name: 'GitHub Actions' },
    pull_requests: [],
  });
  const issueJson = (i: ApiIssue) => ({
    id: i.number * 100,
    node_id: `I_${i.number}`,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    labels: i.labels.map((name, n) => ({ id: n + 1, name, color: 'ededed', default: false })),
    user: i.login === bot.login ? bot : { login: i.login, id: 1, type: 'User' },
    html_url: `${html}/issues/${i.number}`,
    url: `https://api.github.example${repoPath}/issues/${i.number}`,
    comments: 0,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    author_association: 'OWNER',
  });

  /** Whether it answered the request (else it is another part's). */
  const answer = (res: ServerResponse, method: string, path: string, url: URL, body: string): boolean => {
    const done = (status: number, json: unknown): true => {
      send(res, status, json);
      return true;
    };
    if (path === `${repoPath}/check-runs` && method === 'POST') {
      const input = JSON.parse(body) as Partial<ApiCheckRun>;
      const doc = 'checks/runs#create-a-check-run';
      if (!input.name) return invalid(res, 'name', doc);
      if (!input.head_sha) return invalid(res, 'head_sha', doc);
      if (input.status === 'completed' && !input.conclusion) return invalid(res, 'conclusion', doc);
      const run: ApiCheckRun = {
        id: nextId++,
        name: input.name,
        head_sha: input.head_sha,
        status: input.status ?? 'queued',
        conclusion: input.conclusion ?? null,
        output: input.output ?? {},
      };
      checkRuns.push(run);
      return done(201, checkJson(run));
    }
    const ofRef = new RegExp(`^${repoPath}/commits/([^/]+)/check-runs$`).exec(path);
    if (ofRef && method === 'GET') {
      const list = checkRuns.filter((c) => c.head_sha === ofRef[1]);
      return done(200, { total_count: list.length, check_runs: list.map(checkJson) });
    }
    if (path === `${repoPath}/issues` && method === 'POST') {
      const input = JSON.parse(body) as { title?: string; body?: string; labels?: string[] };
      if (!input.title) return invalid(res, 'title', 'issues/issues#create-an-issue');
      const issue: ApiIssue = {
        number: 200 + issues.length + 1,
        title: input.title,
        body: input.body ?? '',
        state: 'open',
        labels: input.labels ?? [],
        login: bot.login,
        edits: 0,
      };
      issues.push(issue);
      return done(201, issueJson(issue));
    }
    if (path === `${repoPath}/issues` && method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const labels = url.searchParams.get('labels')?.split(',').filter(Boolean) ?? [];
      const creator = url.searchParams.get('creator');
      const list = issues.filter(
        (i) =>
          (state === 'all' || i.state === state) &&
          labels.every((l) => i.labels.includes(l)) &&
          (creator === null || i.login === creator),
      );
      return done(200, list.reverse().map(issueJson));
    }
    const one = new RegExp(`^${repoPath}/issues/(\\d+)$`).exec(path);
    const issue = one ? issues.find((i) => i.number === Number(one[1])) : undefined;
    if (one && !issue && (method === 'GET' || method === 'PATCH')) return done(404, NOT_FOUND);
    if (issue && method === 'GET') return done(200, issueJson(issue));
    if (issue && method === 'PATCH') {
      const input = JSON.parse(body) as { title?: string; body?: string; state?: 'open' | 'closed' };
      Object.assign(issue, {
        ...(input.title ? { title: input.title } : {}),
        ...(input.body !== undefined ? { body: input.body } : {}),
        ...(input.state ? { state: input.state } : {}),
      });
      issue.edits++;
      return done(200, issueJson(issue));
    }
    return false;
  };
  return { checkRuns, issues, answer };
}

export type ChecksAndIssues = ReturnType<typeof checksAndIssues>;
