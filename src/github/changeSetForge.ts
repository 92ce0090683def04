/**
 * A change-set member's GitHub repository (issue 73, docs/changesets.md): its pull request for the
 * set's branch found or opened and its body written, `orchestrator/change-set` set on its head, what
 * holds it (GitHub's `mergeable`, a red or pending check run or status of its own, a required review
 * GitHub names when it refuses the merge), and the merge through GitHub's API. The engine pushed the
 * branch already; GITHUB_TOKEN is the user's, used here only and never passed on.
 */
import type { Octokit } from '@octokit/rest';
import { CHANGE_SET_CONTEXT, type ForgeMember, type MemberForge } from '../core/engineBundle';
import { GITHUB_TOKEN_ENV, inTheClear } from './settings';

/** The hosts' `forgeOf`: a member naming `github:` goes through GitHub when a token is set; else undefined (its origin, by git). */
export function changeSetForges(env: NodeJS.ProcessEnv): (member: ForgeMember) => Promise<MemberForge | undefined> {
  const token = env[GITHUB_TOKEN_ENV];
  return async (member) => {
    if (!member.github || !token) return undefined;
    const apiUrl = (env.GITHUB_API_URL || member.apiUrl).replace(/\/+$/, '');
    const clear = inTheClear(apiUrl);
    if (clear)
      throw new Error(`${member.name}: GitHub's API at ${clear}: GITHUB_TOKEN would cross the network in the clear`);
    const { Octokit: Rest } = await import('@octokit/rest');
    const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const octokit = new Rest({ baseUrl: apiUrl, auth: token, userAgent: 'spec-orchestrator', log: quiet });
    return githubForge(octokit, member.github);
  };
}

function githubForge(octokit: Octokit, repository: string): MemberForge {
  const [owner, repo] = repository.split('/') as [string, string];
  let pull: { number: number; base: string; head: string } | undefined;
  const mine = () => {
    if (!pull) throw new Error(`${repository}: no pull request opened for the set`);
    return pull;
  };
  return {
    where: `${repository} on GitHub`,
    async open(branch, title) {
      const listed = await octokit.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: 'all' });
      const found = listed.data.find((p) => p.state === 'open' || p.merged_at);
      const base = found?.base.ref ?? (await octokit.repos.get({ owner, repo })).data.default_branch;
      const made = found ?? (await octokit.pulls.create({ owner, repo, head: branch, base, title, body: '' })).data;
      pull = { number: made.number, base, head: branch };
      return { base, pull: made.html_url };
    },
    async describe(body) {
      await octokit.pulls.update({ owner, repo, pull_number: mine().number, body });
    },
    async setStatus(head, passed, description) {
      await octokit.repos.createCommitStatus({
        owner,
        repo,
        sha: head,
        state: passed ? 'success' : 'failure',
        context: CHANGE_SET_CONTEXT,
        description: description.slice(0, 140),
      });
    },
    async blocker(head) {
      const { data } = await octokit.pulls.get({ owner, repo, pull_number: mine().number });
      if (data.mergeable === false) return `conflicts with ${data.base.ref}`;
      const runs = (await octokit.checks.listForRef({ owner, repo, ref: head })).data.check_runs;
      const red = runs.find(
        (r) => r.status === 'completed' && !['success', 'neutral', 'skipped'].includes(r.conclusion ?? ''),
      );
      if (red) return `its check ${red.name} is ${red.conclusion}`;
      const pending = runs.find((r) => r.status !== 'completed');
      if (pending) return `its check ${pending.name} has not finished`;
      const statuses = (await octokit.repos.getCombinedStatusForRef({ owner, repo, ref: head })).data.statuses;
      const theirs = statuses.find((s) => s.context !== CHANGE_SET_CONTEXT && s.state !== 'success');
      if (theirs) return `its status ${theirs.context} is ${theirs.state}`;
      if (data.mergeable_state === 'blocked') return 'blocked by its branch protection (a required review or check)';
      return undefined;
    },
    async merged(head) {
      if (!pull) return false;
      const { data } = await octokit.pulls.get({ owner, repo, pull_number: pull.number });
      return Boolean(data.merged) && data.head.sha === head;
    },
    async merge(head, message) {
      try {
        const { data } = await octokit.pulls.merge({
          owner,
          repo,
          pull_number: mine().number,
          sha: head,
          merge_method: 'merge',
          commit_title: message,
        });
        return data.sha;
      } catch (error) {
        // GitHub's refusal says why: "At least 1 approving review is required…", "Head branch was modified…".
        throw new Error(`GitHub refused the merge: ${(error as { message?: string }).message ?? String(error)}`);
      }
    },
    async proposeRevert(branch, title, body) {
      const { data } = await octokit.pulls.create({ owner, repo, head: branch, base: mine().base, title, body });
      return data.html_url;
    },
  };
}
