/**
 * What the portal's API answers (each route's answer in portalRoutes.ts): one shape for the server
 * that sends it and the page that reads it. Types only: the queue's and the engine's shapes as they
 * are, and what the portal adds to them.
 */
import type { GateSpec, PhaseGate } from '../core/engine';
import type { Account, ArtifactPreview, Role, TaskDetail } from '../core/queue';
import type { PoolBoard } from './poolBoard';
import type { ProofSummary } from '../core/text/proofWords';

export type { TaskPage, TaskSummary } from '../core/queue';
export type { Message, ReviewOutcome, Role, Task, TaskStatus } from '../core/queue';
export type { PoolBoard, PoolBoardRun } from './poolBoard';
export type { PortalConfirmation } from './portalConfirmation';

/** The signed-in account, and the CSRF token its every change carries. */
export interface Me {
  name: string;
  role: Role;
  csrf: string;
  /** A pool of workers shares the queue's database: the Pool page is shown. */
  pool: boolean;
}

/** What the sign-in page offers besides a password: the OpenID Connect button, when configured. */
export interface SignInOptions {
  oidc: { label: string; start: string } | null;
}

/** An account as the portal shows it: never its password's hash. */
export type PublicAccount = Omit<Account, 'passwordHash'>;

/** A task with its thread and artifacts; for the artifact awaiting review, what approving it would change. */
export type TaskView = TaskDetail & { preview?: { artifactId: string } & ArtifactPreview };

/** What `GET /api/pool` answers: no pool configured, the board, or why it cannot be read now. */
export type PoolPage =
  { configured: false } | { configured: true; board: PoolBoard } | { configured: true; error: string };

/** A pooled run's journal entry: its seq, time, type and one line of the catalogue's words. */
export interface JournalLine {
  seq: number;
  ts: string;
  type: string;
  text: string;
}

/** A criterion's proof on a run's page (docs/proof.md): its status, its first test (the proof agent's name, bounded) and its runs. */
export interface RunProofCriterion extends ProofSummary {
  criterion: string;
}

/** The run's proof: the count line (`Proof: 3 proven, 1 failing`) and each criterion. */
export interface RunProof {
  line: string;
  criteria: RunProofCriterion[];
}

/**
 * One page of a pooled run's journal: its entries in order; `earlier`, the `before` of the previous
 * page when there is one; `proof`, once the run has criteria; `attempts`, a line per layer tried in
 * attempts (`backend: 3 attempts, kept 2 — fewest retries (0, attempt 1: 1)`), shown as text.
 */
export interface JournalPage {
  runId: string;
  events: JournalLine[];
  earlier?: number;
  proof?: RunProof;
  attempts?: string[];
}

/** A run waiting at a phase's gate as the page shows it; `pooled`: in the pool's database, for any free worker once approved. */
export type PortalGate = Omit<PhaseGate, 'state'> & { state: PhaseGate['state'] | 'pooled'; journalEnd?: number };

/**
 * A spec waiting at the approval gate: the workspace's own, a pooled run's (`pool`: the run waiting
 * on it and its journal's end when read: an approval holds only while it still is), or a GitHub
 * issue's run (`github`: decided here or by a comment there, the same gate).
 */
export type PortalSpec = GateSpec & {
  pool?: { runId: string; journalEnd: number };
  github?: { issue: number; issueUrl: string; commentUrl?: string };
};
