/**
 * A run's commands see the committed deny-listed files (a `*.pem` test key, `.env.test`: the deny
 * list keeps them from the model, not from the project's tests): a worktree made from a snapshot
 * (which leaves them out) gets them back (putBackCommitted). A failing command's output goes
 * back to the model in the retry. So the values of those files are masked by value in every project
 * command's output (known formats are masked anyway: text/secrets.ts), and a command that missed a
 * file only the user's checkout has (a worktree run's copy lacks it) says which and why.
 */
import { committedDenied, locateRepo, writeCommitted } from '../../git';
import { missedFileLines } from '../../process';
import { DenyList, whyNotCopied } from '../../project/config';
import { redactSecrets, secretValuesIn } from '../../text/secrets';
import type { RunContext } from './runContext';

/**
 * The checkout's committed deny-listed files written into a worktree made from a snapshot of it (a
 * run's, an attempt's) at `root`, its top level. Never an agent's worktree: the deny list keeps them from agents.
 */
export async function putBackCommitted(ctx: RunContext, root: string): Promise<void> {
  const { topLevel } = await locateRepo(ctx.home);
  writeCommitted(root, await committedDenied(topLevel, 'HEAD', new DenyList(ctx.config.privacy.deny)));
}

/** Each run's values, read once (the repository's committed files do not change under it). */
const byRun = new Map<string, Promise<string[]>>();
const MAX_RUNS = 64;

function committedSecrets(ctx: RunContext, deny: DenyList): Promise<string[]> {
  let known = byRun.get(ctx.runId);
  if (!known) {
    if (byRun.size >= MAX_RUNS) byRun.delete(byRun.keys().next().value!);
    known = locateRepo(ctx.home)
      .then(({ topLevel }) => committedDenied(topLevel, 'HEAD', deny))
      .then((files) => [...new Set(files.flatMap((file) => secretValuesIn(file.bytes.toString('utf8'))))])
      .catch(() => []);
    byRun.set(ctx.runId, known);
  }
  return known;
}

/** The output as the run keeps and shows it: the committed secrets masked, the files a worktree's copy lacks named. */
export async function shownCommandOutput(ctx: RunContext, output: string, cwd: string): Promise<string> {
  const deny = new DenyList(ctx.config.privacy.deny);
  const worktree = ctx.attempt?.worktree ?? ctx.state().worktree?.path;
  const notes = worktree
    ? missedFileLines(
        output,
        { cwd, root: worktree, checkout: (await locateRepo(ctx.home).catch(() => undefined))?.topLevel ?? ctx.home },
        (path) => whyNotCopied(deny, path),
      )
    : '';
  // The files first: the retry and the report lead with them.
  return redactSecrets(notes ? `${notes.trimStart()}\n${output}` : output, await committedSecrets(ctx, deny)).text;
}
