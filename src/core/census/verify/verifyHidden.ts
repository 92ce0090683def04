/**
 * What verification runs a command with and shows of it: the sandbox a run's validate command gets
 * (verifyConfinement.ts), the values of the committed deny-listed files masked wherever the command
 * prints them (its output becomes a comment in the config, which the agents read), and a line
 * naming each file it missed that only the user's checkout has, and why (process/missedFiles.ts).
 */
import { missedFiles, type CommandSandbox } from '../../process';
import { DenyList, whyNotCopied } from '../../project/config';
import { redactSecrets } from '../../text/secrets';
import type { VerifySandbox } from './verifySandbox';

export interface Confined {
  env?: Record<string, string>;
  sandbox?: CommandSandbox;
  secrets?: readonly string[];
  copy?: VerifySandbox['copy'];
}

/** A command's options from the verification's place. */
export function confined(place: VerifySandbox): Confined {
  return {
    env: place.env,
    secrets: place.secrets,
    ...(place.sandbox ? { sandbox: place.sandbox } : {}),
    ...(place.copy ? { copy: place.copy } : {}),
  };
}

const deny = new DenyList();

/** The output as verification shows it: the committed secrets' values masked. */
export function shownOutput(output: string, place: Confined): string {
  return redactSecrets(output, place.secrets ?? []).text;
}

/** What to do about the files the command missed that only the checkout has: which, and why they are not there. */
export function hiddenFileFix(output: string, cwd: string, place: Confined): string | undefined {
  const missed = place.copy ? missedFiles(output, { cwd, ...place.copy }) : [];
  if (missed.length === 0) return undefined;
  return `${missed.map((path) => `${path}: ${whyNotCopied(deny, path)}`).join('; ')} (init verifies on the repository's files, as a run's worktree holds them)`;
}
