// The commands that list or tidy what the workspace holds (runs, runners, gc, rollback): split from main.ts.
import { engine } from '../core/engineBundle';
import { memberMark, memberWords, setSpendWords, setStatusWords } from '../shared/changeSetView';
import type { CliArgs } from './args';
import { printTable } from './output';
import { poolRunsCommand } from './poolCommands';
import { runnersStatsCommand } from './runnersStats';
import { sandboxLines } from './sandboxOutput';
import { err, out, outJson, visibleLine } from './terminal';

/** `runners` (each CLI agent: installed, signed in; the sandbox), or `runners stats`. */
export async function runnersCommand(workspace: string, args: CliArgs): Promise<void> {
  if (args.subcommand === 'stats') {
    await runnersStatsCommand(workspace, args);
    return;
  }
  // The CLI runs in a terminal the user opened here: the workspace is trusted.
  const agents = await engine.cliAgents(workspace, { trusted: true });
  const rows = args.json
    ? agents
    : agents.map((a) => ({
        runner: a.runner,
        installed: a.installed ? `${a.version ?? 'yes'}${a.tooOld ? ' (too old)' : ''}` : 'no',
        'signed in': a.signedIn === 'unknown' ? 'unknown' : a.signedIn ? `yes (${a.signedInBy})` : 'no',
        'to do': a.hint ?? '',
      }));
  printTable(args.json, rows as object[], (args.json ? [] : ['runner', 'installed', 'signed in', 'to do']) as never[]);
  if (!args.json) out(sandboxLines(await engine.sandboxStatus()));
}

/** `runs`: this workspace's runs, or the pool's with --pool. */
export async function runsCommand(workspace: string, args: CliArgs, signal: AbortSignal): Promise<void> {
  if (args.pool) {
    await poolRunsCommand(workspace, args, signal);
    return;
  }
  const runs = await engine.listRuns(workspace);
  // An unreadable journal is listed with why, not hidden.
  if (args.json) {
    outJson(runs);
    return;
  }
  const rows = runs.map((run) => {
    const saved = run.gate ? `${run.status} (at phase ${run.gate}'s gate)` : run.status;
    const status = run.worktree
      ? `${saved} (worktree ${run.worktree.outcome}${run.worktree.branch ? ` ${run.worktree.branch}` : ''})`
      : saved;
    const github = run.github ? githubRefs(run.github) : '';
    return run.problem
      ? { ...run, status, github, request: `unreadable journal: ${run.problem}` }
      : { ...run, status, github };
  });
  // A run started from a GitHub issue (issue 39): its issue and pull request, in a column of their own.
  printTable(false, rows, [
    'runId',
    'kind',
    'status',
    ...(runs.some((run) => run.github) ? (['github'] as const) : []),
    'request',
  ]);
  // In a workspace of repositories its members' runs are in their own folders: each set shows as one run (issue 73).
  // A mistake in its workspace file is said, the runs listed all the same (check workspace names its line).
  const sets = await engine.changeSets(workspace).catch((error: unknown) => {
    err(
      `orchestrator: the change-sets could not be read: ${visibleLine(error instanceof Error ? error.message : String(error))}\n`,
    );
    return [];
  });
  for (const set of sets) {
    out(`change-set ${visibleLine(set.setId)}: ${visibleLine(setStatusWords(set))}, ${setSpendWords(set)}\n`);
    for (const [i, m] of set.members.entries())
      out(
        `  ${i + 1}. ${memberMark(m)} ${visibleLine(memberWords(m))}${m.reason ? `: ${visibleLine(m.reason)}` : ''}\n`,
      );
  }
}

/** `gc`: old checkpoint refs pruned, runs killed before they finished discarded. */
export async function gcCommand(workspace: string, args: CliArgs): Promise<void> {
  const result = await engine.gc(workspace);
  if (args.json) outJson(result);
  else {
    result.pruned.forEach((ref) => out(`pruned ${ref}\n`));
    result.discardedRuns?.forEach((runId) =>
      out(`discarded run ${runId} (killed before it finished; never resumed)\n`),
    );
    result.removedWorktrees?.forEach((path) => out(`removed worktree ${path}\n`));
    result.deletedRefs?.forEach((ref) => out(`deleted ${ref}\n`));
    out(`kept ${result.kept.length} checkpoint ref(s), pruned ${result.pruned.length}\n`);
  }
}

/** `rollback <run>`: the files the run changed, as they were before it. */
export async function rollbackCommand(workspace: string, args: CliArgs): Promise<void> {
  const report = await engine.rollback(workspace, args.positional!);
  if (args.json) outJson(report);
  else {
    report.restored.forEach((file) => out(`restored ${file}\n`));
    report.removed.forEach((file) => out(`removed  ${file}\n`));
  }
}

/** `issue #7, PR #12`: a run started from a GitHub issue, as `runs` lists it. */
function githubRefs(github: { issue: string; pull?: string }): string {
  const number = (url: string, kind: string) => new RegExp(`/${kind}/(\\d+)`).exec(url)?.[1] ?? '?';
  return `issue #${number(github.issue, 'issues')}${github.pull ? `, PR #${number(github.pull, 'pull')}` : ''}`;
}
