/**
 * A local server speaking the parts of GitHub's REST API the GitHub channel uses (issue 39), each
 * answer shaped as GitHub's docs show it: the repository, issues and their comments, a collaborator's
 * permission (`maintain` reported as `write`, `triage` as `read`, as GitHub does), pull requests,
 * check runs, workflow runs, a job's log (a 302 to a short-lived URL, then plain text), a repository's
 * installation and App installation tokens (`POST /app/installations/{id}/access_tokens`, for a JWT
 * signed with the App's key, RS256, checked here). Every request is recorded: a test can look for a
 * token where it must never be. Bad credentials answer 401 with GitHub's body.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { appAuth, BAD_CREDENTIALS, NOT_FOUND, send, type ScriptedApp } from './githubApiApp';
import { type ApiCheckRun, type ApiIssue, checksAndIssues } from './githubChecksApi';
import { flatHeaders, readBody, startScriptedHttp, type ScriptedHttp } from './scriptedHttp';
import { requestHolds } from './requestHolds';

export type GithubRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface ApiComment {
  id: number;
  issue: number;
  body: string;
  login: string;
  html_url: string;
  edits: number;
  /** performance.now() when it was made (the bench's clock). */
  madeAt: number;
}

export interface ApiPull {
  number: number;
  title: string;
  head: string;
  base: string;
  body: string;
  headSha: string;
  html_url: string;
}

export interface GithubApiOptions {
  owner: string;
  repo: string;
  /** Each user's role on the repository; anyone else is not a collaborator (`none`). */
  roles: Record<string, GithubRole>;
  /** A personal or fine-grained token this server accepts. */
  token?: string;
  /** A GitHub App: its id, its public key (PEM) to check JWTs with, its installation on the repository. */
  app?: ScriptedApp;
  defaultBranch?: string;
  /** Head commits the branches point at, for pulls (a test sets them as it pushes). */
  headOf?: (branch: string) => string;
}

export interface GithubApi extends ScriptedHttp {
  url: string;
  requests: RecordedRequest[];
  comments: ApiComment[];
  pulls: ApiPull[];
  /** Installation tokens issued so far. */
  issuedTokens: string[];
  /** Pull requests are refused as GitHub refuses a second one from the same branch (422). */
  refusePulls: boolean;
  /** Every installation token issued so far stops working (as one expired early): the next call gets 401. */
  revokeTokens(): void;
  /** A job's log (text, as GitHub's log download gives it). */
  setJobLog(jobId: number, text: string): void;
  /** A workflow run's jobs (`GET …/actions/runs/{id}/jobs`), each with its conclusion. */
  setWorkflowJobs(
    runId: number,
    jobs: { id: number; name: string; conclusion: 'success' | 'failure' | 'skipped' | 'cancelled'; headSha: string }[],
  ): void;
  /** A review's inline comments (`GET …/pulls/{n}/reviews/{id}/comments`): the file and line each is on. */
  setReviewComments(reviewId: number, comments: { path: string; line: number; body: string; login: string }[]): void;
  commentsOn(issue: number): ApiComment[];
  /** Check runs posted (`POST …/check-runs`) and issues opened (`POST …/issues`), as they stand. */
  checkRuns: ApiCheckRun[];
  issues: ApiIssue[];
  /** Requests `test` picks wait unanswered until the returned function is called (GitHub slow just then). */
  hold(test: (method: string, path: string) => boolean): () => void;
}

export async function startGithubApi(options: GithubApiOptions): Promise<GithubApi> {
  const requests: RecordedRequest[] = [];
  const comments: ApiComment[] = [];
  const pulls: ApiPull[] = [];
  const issuedTokens: string[] = [];
  const revoked = new Set<string>();
  const jobLogs = new Map<number, string>();
  const workflowJobs = new Map<number, Parameters<GithubApi['setWorkflowJobs']>[1]>();
  const reviewComments = new Map<number, Parameters<GithubApi['setReviewComments']>[1]>();
  const blobs = new Map<string, string>();
  const holds = requestHolds();
  let nextId = 1_000;
  const repoPath = `/repos/${options.owner}/${options.repo}`;
  const defaultBranch = options.defaultBranch ?? 'main';
  const html = `https://github.example/${options.owner}/${options.repo}`;
  const botLogin = options.app ? `${options.app.slug}[bot]` : 'orchestrator-user';
  const bot = { login: botLogin, id: 41898282, type: options.app ? 'Bot' : 'User' };

  const tokenOk = (header: string | undefined): boolean => {
    const token = /^(?:token|bearer) (.+)$/i.exec(header ?? '')?.[1];
    if (!token) return false;
    if (options.token && token === options.token) return true;
    return issuedTokens.includes(token) && !revoked.has(token);
  };

  const app = appAuth(options.app, options.owner, repoPath, issuedTokens);
  const checks = checksAndIssues(repoPath, html, bot);

  const commentJson = (c: ApiComment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `https://api.github.example${repoPath}/issues/comments/${c.id}`,
    html_url: c.html_url,
    body: c.body,
    user: c.login === botLogin ? bot : { login: c.login, id: 1, type: 'User' },
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    issue_url: `https://api.github.example${repoPath}/issues/${c.issue}`,
    author_association: 'NONE',
  });

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://github.test');
    const path = url.pathname.replace(/^\/api\/v3/, '');
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname + url.search, headers: flatHeaders(req), body });
    await holds.passed(method, path);
    // A job log's short-lived URL: no Authorization (GitHub's points at blob storage).
    const blob = /^\/_blobs\/([a-f0-9]+)$/.exec(path);
    if (blob) {
      const text = blobs.get(blob[1]!);
      if (text === undefined) return send(res, 404, NOT_FOUND);
      res.writeHead(200, { 'content-type': 'text/plain' }).end(text);
      return;
    }
    if (app(req, res, path, method)) return;
    if (!tokenOk(req.headers.authorization)) return send(res, 401, BAD_CREDENTIALS);
    if (checks.answer(res, method, path, url, body)) return;
    if (path === repoPath && method === 'GET') {
      return send(res, 200, {
        id: 1296269,
        name: options.repo,
        full_name: `${options.owner}/${options.repo}`,
        private: true,
        html_url: html,
        default_branch: defaultBranch,
        owner: { login: options.owner },
      });
    }
    const permission = new RegExp(`^${repoPath}/collaborators/([^/]+)/permission$`).exec(path);
    if (permission && method === 'GET') {
      const login = decodeURIComponent(permission[1]!);
      const role = options.roles[login];
      if (role === undefined)
        return send(res, 404, {
          message: `${login} is not a user`,
          documentation_url:
            'https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user',
          status: '404',
        });
      // GitHub's docs: "maintain" is reported as write and "triage" as read; role_name is the fine role.
      const reported = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
      return send(res, 200, {
        permission: reported,
        role_name: role,
        user: {
          login,
          id: 2,
          type: 'User',
          permissions: {
            admin: role === 'admin',
            maintain: role === 'maintain' || role === 'admin',
            push: ['admin', 'maintain', 'write'].includes(role),
            triage: role !== 'read' && role !== 'none',
            pull: role !== 'none',
          },
          role_name: role,
        },
      });
    }
    const newComment = new RegExp(`^${repoPath}/issues/(\\d+)/comments$`).exec(path);
    if (newComment && method === 'POST') {
      const id = nextId++;
      const issue = Number(newComment[1]);
      const comment: ApiComment = {
        id,
        issue,
        body: (JSON.parse(body) as { body: string }).body,
        login: botLogin,
        html_url: `${html}/issues/${issue}#issuecomment-${id}`,
        edits: 0,
        madeAt: performance.now(),
      };
      comments.push(comment);
      return send(res, 201, commentJson(comment));
    }
    if (newComment && method === 'GET') {
      return send(res, 200, comments.filter((c) => c.issue === Number(newComment[1])).map(commentJson));
    }
    const editComment = new RegExp(`^${repoPath}/issues/comments/(\\d+)$`).exec(path);
    // GitHub's docs, "Get an issue comment".
    if (editComment && method === 'GET') {
      const comment = comments.find((c) => c.id === Number(editComment[1]));
      return comment ? send(res, 200, commentJson(comment)) : send(res, 404, NOT_FOUND);
    }
    if (editComment && method === 'PATCH') {
      const comment = comments.find((c) => c.id === Number(editComment[1]));
      if (!comment) return send(res, 404, NOT_FOUND);
      comment.body = (JSON.parse(body) as { body: string }).body;
      comment.edits++;
      return send(res, 200, commentJson(comment));
    }
    if (path === `${repoPath}/pulls` && method === 'POST' && api.refusePulls) {
      const head = (JSON.parse(body) as { head: string }).head;
      return send(res, 422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${options.owner}:${head}.`,
          },
        ],
        documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
        status: '422',
      });
    }
    // `GET …/pulls?head=owner:branch&state=open`: GitHub's list, filtered as it filters it.
    if (path === `${repoPath}/pulls` && method === 'GET') {
      const head = url.searchParams.get('head');
      const branch = head?.startsWith(`${options.owner}:`) ? head.slice(options.owner.length + 1) : undefined;
      return send(res, 200, pulls.filter((p) => head === null || p.head === branch).map(pullJson));
    }
    if (
      path === `${repoPath}/pulls` &&
      method === 'POST' &&
      pulls.some((p) => p.head === (JSON.parse(body) as { head: string }).head)
    ) {
      // As GitHub answers a second pull request from the same branch.
      return send(res, 422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${options.owner}:${(JSON.parse(body) as { head: string }).head}.`,
          },
        ],
        documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
        status: '422',
      });
    }
    if (path === `${repoPath}/pulls` && method === 'POST') {
      const input = JSON.parse(body) as { title: string; head: string; base: string; body: string };
      const number = 100 + pulls.length + 1;
      const pull: ApiPull = {
        number,
        title: input.title,
        head: input.head,
        base: input.base,
        body: input.body,
        headSha: options.headOf?.(input.head) ?? '0'.repeat(40),
        html_url: `${html}/pull/${number}`,
      };
      pulls.push(pull);
      return send(res, 201, pullJson(pull));
    }
    const onePull = new RegExp(`^${repoPath}/pulls/(\\d+)$`).exec(path);
    if (onePull) {
      const pull = pulls.find((p) => p.number === Number(onePull[1]));
      if (!pull) return send(res, 404, NOT_FOUND);
      if (method === 'PATCH') pull.body = (JSON.parse(body) as { body?: string }).body ?? pull.body;
      pull.headSha = options.headOf?.(pull.head) ?? pull.headSha;
      return send(res, 200, pullJson(pull));
    }
    const jobLog = new RegExp(`^${repoPath}/actions/jobs/(\\d+)/logs$`).exec(path);
    if (jobLog && method === 'GET') {
      const text = jobLogs.get(Number(jobLog[1]));
      if (text === undefined) return send(res, 404, NOT_FOUND);
      const key = randomBytes(8).toString('hex');
      blobs.set(key, text);
      // GitHub's docs: "Returns a redirect URL to download a plain text file of logs", good for 1 minute.
      res.writeHead(302, { location: `${server.origin}/_blobs/${key}` }).end();
      return;
    }
    // GitHub's docs, "List jobs for a workflow run": {total_count, jobs: [{id, run_id, head_sha, status, conclusion, name, steps, html_url…}]}.
    const runJobs = new RegExp(`^${repoPath}/actions/runs/(\\d+)/jobs$`).exec(path);
    if (runJobs && method === 'GET') {
      const runId = Number(runJobs[1]);
      const jobs = workflowJobs.get(runId);
      if (!jobs) return send(res, 404, NOT_FOUND);
      return send(res, 200, {
        total_count: jobs.length,
        jobs: jobs.map((job) => ({
          id: job.id,
          run_id: runId,
          run_url: `https://api.github.example${repoPath}/actions/runs/${runId}`,
          node_id: `CR_${job.id}`,
          head_sha: job.headSha,
          url: `https://api.github.example${repoPath}/actions/jobs/${job.id}`,
          html_url: `${html}/actions/runs/${runId}/job/${job.id}`,
          status: 'completed',
          conclusion: job.conclusion,
          created_at: new Date().toISOString(),
          started_at: new Date().toISOString(),
          completed_at: new Date().toISOString(),
          name: job.name,
          steps: [{ name: 'Run npm test', status: 'completed', conclusion: job.conclusion, number: 3 }],
          check_run_url: `https://api.github.example${repoPath}/check-runs/${job.id}`,
          labels: ['ubuntu-latest'],
          runner_id: 1,
          runner_name: 'GitHub Actions 2',
          runner_group_id: 2,
          runner_group_name: 'GitHub Actions',
          workflow_name: 'CI',
          head_branch: 'orchestrator/x',
        })),
      });
    }
    // GitHub's docs, "List comments for a pull request review": the review's inline comments, each with its path and line.
    const reviewCommentList = new RegExp(`^${repoPath}/pulls/(\\d+)/reviews/(\\d+)/comments$`).exec(path);
    if (reviewCommentList && method === 'GET') {
      const list = reviewComments.get(Number(reviewCommentList[2])) ?? [];
      return send(
        res,
        200,
        list.map((c, i) => ({
          id: 10_000 + i,
          pull_request_review_id: Number(reviewCommentList[2]),
          path: c.path,
          line: c.line,
          original_line: c.line,
          side: 'RIGHT',
          position: 1,
          body: c.body,
          diff_hunk: '@@ -1,3 +1,4 @@',
          commit_id: '0'.repeat(40),
          user: { login: c.login, id: 3, type: 'User' },
          html_url: `${html}/pull/${reviewCommentList[1]}#discussion_r${10_000 + i}`,
          author_association: 'MEMBER',
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        })),
      );
    }
    send(res, 404, NOT_FOUND);
  };

  const pullJson = (p: ApiPull) => ({
    id: p.number * 10,
    number: p.number,
    state: 'open',
    title: p.title,
    body: p.body,
    html_url: p.html_url,
    user: bot,
    head: { ref: p.head, sha: p.headSha, repo: { full_name: `${options.owner}/${options.repo}` } },
    base: { ref: p.base, repo: { full_name: `${options.owner}/${options.repo}` } },
  });

  const server = await startScriptedHttp(answer, (res, message) => send(res, 400, { message }));
  const api: GithubApi = {
    ...server,
    refusePulls: false,
    url: server.origin,
    requests,
    comments,
    pulls,
    issuedTokens,
    revokeTokens: () => issuedTokens.forEach((t) => revoked.add(t)),
    setJobLog: (jobId, text) => void jobLogs.set(jobId, text),
    setWorkflowJobs: (runId, jobs) => void workflowJobs.set(runId, jobs),
    setReviewComments: (reviewId, list) => void reviewComments.set(reviewId, list),
    commentsOn: (issue) => comments.filter((c) => c.issue === issue),
    checkRuns: checks.checkRuns,
    issues: checks.issues,
    hold: holds.hold,
  };
  return api;
}
