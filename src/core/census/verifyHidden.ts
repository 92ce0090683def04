/**
 * What verification runs a command with and shows of it: the sandbox a run's validate command gets
 * (verifyConfinement.ts), the values of the committed deny-listed files masked wherever the command
 * prints them (its output becomes a comment in the config, which the agents read), and a line
 * naming each file it missed that only the user's checkout has, and why (process/missedFiles.ts).
 */
import { missedFileLines, type CommandSandbox } from '../process';
import { DenyList, whyNotCopied } from '../project/config';
import { redactSecrets } from '../text/secrets';
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

/** The output as verification shows it: masked, with the files it missed named. */
export function shownOutput(output: string, cwd: string, place: Confined): string {
  const notes = place.copy
    ? missedFileLines(output, { cwd, ...place.copy }, (path) => whyNotCopied(deny, path))
    : '';
  return redactSecrets(output + notes, place.secrets ?? []).text;
}
