/**
 * A pooled run's confirmation as the portal's Specs page shows it (issue 44): what the agent is
 * about to do, since when. One shape for the server's answer and the page that reads it.
 */
export interface PortalConfirmation {
  runId: string;
  request: string;
  specId?: string;
  since: string;
  kind: string;
  agent: string;
  paths: string[];
  lines?: number;
  question: string;
}
