/**
 * Pushing a run's branch to the repository (issue 39). The token reaches git only through its
 * environment: `http.extraHeader` set by GIT_CONFIG_COUNT/KEY/VALUE variables of this one git
 * process, never in a URL, an argument, `.git/config` or a log. Only `orchestrator/…` branches are
 * pushed, each by its full ref name, and never the default branch.
 */
import { hostCheckout, remoteRefs } from '../core/engineBundle';
import { redactSecrets } from '../core/text/secrets';

export const BRANCH_PREFIX = 'orchestrator/';

/** The remote's URL, refused when a token would cross a network in the clear or sit in the URL itself. */
export async function pushableRemote(repo: string, remote = 'origin'): Promise<string> {
  const url = await remoteRefs.urlOf(repo, remote);
  if (!URL.canParse(url))
    throw new Error(
      `the ${remote} remote is not an HTTPS URL (${url.startsWith('git@') ? 'SSH' : 'a path'}): pushing with the GitHub token needs https://`,
    );
  const parsed = new URL(url);
  if (parsed.username || parsed.password)
    throw new Error(`the ${remote} remote's URL carries credentials: remove them (the token is given to git apart)`);
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local))
    throw new Error(`the ${remote} remote is ${parsed.protocol}//: pushing with the GitHub token needs https://`);
  return url;
}

/** git's environment carrying the token as an Authorization header (Basic, as GitHub takes installation and personal tokens). */
export function tokenEnvironment(token: string): Record<string, string> {
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    // No prompt and no stored credential: the header or nothing.
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
  };
}

/** Pushes `commit` to `refs/heads/<branch>` of origin; `force` only ever for our own branch (a CI fix rebuilt on top). */
export async function pushBranch(
  repo: string,
  branch: string,
  commit: string,
  token: string,
  defaultBranch: string,
  options: { force?: boolean } = {},
): Promise<void> {
  if (!branch.startsWith(BRANCH_PREFIX) || branch === defaultBranch)
    throw new Error(`refusing to push ${branch}: only ${BRANCH_PREFIX}… branches are pushed, never ${defaultBranch}`);
  const url = await pushableRemote(repo);
  try {
    await remoteRefs.push(repo, url, [`${options.force ? '+' : ''}${commit}:refs/heads/${branch}`], {
      env: tokenEnvironment(token),
      noVerify: true,
    });
  } catch (error) {
    // What git said, never the token (it does not print it; masked all the same).
    throw new Error(`git push of ${branch} failed: ${redactSecrets((error as Error).message, [token]).text}`);
  }
}

/**
 * The branch as origin has it now (a person may have pushed to it), fetched into the local branch
 * of that name, which is only ever a copy of ours on GitHub; returns its head. Same token, same rules.
 */
export async function fetchBranch(repo: string, branch: string, token: string, defaultBranch: string): Promise<string> {
  if (!branch.startsWith(BRANCH_PREFIX) || branch === defaultBranch)
    throw new Error(`refusing to fetch into ${branch}: only ${BRANCH_PREFIX}… branches`);
  const url = await pushableRemote(repo);
  try {
    await remoteRefs.fetch(repo, url, [`+refs/heads/${branch}:refs/heads/${branch}`], {
      env: tokenEnvironment(token),
      noFetchHead: true,
    });
  } catch (error) {
    throw new Error(`git fetch of ${branch} failed: ${redactSecrets((error as Error).message, [token]).text}`);
  }
  return hostCheckout.commitOf(repo, `refs/heads/${branch}`);
}
