/**
 * The audit agent's answer is checked against the workspace before it is accepted: every
 * finding that names a file must name a file inside the audit target (as the guard resolves
 * it: no escape, no symlink out), and its line must exist. A wrong reference goes back to
 * the agent as an is_error result naming each bad finding, so it corrects its answer.
 */
import { readFile, stat } from 'node:fs/promises';
import { type AuditReport, countLines, type FinalCheck, WorkspaceGuard } from '../../agents';

/** At most this many problems are listed; the rest are counted. */
const MAX_LISTED = 10;

export function isInsideTarget(path: string, target: string): boolean {
  return target === '.' || path === target || path.startsWith(`${target}/`);
}

export function checkFindings(workspace: string, target: string): FinalCheck<AuditReport> {
  return async (report) => {
    const guard = await WorkspaceGuard.create(workspace, []);
    const lines = new Map<string, Promise<number | string>>();
    const linesOf = (rel: string, abs: string) => {
      let count = lines.get(rel);
      if (!count) lines.set(rel, (count = lineCount(rel, abs)));
      return count;
    };
    const problems: string[] = [];
    for (const [index, finding] of report.findings.entries()) {
      if (finding.file === undefined) {
        if (finding.line !== undefined) problems.push(`findings[${index}] has a line but no file`);
        continue;
      }
      const verdict = await guard.checkRead(finding.file);
      if (!verdict.ok) {
        problems.push(`findings[${index}].file ${JSON.stringify(finding.file)}: ${verdict.reason}`);
        continue;
      }
      if (!isInsideTarget(verdict.rel, target)) {
        problems.push(
          `findings[${index}].file ${JSON.stringify(finding.file)} is outside the audit target ${JSON.stringify(target)}`,
        );
        continue;
      }
      const count = await linesOf(verdict.rel, verdict.abs);
      if (typeof count === 'string') problems.push(`findings[${index}].file ${JSON.stringify(finding.file)}: ${count}`);
      else if (finding.line !== undefined && finding.line > count) {
        problems.push(`findings[${index}].line ${finding.line} is past the end of ${verdict.rel} (${count} lines)`);
      }
    }
    if (problems.length === 0) return undefined;
    const listed = problems.slice(0, MAX_LISTED).map((p) => `- ${p}`);
    if (problems.length > MAX_LISTED) listed.push(`- … and ${problems.length - MAX_LISTED} more`);
    return `refused: ${problems.length} finding(s) cite a place that is not in the audit target:\n${listed.join('\n')}\nRead the files again, correct or drop these findings, and call submit_audit again with the whole list.`;
  };
}

/** Lines of a file, or why it cannot be cited. */
async function lineCount(rel: string, abs: string): Promise<number | string> {
  const info = await stat(abs).catch(() => undefined);
  if (!info) return 'no such file';
  if (!info.isFile()) return `${rel} is not a file`;
  return countLines(await readFile(abs, 'utf8'));
}
