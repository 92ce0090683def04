// `check workspace` (issue 73): the change-set's members producers first and who uses whom, or init's proposal.
import type { Returns } from '../core/engine';
import { err, out, outJson, visibleLine, visibleText } from './terminal';

export function printChangeSetCheck(report: Returns<'checkChangeSet'>, json: boolean): number {
  if (json) {
    outJson(report);
    return 'workspace' in report ? 0 : 1;
  }
  if ('workspace' in report) {
    const { file, members, uses } = report.workspace;
    out(`${visibleLine(file)}: ${members.length} repositories, producers first\n`);
    members.forEach((m, i) => {
      const where = [m.path, m.github].filter(Boolean).join(', ');
      const note = m.path && !m.configured ? ' (no .claude/orchestrator.yaml: run orchestrator init there)' : '';
      out(`  ${i + 1}. ${visibleLine(m.name)}: ${visibleLine(where)}${note}\n`);
    });
    for (const use of uses) out(`  ${visibleLine(use.consumer)} uses ${visibleLine(use.producer)} via ${use.via}\n`);
    return 0;
  }
  err('no .claude/workspace.yaml here or in a folder above (docs/changesets.md)\n');
  if (report.proposal)
    err(
      `orchestrator init here would write this one, from this folder's ${report.proposal.members.length} repositories:\n${visibleText(report.proposal.text)}\n`,
    );
  return 1;
}
