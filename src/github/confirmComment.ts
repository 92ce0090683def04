/**
 * A confirmation asked on the issue (issue 44): a comment naming what the agent is about to do
 * (its kind, the agent, the files, the lines deleted), answered `/allow` or `/deny` by a
 * collaborator with write access, and edited in place once decided. Paths come from an agent:
 * each is shown in a code span (no link, image or mention from them ever goes live).
 */
import type { Asked } from '../core/questions';
import { CONFIRMATION_WORDS } from '../core/text/confirmationWords';
import { note } from './comments';

/** What was asked (questions.ts), kept on the run's link so a restarted serve asks the same question in the same comment. */
export type AskedConfirmation = Asked & {
  /** When it was first asked (ISO): limits.confirmationWaitSec counts from here, restarts included. */
  since: string;
  commentId?: number;
  commentUrl?: string;
  /** Asked by a run that was set aside on it (a job of the GitHub Action): the answer, in a later job, continues the run. */
  parked?: { waitSec: number };
  /** The run's question (`question.asked`): what the answer, given in a later job, answers (engine.answerQuestion). */
  questionId?: string;
};

export type ConfirmationState =
  | { state: 'waiting'; waitSec: number }
  | { state: 'decided'; allowed: boolean; by: string }
  | { state: 'expired'; waitSec: number }
  | { state: 'cancelled' };

const MAX_PATHS = 30;
const code = (text: string) => `\`${text.replace(/[`\r\n]/g, ' ').slice(0, 300)}\``;

/** Marks the comment of one asking: serve killed after posting it, before remembering it, finds it again by this. */
export const confirmationMarker = (runId: string, since: string) =>
  `<!-- orchestrator:confirmation ${runId} ${since} -->`;

export function confirmationComment(runId: string, asked: AskedConfirmation, state: ConfirmationState): string {
  const lines = [
    `### Confirmation asked: ${CONFIRMATION_WORDS[asked.kind]}`,
    '',
    `The ${code(asked.agent)} agent of run ${code(runId)} will ${CONFIRMATION_WORDS[asked.kind]}${asked.lines !== undefined ? ` (${asked.lines} lines deleted)` : ''} in:`,
    '',
  ];
  lines.push(...asked.paths.slice(0, MAX_PATHS).map((path) => `- ${code(path)}`));
  if (asked.paths.length > MAX_PATHS) lines.push(`- … and ${asked.paths.length - MAX_PATHS} more`);
  lines.push('', statusLine(state), '', confirmationMarker(runId, asked.since));
  return note(runId, lines.join('\n'));
}

function statusLine(state: ConfirmationState): string {
  switch (state.state) {
    case 'waiting':
      return `The run is set aside until a collaborator with write access answers \`/allow\` or \`/deny\`: the answer continues it. Without an answer within ${hours(state.waitSec)} (\`limits.confirmationWaitSec\`) the run stops.`;
    case 'decided':
      return `${state.allowed ? 'Allowed' : 'Denied'} by @${state.by}.`;
    case 'expired':
      return `No answer within ${hours(state.waitSec)} (\`limits.confirmationWaitSec\`): the run stopped.`;
    case 'cancelled':
      return 'The run was cancelled: nothing to decide.';
  }
}

function hours(sec: number): string {
  return sec >= 3600 && sec % 3600 === 0 ? `${sec / 3600} h` : `${sec} s`;
}
