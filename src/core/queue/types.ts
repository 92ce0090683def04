/**
 * The task queue of seed 004 (DESIGN.md, "The task queue over MCP"): the shapes every store and
 * every host (MCP server, CLI, sidebar) share. A store only keeps and hands out rows atomically;
 * applying an approved artifact (guard + validation) is the queue service's job, not the store's.
 */

export const TASK_STATUSES = [
  'pending',
  'claimed',
  'in_progress',
  'review_pending',
  'approved',
  'rejected',
  'done',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const ARTIFACT_TYPES = ['code', 'diff', 'text', 'screenshot'] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

/** Where a task came from: the sidebar, `orchestrator task add`, MCP `create_task`, or a spec's layer with `runner: external`. */
export type TaskSource = 'sidebar' | 'cli' | 'mcp' | 'spec' | (string & {});

export interface Task {
  id: string;
  title: string;
  description: string;
  source: TaskSource;
  status: TaskStatus;
  /** For a spec's external layer: the layer whose `owns` an approved artifact must stay inside. */
  layer?: string;
  /** For a spec's external layer: the run and spec the task belongs to. */
  runId?: string;
  specId?: string;
  claimer?: string;
  /** ISO time the claim lapses unless the claimer submits work or sends a message. */
  leaseUntil?: string;
  createdAt: string;
  updatedAt: string;
}

export interface Artifact {
  id: string;
  taskId: string;
  type: ArtifactType;
  /** The file's new text (code), a unified diff (diff), prose (text), or base64 PNG (screenshot). */
  content: string;
  /** The workspace-relative file a `code` artifact writes. */
  path?: string;
  submittedBy: string;
  submittedAt: string;
  decision?: ArtifactDecision;
}

export interface ArtifactDecision {
  verdict: 'approved' | 'rejected';
  comment?: string;
  /** Who decided (the human reviewer's name or the authenticated client). */
  by: string;
  at: string;
  /** An approval whose apply or validation failed says why here; nothing was written. */
  refusal?: string;
}

export interface Message {
  id: string;
  taskId: string;
  author: string;
  text: string;
  at: string;
}

/** What a decision records with it, atomically. */
export interface DecisionRecord {
  decision: ArtifactDecision;
  /** The task's status after it (it leaves `review_pending`). */
  taskStatus: TaskStatus;
  /** A task handed back to its claimer gets a fresh lease of this many seconds. */
  leaseSec?: number;
  /** A line for the task's thread (a rejection's comment, why an approval did not land). */
  message?: Omit<Message, 'id' | 'taskId'>;
}

export interface NewTask {
  title: string;
  description?: string;
  source?: TaskSource;
  layer?: string;
  runId?: string;
  specId?: string;
}

/**
 * Persistence for the queue. Every method is atomic on its own; `claim` in particular must let
 * exactly one of any number of concurrent callers (threads, processes, machines) win.
 */
export interface QueueStore {
  /** Creates the schema or migrates it; safe to call on every start. */
  open(): Promise<void>;
  close(): Promise<void>;

  createTask(task: NewTask, now: Date): Promise<Task>;
  getTask(id: string): Promise<Task | undefined>;
  listTasks(filter?: { status?: TaskStatus }): Promise<Task[]>;

  /** Moves a pending task to `claimed` for `claimer` until `now + leaseSec`; undefined when someone else won. */
  claim(taskId: string, claimer: string, now: Date, leaseSec: number): Promise<Task | undefined>;
  /** Extends the lease of the task's current claimer (work or a message arrived). */
  renewLease(taskId: string, claimer: string, now: Date, leaseSec: number): Promise<boolean>;
  /** Returns every claimed/in_progress task whose lease has lapsed to `pending`; the ids it released. */
  releaseExpired(now: Date): Promise<string[]>;
  /** Compare-and-set on status: false when the task was not in `from` any more. */
  setStatus(taskId: string, from: readonly TaskStatus[], to: TaskStatus, now: Date): Promise<boolean>;

  /**
   * The claimer's work, in one step: stored only while `submittedBy` holds the task (claimed or
   * in progress), which moves to `review_pending`. Undefined when it does not hold it (any more).
   */
  submitArtifact(artifact: Omit<Artifact, 'id' | 'decision'>, now: Date): Promise<Artifact | undefined>;
  listArtifacts(taskId: string): Promise<Artifact[]>;
  /**
   * Takes the decision on an artifact for `holder` until `now + holdSec`: a compare-and-set that
   * wins only on an undecided artifact, of a task in review, that nobody holds (or whose hold
   * lapsed). Of concurrent reviewers exactly one gets true.
   */
  holdDecision(artifactId: string, holder: string, now: Date, holdSec: number): Promise<boolean>;
  /**
   * Records the decision and its effect on the task (status, the claimer's renewed lease, a
   * message to the thread) in one transaction, only while `holder` still holds the artifact.
   */
  recordDecision(artifactId: string, holder: string, record: DecisionRecord): Promise<boolean>;
  /** Gives a hold up without a decision (the work under it failed before anything was decided). */
  releaseDecision(artifactId: string, holder: string): Promise<void>;

  addMessage(message: Omit<Message, 'id'>): Promise<Message>;
  listMessages(taskId: string): Promise<Message[]>;
}
