/** `apply <runId> [--branch[=NAME]]` and `discard <runId>` (issue 22): what to do with a finished worktree run. */
import * as engine from '../core/engineBundle';
import type { CliArgs } from './args';

type Write = (text: string) => void;

export async function applyCommand(workspace: string, args: CliArgs, out: Write): Promise<void> {
  const runId = args.positional!;
  if (args.branch !== undefined) {
    const made = await engine.branchRun(workspace, runId, args.branch === true ? undefined : args.branch);
    if (args.json) out(`${JSON.stringify(made)}\n`);
    else out(`branch ${made.branch} at ${made.commit.slice(0, 12)} (your checkout is as it was)\n`);
    return;
  }
  const report = await engine.applyRun(workspace, runId);
  if (args.json) return out(`${JSON.stringify(report)}\n`);
  report.written.forEach((path) => out(`written  ${safeText(path)}\n`));
  report.merged.forEach((path) => out(`merged   ${safeText(path)} (with your edits)\n`));
  report.deleted.forEach((path) => out(`deleted  ${safeText(path)}\n`));
  out(`applied run ${runId}: ${report.written.length + report.merged.length + report.deleted.length} file(s); HEAD and the index untouched (undo with: orchestrator rollback ${runId})\n`);
}

export async function discardCommand(workspace: string, args: CliArgs, out: Write): Promise<void> {
  const result = await engine.discardRun(workspace, args.positional!);
  out(args.json ? `${JSON.stringify(result)}\n` : `discarded run ${args.positional!}: removed ${safeText(result.removed)}\n`);
}

/** Longest side shown per conflicting file; the rest is in the files themselves. */
const MAX_SHOWN = 4000;

/** Both sides of every conflict, so the user sees what the apply would have merged. */
export function describeConflicts(error: InstanceType<typeof engine.ApplyConflictError>): string {
  const parts = [`${error.message}\n`];
  for (const conflict of error.conflicts) {
    parts.push(`\n=== ${safeText(conflict.path)}: ${conflict.reason}\n`);
    if (conflict.merged !== undefined) parts.push(clip(conflict.merged));
    else {
      if (conflict.ours !== undefined) parts.push(`--- your checkout\n${clip(conflict.ours)}`);
      if (conflict.theirs !== undefined) parts.push(`+++ the run\n${clip(conflict.theirs)}`);
    }
  }
  return parts.join('');
}

function clip(text: string): string {
  const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}\n… (${text.length - MAX_SHOWN} more characters)\n` : text;
  return safeText(shown.endsWith('\n') ? shown : `${shown}\n`);
}

/** File content and paths come from the repository: no escape sequence reaches the terminal (tabs and newlines kept). */
function safeText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
