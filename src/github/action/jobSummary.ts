/**
 * The job's summary ($GITHUB_STEP_SUMMARY, issue 48): what the job did for the issue, the run and
 * its spec, the pull request, the cost and the cap, and once the run completed its traceability
 * matrix with the proof columns, as the pull request's body shows them (comments.ts). Names from a
 * payload or a model are code spans or table cells, never markup.
 */
import type { EngineEvent } from '../../core/events';
import { matrixLines } from '../comments';
import { whatTheRunDid } from '../runFacts';
import type { IssueLink } from '../store';

/** What a job ends with (action.yml's `status` output). */
export type JobStatus = 'awaiting-approval' | 'running' | 'completed' | 'stopped' | 'refused' | 'ignored';

const code = (text: string) => `\`${text.replace(/[`\r\n]/g, ' ').slice(0, 200)}\``;

export function jobSummary(input: {
  issue?: number;
  status: JobStatus;
  why: string;
  link?: IssueLink;
  journal?: readonly EngineEvent[];
  budget?: string;
}): string {
  const { link } = input;
  const lines = [
    `### Orchestrator${input.issue ? ` · issue #${input.issue}` : ''}: ${input.status}`,
    '',
    input.why,
    '',
  ];
  if (link) {
    lines.push(`- Run ${code(link.runId)}${link.specId ? `, spec ${code(link.specId)}` : ''} (${link.status})`);
    if (link.pull) lines.push(`- Pull request #${link.pull.number}: ${link.pull.url}`);
    else if (link.specCommentUrl) lines.push(`- Spec comment: ${link.specCommentUrl}`);
  }
  if (input.budget) lines.push(`- ${input.budget}`);
  const { matrix } = whatTheRunDid(input.journal ?? []);
  if (matrix && link?.status === 'completed')
    lines.push(
      '',
      `#### ${code(matrix.specId)}: ${matrix.title.replace(/[\r\n#<>]/g, ' ').slice(0, 200)}`,
      '',
      ...matrixLines(matrix),
    );
  return lines.join('\n');
}
