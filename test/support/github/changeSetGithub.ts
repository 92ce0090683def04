/**
 * A local GitHub for a change-set (issue 73): several repositories, each backed by a bare git
 * repository on disk (the members' `origin`, so a push is seen here), speaking the parts of GitHub's
 * REST API the change-set uses, shaped as GitHub's docs show them: the repository, pull requests
 * (list, create, get, update, merge: a real merge commit written into the bare repository),
 * commit statuses and a ref's combined status, a ref's check runs. A test sets check runs, asks a
 * review before a pull request merges (GitHub's 405), and holds requests (GitHub slow just then).
 */
import { execFileSync } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BAD_CREDENTIALS, NOT_FOUND, send } from '../githubApiApp';
import { readBody, startScriptedHttp, type ScriptedHttp } from '../scriptedHttp';
import { requestHolds } from '../requestHolds';

const git = (bare: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=GitHub', '-c', 'user.email=noreply@github.example', ...args], {
    cwd: bare,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

interface Pull {
  number: number;
  title: string;
  head: string;
  base: string;
  body: string;
  merged: boolean;
  mergeCommit?: string;
}

export interface SetGithub extends ScriptedHttp {
  token: string;
  pulls: (repository: string) => Pull[];
  /** Statuses set on a commit, oldest first. */
  statuses: (repository: string, sha: string) => { state: string; context: string; description: string }[];
  /** A check run on `ref`'s commit (a branch or a sha), as CI would report it. */
  setCheckRun(repository: string, sha: string, name: string, conclusion: 'success' | 'failure'): void;
  /** The repository's pull requests merge only after an approving review (GitHub's branch protection). */
  requireReview(repository: string): void;
  /** Requests `test` picks wait unanswered until the returned function is called. */
  hold(test: (method: string, path: string) => boolean): () => void;
  merges: string[];
}

/** `repositories`: `owner/name` → its bare repository. */
export async function startSetGithub(repositories: Record<string, string>): Promise<SetGithub> {
  const token = 'ghp_changeset0123456789';
  const pulls = new Map<string, Pull[]>(Object.keys(repositories).map((r) => [r, []]));
  const statuses = new Map<string, { state: string; context: string; description: string }[]>();
  const checkRuns = new Map<string, { name: string; conclusion: string }[]>();
  const reviewed = new Set<string>();
  const holds = requestHolds();
  const merges: string[] = [];
  let nextPull = 101;
  const sha = (bare: string, ref: string) => git(bare, 'rev-parse', ref);
  const pullJson = (repository: string, bare: string, p: Pull) => ({
    number: p.number,
    state: p.merged ? 'closed' : 'open',
    title: p.title,
    body: p.body,
    html_url: `https://github.example/${repository}/pull/${p.number}`,
    merged: p.merged,
    merged_at: p.merged ? new Date().toISOString() : null,
    merge_commit_sha: p.mergeCommit ?? null,
    mergeable: p.merged ? null : conflicts(bare, p) ? false : true,
    mergeable_state: p.merged
      ? 'unknown'
      : conflicts(bare, p)
        ? 'dirty'
        : reviewed.has(repository)
          ? 'blocked'
          : 'clean',
    head: { ref: p.head, sha: sha(bare, `refs/heads/${p.head}`), repo: { full_name: repository } },
    base: { ref: p.base, repo: { full_name: repository } },
  });
  const conflicts = (bare: string, p: Pull) => {
    try {
      git(bare, 'merge-tree', '--write-tree', p.base, p.head);
      return false;
    } catch {
      return true;
    }
  };

  const answer = async (req: IncomingMessage, res: ServerResponse, gone: AbortSignal) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://github.test');
    const method = req.method ?? 'GET';
    await holds.passed(method, url.pathname);
    // The client went while it was held (killed): GitHub never saw the request.
    if (gone.aborted) return;
    if (req.headers.authorization !== `token ${token}`) return send(res, 401, BAD_CREDENTIALS);
    const route = /^\/repos\/([^/]+\/[^/]+)(\/.*)?$/.exec(url.pathname);
    const repository = route?.[1];
    const bare = repository ? repositories[repository] : undefined;
    if (!repository || !bare) return send(res, 404, NOT_FOUND);
    const rest = route![2] ?? '';
    const list = pulls.get(repository)!;
    const input = body ? (JSON.parse(body) as Record<string, string>) : {};
    if (rest === '' && method === 'GET')
      return send(res, 200, { full_name: repository, default_branch: git(bare, 'symbolic-ref', '--short', 'HEAD') });
    if (rest === '/pulls' && method === 'GET') {
      const head = url.searchParams.get('head')?.split(':')[1];
      const state = url.searchParams.get('state') ?? 'open';
      const found = list.filter(
        (p) => (!head || p.head === head) && (state === 'all' || (state === 'open') !== p.merged),
      );
      return send(
        res,
        200,
        found.map((p) => pullJson(repository, bare, p)),
      );
    }
    if (rest === '/pulls' && method === 'POST') {
      const pull: Pull = {
        number: nextPull++,
        title: input.title!,
        head: input.head!,
        base: input.base!,
        body: input.body ?? '',
        merged: false,
      };
      list.push(pull);
      return send(res, 201, pullJson(repository, bare, pull));
    }
    const one = /^\/pulls\/(\d+)(\/merge)?$/.exec(rest);
    const pull = one ? list.find((p) => p.number === Number(one[1])) : undefined;
    if (one && !pull) return send(res, 404, NOT_FOUND);
    if (one && !one[2] && method === 'GET') return send(res, 200, pullJson(repository, bare, pull!));
    if (one && !one[2] && method === 'PATCH') {
      pull!.body = input.body ?? pull!.body;
      return send(res, 200, pullJson(repository, bare, pull!));
    }
    if (one?.[2] && method === 'PUT') {
      const doc = 'https://docs.github.com/rest/pulls/pulls#merge-a-pull-request';
      if (reviewed.has(repository))
        return send(res, 405, {
          message: 'At least 1 approving review is required by reviewers with write access.',
          documentation_url: doc,
          status: '405',
        });
      const head = sha(bare, `refs/heads/${pull!.head}`);
      if (input.sha && input.sha !== head)
        return send(res, 409, {
          message: 'Head branch was modified. Review and try the merge again.',
          documentation_url: doc,
          status: '409',
        });
      if (conflicts(bare, pull!))
        return send(res, 405, { message: 'Pull Request is not mergeable', documentation_url: doc, status: '405' });
      const base = sha(bare, `refs/heads/${pull!.base}`);
      const tree = git(bare, 'merge-tree', '--write-tree', base, head).split('\n')[0]!;
      const commit = git(
        bare,
        'commit-tree',
        tree,
        '-p',
        base,
        '-p',
        head,
        '-m',
        input.commit_title ?? `Merge pull request #${pull!.number}`,
      );
      git(bare, 'update-ref', `refs/heads/${pull!.base}`, commit, base);
      pull!.merged = true;
      pull!.mergeCommit = commit;
      merges.push(repository);
      return send(res, 200, { sha: commit, merged: true, message: 'Pull Request successfully merged' });
    }
    const status = /^\/statuses\/([0-9a-f]{40})$/.exec(rest);
    if (status && method === 'POST') {
      const key = `${repository}@${status[1]}`;
      statuses.set(key, [
        ...(statuses.get(key) ?? []),
        { state: input.state!, context: input.context ?? 'default', description: input.description ?? '' },
      ]);
      return send(res, 201, { state: input.state, context: input.context, description: input.description });
    }
    const ofRef = /^\/commits\/([^/]+)\/(status|check-runs)$/.exec(rest);
    if (ofRef && method === 'GET') {
      const at = sha(bare, decodeURIComponent(ofRef[1]!));
      if (ofRef[2] === 'check-runs') {
        const runs = checkRuns.get(`${repository}@${at}`) ?? [];
        return send(res, 200, {
          total_count: runs.length,
          check_runs: runs.map((r, i) => ({
            id: i + 1,
            name: r.name,
            status: 'completed',
            conclusion: r.conclusion,
            head_sha: at,
          })),
        });
      }
      // The combined status: the latest status of each context.
      const latest = new Map((statuses.get(`${repository}@${at}`) ?? []).map((s) => [s.context, s]));
      const all = [...latest.values()];
      const state = all.some((s) => s.state !== 'success')
        ? all.some((s) => s.state === 'pending')
          ? 'pending'
          : 'failure'
        : 'success';
      return send(res, 200, { state, sha: at, total_count: all.length, statuses: all });
    }
    send(res, 404, NOT_FOUND);
  };

  const server = await startScriptedHttp(answer, (res, message) => send(res, 400, { message }));
  return {
    ...server,
    token,
    merges,
    pulls: (repository) => pulls.get(repository) ?? [],
    statuses: (repository, commit) => statuses.get(`${repository}@${commit}`) ?? [],
    setCheckRun: (repository, commit, name, conclusion) => {
      const key = `${repository}@${commit}`;
      checkRuns.set(key, [...(checkRuns.get(key) ?? []), { name, conclusion }]);
    },
    requireReview: (repository) => void reviewed.add(repository),
    hold: holds.hold,
  };
}
