// `feature` in a workspace of repositories (issue 73): the set as one run, one status per member; which commands are the set's.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunOptions } from '../core/api';
import type { Returns } from '../core/engine';
import { engine } from '../core/engineBundle';
import { type CliArgs, UsageError } from './args';
import { combinedLines } from './combinedOutput';
import { out, outJson, visibleLine } from './terminal';

type SetSummary = Returns<'runChangeSet'>;

const MARKS: Record<string, string> = { completed: '✓', 'spec-saved': '…', 'not-run': '-' };

/** 0 when the set completed or waits for its approval; 1 when a member stopped it (its run, or its checks on the combined heads). */
export function printChangeSetRun(set: SetSummary, json: boolean): number {
  const code = set.status === 'completed' || set.status === 'spec-saved' ? 0 : 1;
  if (json) {
    outJson({ set });
    return code;
  }
  const spent = `$${set.costUsd.toFixed(2)} of the set's $${set.budgetUsd.toFixed(2)}`;
  out(`change-set ${visibleLine(set.setId)}: ${set.status} (${spent}), producers first\n`);
  out(`  spec: ${visibleLine(set.specPath)}; branch ${visibleLine(set.branch)} in each member\n`);
  for (const member of set.members) {
    const linked = member.linked.map((l) => `${l.producer} linked via ${l.via}`).join(', ');
    const files = member.filesChanged.length ? `, ${member.filesChanged.length} file(s) changed` : '';
    out(
      `  ${member.reason ? '✗' : (MARKS[member.status] ?? '✗')} ${visibleLine(member.name)}: ${member.status}, $${member.costUsd.toFixed(2)}${files}${linked ? ` (${visibleLine(linked)})` : ''}\n`,
    );
    if (member.reason) out(`      ${visibleLine(member.reason)}\n`);
    for (const line of (member.report ?? '')
      .split('\n')
      .filter((l) => /fail|REQ-|✗/i.test(l))
      .slice(0, 8))
      out(`      ${visibleLine(line.trim())}\n`);
  }
  if (set.combined)
    out(`  on the combined heads: ${set.combined.passed ? 'passed' : 'failed'}\n${combinedLines(set.combined)}`);
  if (set.status === 'spec-saved')
    out(`approve the set (every member's part) with: orchestrator approve ${visibleLine(set.setId)}\n`);
  return code;
}

/** `feature` or `approve <setId>` in a workspace's folder: the change-set's run; undefined for any other command or folder. */
export async function changeSetRun(args: CliArgs, options: RunOptions): Promise<Returns<'runChangeSet'> | undefined> {
  if (args.command !== 'feature' && args.command !== 'approve') return undefined;
  if (args.dryRun || !(await engine.isChangeSetRoot(options.workspace))) return undefined;
  // Its members run in place, here: their producers' changed heads are linked into their checkouts.
  const elsewhere = args.pool ? '--pool' : args.worktree ? '--worktree' : undefined;
  if (elsewhere)
    throw new UsageError(
      `a change-set runs its members in place on this machine: ${elsewhere} is not for a change-set yet`,
    );
  if (args.command === 'feature') return engine.runChangeSet(args.positional!, options);
  const saved = existsSync(join(options.workspace, '.claude', 'changesets', args.positional!, 'set.json'));
  return saved ? engine.approveChangeSet(args.positional!, options) : undefined;
}
