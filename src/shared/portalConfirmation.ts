/**
 * A pooled run's confirmation as the portal's Specs page shows it (issue 44): what the agent is
 * about to do (questions.ts), since when. One shape for the server's answer and the page that reads it.
 */
import type { Asked } from '../core/questions';

export type PortalConfirmation = Asked & {
  runId: string;
  request: string;
  specId?: string;
  since: string;
  question: string;
};
