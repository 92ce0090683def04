/**
 * GitHub's REST API through Octokit (issue 39: no hand-written client), for one repository. A
 * token from the environment, or a GitHub App's installation tokens (@octokit/auth-app creates
 * and caches them until their `expires_at`; after a 401 the token is replaced once, `refresh:
 * true`, and the request retried). `apiUrl` points it at GitHub Enterprise Server or a test server.
 * Octokit is ES modules only: loaded with import() (the bundles keep it lazy too).
 */
import type { Octokit } from '@octokit/rest';
import type { GithubSettings } from './settings';

/** What GitHub's permission endpoint says a user may do (it reports `maintain` as `write` and `triage` as `read`). */
export type RepoPermission = 'admin' | 'write' | 'read' | 'none';

export interface GithubComment {
  id: number;
  url: string;
}

export class GithubClient {
  /** The login GitHub shows on what we post (`<app>[bot]` or the token's user): its comments are ours. */
  ownLogin: string | undefined;
  private installationId: number | undefined;
  /** Awaited before each write on GitHub (a comment, an edit, a pull request): a job's state pushed first, or the write refused (action/jobState.ts). */
  private writeGuard?: () => Promise<void>;

  private constructor(
    readonly settings: GithubSettings,
    readonly octokit: Octokit,
    private readonly installationToken?: (refresh: boolean) => Promise<string>,
  ) {}

  static async open(settings: GithubSettings): Promise<GithubClient> {
    const { Octokit: Rest } = await import('@octokit/rest');
    const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const base = { baseUrl: settings.apiUrl, userAgent: 'spec-orchestrator', log: quiet };
    if (settings.auth.kind === 'token')
      return new GithubClient(settings, new Rest({ ...base, auth: settings.auth.token }));
    const { createAppAuth } = await import('@octokit/auth-app');
    // Token requests go through an Octokit of their own, outside the hook below.
    const plain = new Rest(base);
    const appAuth = createAppAuth({
      appId: settings.auth.appId,
      privateKey: settings.auth.privateKey,
      request: plain.request,
    });
    const octokit = new Rest(base);
    const holder: { client?: GithubClient } = {};
    const token = async (refresh: boolean): Promise<string> => {
      const installationId = await holder.client!.installation(appAuth);
      return (await appAuth({ type: 'installation', installationId, ...(refresh ? { refresh: true } : {}) })).token;
    };
    octokit.hook.wrap('request', async (request, options) => {
      // The hook's own options object is what is sent: a copy would go without the header.
      const send = async (refresh: boolean) => {
        options.headers.authorization = `token ${await token(refresh)}`;
        return request(options);
      };
      try {
        return await send(false);
      } catch (error) {
        if ((error as { status?: number }).status !== 401) throw error;
        return send(true);
      }
    });
    holder.client = new GithubClient(settings, octokit, token);
    return holder.client;
  }

  guardWrites(guard: () => Promise<void>): void {
    this.writeGuard = guard;
  }

  /** Before acting where no write on GitHub comes first (a parked gate answered): the guard passed, as before a write. */
  async claim(): Promise<void> {
    await this.writeGuard?.();
  }

  /** An installation id heard in a delivery: the App acts for that installation. */
  useInstallation(id: unknown): void {
    if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) this.installationId = id;
  }

  private async installation(appAuth: (options: { type: 'app' }) => Promise<{ token: string }>): Promise<number> {
    if (this.installationId !== undefined) return this.installationId;
    // The App's own JWT asks which installation holds the repository.
    const { token } = await appAuth({ type: 'app' });
    const { Octokit: Rest } = await import('@octokit/rest');
    const asApp = new Rest({ baseUrl: this.settings.apiUrl, auth: token, userAgent: 'spec-orchestrator' });
    const { data } = await asApp.rest.apps.getRepoInstallation({
      owner: this.settings.owner,
      repo: this.settings.repo,
    });
    this.installationId = data.id;
    return data.id;
  }

  /** The token git pushes with (never written anywhere: gitPush.ts hands it to git through its environment). */
  async pushToken(): Promise<string> {
    if (this.settings.auth.kind === 'token') return this.settings.auth.token;
    return this.installationToken!(false);
  }

  private get repo() {
    return { owner: this.settings.owner, repo: this.settings.repo };
  }

  /** Permission questions GitHub has not answered yet, by installation and login. */
  private readonly asking = new Map<string, Promise<RepoPermission>>();

  /** Whether `username` may decide for the repository: `write`, `maintain` (reported as write) or `admin`. */
  async canWrite(username: string): Promise<boolean> {
    const permission = await this.permission(username);
    return permission === 'write' || permission === 'admin';
  }

  /**
   * What GitHub says `username` may do on the repository, asked each time (never remembered: a
   * revoked collaborator is refused at once). Asked once for the deliveries that want it at the
   * same moment (twenty issues labelled together by one person): they share GitHub's one answer.
   */
  permission(username: string): Promise<RepoPermission> {
    const key = `${this.installationId ?? ''}:${username.toLowerCase()}`;
    const pending = this.asking.get(key);
    if (pending) return pending;
    const asked = this.askPermission(username).finally(() => this.asking.delete(key));
    this.asking.set(key, asked);
    return asked;
  }

  private async askPermission(username: string): Promise<RepoPermission> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.repo, username });
      return (['admin', 'write', 'read'] as const).find((p) => p === data.permission) ?? 'none';
    } catch (error) {
      // Not a user, or not one GitHub will say anything about: no permission.
      if ((error as { status?: number }).status === 404) return 'none';
      throw error;
    }
  }

  async defaultBranch(): Promise<string> {
    return (await this.octokit.rest.repos.get(this.repo)).data.default_branch;
  }

  async comment(issue: number, body: string): Promise<GithubComment> {
    await this.writeGuard?.();
    const { data } = await this.octokit.rest.issues.createComment({ ...this.repo, issue_number: issue, body });
    this.ownLogin ??= data.user?.login;
    return { id: data.id, url: data.html_url };
  }

  async editComment(id: number, body: string): Promise<GithubComment> {
    await this.writeGuard?.();
    const { data } = await this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: id, body });
    return { id: data.id, url: data.html_url };
  }

  /** Our own comment on an issue that carries `marker` (one serve made, then stopped before remembering it). */
  async ownComment(issue: number, marker: string, knownOwn?: number): Promise<GithubComment | undefined> {
    // A process that has written nothing yet learns who it is from a comment it made before (a read, no write).
    if (this.ownLogin === undefined && knownOwn !== undefined)
      this.ownLogin = (await this.octokit.rest.issues.getComment({ ...this.repo, comment_id: knownOwn })).data.user
        ?.login;
    if (this.ownLogin === undefined) return undefined;
    const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      ...this.repo,
      issue_number: issue,
      per_page: 100,
    });
    const found = comments.find((c) => c.user?.login === this.ownLogin && c.body?.includes(marker));
    return found ? { id: found.id, url: found.html_url } : undefined;
  }

  /** A job's log: GitHub answers with a redirect to a short-lived URL (Octokit follows it), then plain text. */
  async jobLog(jobId: number): Promise<string> {
    const { data } = await this.octokit.rest.actions.downloadJobLogsForWorkflowRun({ ...this.repo, job_id: jobId });
    return typeof data === 'string'
      ? data
      : data instanceof ArrayBuffer
        ? Buffer.from(data).toString('utf8')
        : String(data);
  }

  /** The failed jobs of a workflow run's latest attempt. */
  async failedJobs(runId: number): Promise<{ id: number; name: string; url: string }[]> {
    const { data } = await this.octokit.rest.actions.listJobsForWorkflowRun({
      ...this.repo,
      run_id: runId,
      filter: 'latest',
      per_page: 100,
    });
    return data.jobs
      .filter((job) => job.conclusion === 'failure')
      .map((job) => ({ id: job.id, name: job.name, url: job.html_url ?? '' }));
  }

  /** A review's inline comments: the file and line each is about. */
  async reviewComments(pull: number, reviewId: number): Promise<{ path: string; line?: number; body: string }[]> {
    const { data } = await this.octokit.rest.pulls.listCommentsForReview({
      ...this.repo,
      pull_number: pull,
      review_id: reviewId,
      per_page: 100,
    });
    return data.map((c) => {
      const line =
        (c as { line?: number | null }).line ?? (c as { original_line?: number | null }).original_line ?? undefined;
      return { path: c.path, body: c.body, ...(line ? { line } : {}) };
    });
  }

  /** The open pull request from `head` (a branch of this repository), if there is one: a pull request is never opened twice. */
  async findPull(head: string): Promise<{ number: number; url: string; headSha: string } | undefined> {
    const { data } = await this.octokit.rest.pulls.list({
      ...this.repo,
      head: `${this.settings.owner}:${head}`,
      state: 'open',
      per_page: 1,
    });
    const pull = data[0];
    return pull ? { number: pull.number, url: pull.html_url, headSha: pull.head.sha } : undefined;
  }

  /** A pull request's body and where its head lives (another repository: a fork's). */
  async pullRequest(number: number): Promise<{ body: string; headRepository?: string }> {
    const { data } = await this.octokit.rest.pulls.get({ ...this.repo, pull_number: number });
    return {
      body: data.body ?? '',
      ...(data.head.repo?.full_name ? { headRepository: data.head.repo.full_name } : {}),
    };
  }

  /** A check run reported completed on `headSha` (a merge group's `orchestrator/proofs`, issue 74). */
  async completedCheckRun(input: {
    name: string;
    headSha: string;
    conclusion: 'success' | 'failure';
    title: string;
    summary: string;
    text?: string;
  }): Promise<{ id: number; url: string }> {
    await this.writeGuard?.();
    const { data } = await this.octokit.rest.checks.create({
      ...this.repo,
      name: input.name,
      head_sha: input.headSha,
      status: 'completed',
      conclusion: input.conclusion,
      completed_at: new Date().toISOString(),
      output: { title: input.title, summary: input.summary, ...(input.text ? { text: input.text } : {}) },
    });
    return { id: data.id, url: data.html_url ?? '' };
  }

  /**
   * The open issue labelled `label` whose body carries `marker` updated with `title` and `body`, or
   * one opened so (issue 74: one issue per spec gone red, never a second).
   */
  async openOrUpdateIssue(input: {
    marker: string;
    label: string;
    title: string;
    body: string;
  }): Promise<{ number: number; url: string; opened: boolean }> {
    await this.writeGuard?.();
    const open = await this.octokit.paginate(this.octokit.rest.issues.listForRepo, {
      ...this.repo,
      state: 'open',
      labels: input.label,
      per_page: 100,
    });
    const found = open.find((issue) => issue.pull_request === undefined && issue.body?.includes(input.marker));
    const { title, body } = input;
    if (found) {
      const { data } = await this.octokit.rest.issues.update({ ...this.repo, issue_number: found.number, title, body });
      return { number: data.number, url: data.html_url, opened: false };
    }
    const { data } = await this.octokit.rest.issues.create({ ...this.repo, title, body, labels: [input.label] });
    return { number: data.number, url: data.html_url, opened: true };
  }

  async openPull(input: {
    title: string;
    head: string;
    base: string;
    body: string;
  }): Promise<{ number: number; url: string; headSha: string }> {
    await this.writeGuard?.();
    const { data } = await this.octokit.rest.pulls.create({ ...this.repo, ...input });
    this.ownLogin ??= data.user?.login;
    return { number: data.number, url: data.html_url, headSha: data.head.sha };
  }
}
