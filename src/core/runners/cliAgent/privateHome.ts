/**
 * A CLI agent's private home (issue 36, part 2): `HOME` for the agent and everything it starts,
 * one folder per run and agent beside its worktree (`<worktree>.home`, in the run's folder of
 * agents: outside any checkout, never where `git clean` reaches, gone with the run's agents).
 * It holds only that CLI's own sign-in, copied from the user's home at every attempt (a sign-in
 * renewed since is taken), and the CLI's own state: its sessions, which a resume finds there
 * because the folder is the same for every attempt of the agent. The user's ~/.ssh, ~/.aws,
 * ~/.config/gh, ~/.netrc, shell start-up files and other CLIs' credentials are never copied.
 * Copies, not links: a link would lead out of the sandbox, and a CLI renewing its token would
 * write through it into the user's file.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface PrivateHome {
  /** HOME inside: the CLI's sign-in and state. */
  home: string;
  /** TMPDIR inside. */
  tmp: string;
}

/** A CLI's sign-in as files of the user's home; `from` is the orchestrator's environment (where the CLI's own variables may move them). */
export type SignIn = (from: NodeJS.ProcessEnv) => SignInFile[];

export interface SignInFile {
  /** The user's file (absolute). */
  from: string;
  /** Where it goes, relative to the private home. */
  to: string;
  /** A JSON file of which only these top-level keys are the sign-in (Claude Code's ~/.claude.json): merged into the private copy. */
  keys?: readonly string[];
}

/** The user's home as the orchestrator sees it. */
export const userHomeOf = (from: NodeJS.ProcessEnv): string => from.HOME || homedir();

/**
 * What of the user's home holds keys, tokens or what a shell runs at start: never in a private
 * home, and named to a CLI's own deny rules too (the home itself cannot be: run and agent
 * worktrees live in ~/.cache by default).
 */
const HOME_SECRETS = [
  '.ssh',
  '.aws',
  '.config/gh',
  '.netrc',
  '.git-credentials',
  '.gnupg',
  '.docker',
  '.kube',
  '.npmrc',
  '.config/gcloud',
  '.azure',
  '.bashrc',
  '.bash_profile',
  '.profile',
  '.zshrc',
  '.zprofile',
];

export const homeSecretsOf = (from: NodeJS.ProcessEnv): string[] =>
  HOME_SECRETS.map((name) => join(userHomeOf(from), name));

export const privateHomeOf = (root: string): PrivateHome => ({ home: `${root}.home`, tmp: `${root}.tmp` });

/** Makes the private home and temp folder (owner only) and copies the CLI's sign-in into it. */
export function preparePrivateHome(
  root: string,
  signIn: SignIn | undefined,
  from: NodeJS.ProcessEnv = process.env,
): PrivateHome {
  const place = privateHomeOf(root);
  for (const dir of [place.home, place.tmp]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }
  for (const file of signIn?.(from) ?? []) copySignIn(file, place.home);
  return place;
}

function copySignIn(file: SignInFile, home: string): void {
  if (!isFile(file.from)) return;
  const to = join(home, file.to);
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  if (!file.keys) {
    copyFileSync(file.from, to);
    chmodSync(to, 0o600);
    return;
  }
  const user = readJson(file.from);
  if (!user) return;
  const mine = (existsSync(to) ? readJson(to) : undefined) ?? {};
  for (const key of file.keys) if (key in user) mine[key] = user[key];
  writeFileSync(to, `${JSON.stringify(mine, null, 2)}\n`, { mode: 0o600 });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
