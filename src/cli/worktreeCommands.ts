/** `apply <runId> [--branch[=NAME]]` and `discard <runId>` (issue 22): what to do with a finished worktree run. */
import { ApplyConflictError, engine } from '../core/engineBundle';
import type { CliArgs } from './args';
import { out, outJson } from './terminal';

export async function applyCommand(workspace: string, args: CliArgs): Promise<void> {
  const runId = args.positional!;
  if (args.branch !== undefined) {
    const made = await engine.branchRun(workspace, runId, args.branch === true ? undefined : args.branch);
    if (args.json) outJson(made);
    else out(`branch ${made.branch} at ${made.commit.slice(0, 12)} (your checkout is as it was)\n`);
    return;
  }
  const report = await engine.applyRun(workspace, runId);
  if (args.json) return outJson(report);
  report.written.forEach((path) => out(`written  ${path}\n`));
  report.merged.forEach((path) => out(`merged   ${path} (with your edits)\n`));
  report.deleted.forEach((path) => out(`deleted  ${path}\n`));
  out(
    `applied run ${runId}: ${report.written.length + report.merged.length + report.deleted.length} file(s); HEAD and the index untouched (undo with: orchestrator rollback ${runId})\n`,
  );
}

export async function discardCommand(workspace: string, args: CliArgs): Promise<void> {
  const result = await engine.discardRun(workspace, args.positional!);
  if (args.json) outJson(result);
  else out(`discarded run ${args.positional!}: removed ${result.removed}\n`);
}

/** Longest side shown per conflicting file; the rest is in the files themselves. */
const MAX_SHOWN = 4000;

/** Both sides of every conflict, so the user sees what the apply would have merged. */
export function describeConflicts(error: InstanceType<typeof ApplyConflictError>): string {
  const parts = [`${error.message}\n`];
  for (const conflict of error.conflicts) {
    parts.push(`\n=== ${conflict.path}: ${conflict.reason}\n`);
    if (conflict.merged !== undefined) parts.push(clip(conflict.merged));
    else {
      if (conflict.ours !== undefined) parts.push(`--- your checkout\n${clip(conflict.ours)}`);
      if (conflict.theirs !== undefined) parts.push(`+++ the run\n${clip(conflict.theirs)}`);
    }
  }
  return parts.join('');
}

function clip(text: string): string {
  const shown =
    text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}\n… (${text.length - MAX_SHOWN} more characters)\n` : text;
  return shown.endsWith('\n') ? shown : `${shown}\n`;
}
