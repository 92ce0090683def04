// The pull request of the follow-up tests (issue 39 parts 4 and 5): a Product issue run to its pull request.
import assert from 'node:assert/strict';
import { issueCommented, issueLabeled, type PullRef } from '../githubWebhooks';
import { REPO, type GithubWorld } from './githubKit';

export const ISSUE = {
  number: 12,
  title: 'Add a Product entity with name and price',
  body: 'Products, their table, their API and a screen.',
  author: 'alice',
};
export const BRANCH = 'orchestrator/product-entity';

/** The world with the run done: a pull request from BRANCH, its head in the bare remote. */
export async function pullRequestOpened(w: GithubWorld): Promise<PullRef & { url: string }> {
  await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
  await w.until('the spec comment', () =>
    w.api.commentsOn(ISSUE.number).find((c) => c.body.includes('<!-- orchestrator:spec ')),
  );
  await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
  const pull = await w.until('the pull request', () => w.api.pulls[0]);
  await w.until('the note of the pull request', () =>
    w.api.commentsOn(ISSUE.number).find((c) => c.body.includes(`Pull request #${pull.number} opened`)),
  );
  assert.equal(pull.head, BRANCH);
  return { number: pull.number, branch: BRANCH, headSha: w.remoteHead(BRANCH)!, url: pull.html_url };
}

export const onPull = (w: GithubWorld, pull: PullRef, text: string) =>
  w.api.commentsOn(pull.number).filter((c) => c.body.includes(text));
export const parentOf = (w: GithubWorld, commit: string) =>
  w.h.shop.git('--git-dir', w.bare, 'rev-parse', `${commit}^`).trim();
export const fileAt = (w: GithubWorld, commit: string, path: string) =>
  w.h.shop.git('--git-dir', w.bare, 'show', `${commit}:${path}`);
