/**
 * The one builder of a policy for work a run confines, an agent's turn as much as a project's
 * command (docs/security.md "The sandbox"): what it may write, what it reads besides the system,
 * what it must not see, its private home and temp folder, its network. A worktree run links the
 * `worktree.link` folders of the user's checkout into the worktree: those that exist are bound
 * read-only, so the links lead somewhere; one the checkout lacks is not bound at all.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxPolicy } from './types';

export interface PolicyPlace extends Omit<SandboxPolicy, 'cwd' | 'readOnly'> {
  /** Read-only besides the linked folders (an agent's git directory, the repository around a workspace). */
  readOnly?: readonly string[];
  /** The user's checkout and its `worktree.link` folders (relative to it), when the work is in a worktree. */
  linked?: { checkout: string; links: readonly string[] };
}

/** The policy of work done at `place`; its cwd is given when it starts. */
export function sandboxPolicy(place: PolicyPlace): Omit<SandboxPolicy, 'cwd'> & { readOnly: readonly string[] } {
  const { linked, readOnly = [], ...rest } = place;
  return { ...rest, readOnly: [...readOnly, ...(linked ? linkedFolders(linked.checkout, linked.links) : [])] };
}

/** The `worktree.link` folders of the checkout that exist (the worktree's links lead there). */
function linkedFolders(checkout: string, links: readonly string[]): string[] {
  return links.map((link) => join(checkout, link)).filter((path) => existsSync(path));
}
