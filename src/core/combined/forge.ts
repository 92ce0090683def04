/**
 * Where a change-set member's pull request, status and merge live (issue 73): its GitHub
 * repository (the host's, src/github/changeSetForge.ts, through GitHub's API) or, without one, its
 * `origin` remote by git alone (here). The engine pushes the branch itself in both cases.
 */
import { mergeConflict, mergedInto, mergeIntoRemote, remoteDefaultBranch } from '../git';

export const CHANGE_SET_CONTEXT = 'orchestrator/change-set';

export interface MemberForge {
  /** Said in the report: `origin (git)`, `shop/sdk on GitHub`. */
  readonly where: string;
  /** Its pull request for `branch` found or opened (GitHub; git has none); the branch it merges into. */
  open(branch: string, title: string): Promise<{ base: string; pull?: string }>;
  /** The pull request's body written again (the others' status changed). */
  describe(body: string): Promise<void>;
  /** `orchestrator/change-set` on the head commit (GitHub's commit status; git keeps none). */
  setStatus(head: string, passed: boolean, description: string): Promise<void>;
  /** Why it cannot merge now (a conflict, a required review, a red or pending check of its own), else undefined. */
  blocker(head: string): Promise<string | undefined>;
  /** Whether `head` is merged already (before a kill, or by hand). */
  merged(head: string): Promise<boolean>;
  /** `head` merged into its base: the merge commit. Throws saying why not. */
  merge(head: string, message: string): Promise<string>;
  /** A pull request from `branch` (pushed already: the revert of what merged) into its base: its address; git: none. */
  proposeRevert(branch: string, title: string, body: string): Promise<string | undefined>;
}

/** What a host needs to reach a member's GitHub repository. */
export interface ForgeMember {
  name: string;
  github?: string;
  /** GITHUB_API_URL, else the member's `github.apiUrl`. */
  apiUrl: string;
}

/**
 * A member's `origin` remote, by git: no pull request, no status; a merge is a merge commit pushed.
 * `onGithub`: the member names a GitHub repository the host cannot reach (no token): its branch is
 * pushed, but it never merges by a push past its pull request and branch protection: it holds the set.
 */
export function gitForge(path: string, onGithub?: string, remote = 'origin'): MemberForge {
  const unreachable = onGithub
    ? `on GitHub (${onGithub}): merged only through its pull request, with GITHUB_TOKEN set (orchestrator merge in a terminal)`
    : undefined;
  let base: string | undefined;
  const baseOf = async () => (base ??= await remoteDefaultBranch(path, remote));
  return {
    where: `${remote} (git)`,
    open: async () => ({ base: await baseOf() }),
    describe: async () => undefined,
    setStatus: async () => undefined,
    blocker: async (head) => unreachable ?? mergeConflict(path, remote, await baseOf(), head),
    merged: async (head) => mergedInto(path, remote, await baseOf(), head),
    merge: async (head, message) => mergeIntoRemote(path, remote, await baseOf(), head, message),
    proposeRevert: async () => undefined,
  };
}
