/**
 * The task queue of seed 004 (docs/queue.md): the shapes every store and
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
  /** Who asked, on the task's channel (a WhatsApp number, a form's e-mail): replies go there. */
  requester?: string;
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
  /** What the requester is owed for it, stored in the same transaction: a crash cannot keep the decision and lose the reply. */
  reply?: Pick<Reply, 'channel' | 'recipient' | 'body'>;
}

export interface NewTask {
  title: string;
  description?: string;
  source?: TaskSource;
  requester?: string;
  layer?: string;
  runId?: string;
  specId?: string;
}

export interface TaskFilter {
  status?: TaskStatus;
  source?: string;
  /** The last task of the page before (keyset): `created_at, id` after it. */
  after?: { createdAt: string; id: string };
  limit?: number;
}

/** What changed, for hosts that show the queue live (the portal, the sidebar): re-read the task. */
export interface QueueChange {
  /** The task; '' when the store only knows that something changed (the SQLite file was written). */
  taskId: string;
  kind: 'task' | 'claim' | 'message' | 'artifact' | 'decision' | 'lease' | 'reply';
  /** The service instance it happened in (one process): it heard it already, others have not. */
  origin?: string;
}

/** A message owed to a task's requester on its channel (a decision, the claimer's message): kept until sent. */
export interface Reply {
  id: string;
  taskId: string;
  /** The task's source: `whatsapp` (Twilio's Messages API). */
  channel: string;
  recipient: string;
  body: string;
  createdAt: string;
  attempts: number;
  /** When it is due (again): a failed send waits longer each time. */
  nextAt: string;
  lastError?: string;
  sentAt?: string;
}

/** Who may do what on the portal: admins manage accounts, supervisors (and admins) decide, agents claim over MCP. */
export const ROLES = ['admin', 'supervisor', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export interface Account {
  name: string;
  role: Role;
  /** bcrypt hash; absent for an account that signs in another way (an agent's token). */
  passwordHash?: string;
  /** Whether an MCP token is issued (its hash never leaves the store). */
  hasToken: boolean;
  /** Lower-case; an OpenID Connect sign-in with this email, verified by the provider, is this account. */
  email?: string;
  createdAt: string;
}

/** A signed-in browser of the portal, shared by every `serve` process on the queue. */
export interface PortalSession {
  /** SHA-256 (hex) of the session id; the id itself is only in the browser's cookie. */
  idHash: string;
  name: string;
  role: Role;
  /** The token every state-changing request must echo (X-CSRF-Token). */
  csrf: string;
  createdAt: string;
  lastSeen: string;
}

/** An OpenID Connect sign-in under way: what its callback must match (src/portal/oidc.ts). */
export interface PendingSignIn {
  /** SHA-256 (hex) of the `state` sent to the provider. */
  stateHash: string;
  /** The PKCE code verifier and the nonce, checked against the provider's answer. */
  verifier: string;
  nonce: string;
  /** SHA-256 (hex) of the cookie of the browser that started it. */
  browserHash: string;
  createdAt: string;
}

export interface AccountUpdate {
  name: string;
  role: Role;
  passwordHash?: string;
  email?: string | null;
}

/** One key's sign-in attempts in its current window (src/portal/rateLimit.ts). */
export interface SignInCount {
  key: string;
  count: number;
  windowStart: string;
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
  /** Tasks in queue order (created, then id); a page: only those after `after`, at most `limit`. */
  listTasks(filter?: TaskFilter): Promise<Task[]>;
  /** How many tasks have each status (only statuses some task has), of one source when given. */
  countTasks(filter?: { source?: string }): Promise<Partial<Record<TaskStatus, number>>>;

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
   * lapsed, or it is `takeOverFrom`: a holder whose process is gone). Of concurrent reviewers exactly one gets true.
   */
  holdDecision(artifactId: string, holder: string, now: Date, holdSec: number, takeOverFrom?: string): Promise<boolean>;
  /** Who holds the decision on an undecided artifact now (lapsed or not), if anyone. */
  decisionHolder(artifactId: string): Promise<string | undefined>;
  /**
   * Records the decision and its effect on the task (status, the claimer's renewed lease, a
   * message to the thread) in one transaction, only while `holder` still holds the artifact.
   */
  recordDecision(artifactId: string, holder: string, record: DecisionRecord): Promise<boolean>;
  /** Gives a hold up without a decision (the work under it failed before anything was decided). */
  releaseDecision(artifactId: string, holder: string): Promise<void>;

  addMessage(message: Omit<Message, 'id'>): Promise<Message>;
  listMessages(taskId: string): Promise<Message[]>;

  /**
   * A task from a channel's delivery, stored once per delivery id: a redelivery returns the task
   * the first one created (`duplicate: true`) and creates nothing.
   */
  createDeliveredTask(deliveryId: string, task: NewTask, now: Date): Promise<{ task: Task; duplicate: boolean }>;

  /** Creates the account, or changes its role and password hash (kept when absent) and email (kept when undefined, removed when null); another role revokes its MCP token in the same step. */
  putAccount(account: AccountUpdate, now: Date): Promise<Account>;
  getAccount(name: string): Promise<Account | undefined>;
  /** The account with this (lower-case) email. */
  accountByEmail(email: string): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;
  deleteAccount(name: string): Promise<boolean>;
  /** Sets (or with null revokes) the account's MCP token hash; false when there is no such account. */
  setAccountToken(name: string, tokenHash: string | null): Promise<boolean>;
  /** The account whose MCP token hashes to `tokenHash`. */
  accountByToken(tokenHash: string): Promise<Account | undefined>;

  addSession(session: PortalSession): Promise<void>;
  getSession(idHash: string): Promise<PortalSession | undefined>;
  /** Moves the session's last-seen time (it stays signed in while used). */
  touchSession(idHash: string, now: Date): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of the account (deleted, its role or password changed, its token revoked). */
  deleteSessionsOf(name: string): Promise<void>;
  /** Removes the sessions idle since before `cutoff`. */
  deleteIdleSessions(cutoff: Date): Promise<void>;

  /** Keeps a sign-in under way; drops those started before `staleBefore`, and the oldest beyond `max`. */
  addPendingSignIn(pending: PendingSignIn, staleBefore: Date, max: number): Promise<void>;
  /** Removes and returns the sign-in under way with this state (one caller gets it: a callback is used once). */
  takePendingSignIn(stateHash: string): Promise<PendingSignIn | undefined>;

  /**
   * Counts one sign-in attempt against `key`, before any secret is checked, in one atomic step
   * whatever the number of processes: its count in the window that started at `windowStart` (a
   * window older than `windowSec` starts again at 1; such stale keys are dropped on the way).
   */
  countSignInAttempt(key: string, now: Date, windowSec: number): Promise<SignInCount>;
  /** The current counts of `keys` (a key never tried, or dropped, is absent). */
  signInAttempts(keys: string[]): Promise<SignInCount[]>;
  /** After a success: forgets `forget` (the account's name) and takes one attempt back from each of `refund` (the address). */
  signInSucceeded(forget: string[], refund: string[]): Promise<void>;

  addReply(reply: Pick<Reply, 'taskId' | 'channel' | 'recipient' | 'body'>, now: Date): Promise<Reply>;
  listReplies(taskId: string): Promise<Reply[]>;
  /**
   * Takes up to `limit` unsent replies that are due, for `holdSec` (their `nextAt` moves on): of
   * senders in several processes, each reply goes to one.
   */
  takeDueReplies(now: Date, holdSec: number, limit: number): Promise<Reply[]>;
  replySent(id: string, now: Date): Promise<void>;
  /** A failed send: the error kept and shown, tried again at `nextAt`. */
  replyFailed(id: string, error: string, nextAt: Date): Promise<void>;

  /** Tells every other process on this queue about `change` (PostgreSQL: NOTIFY; the embedded file: nobody else listens). */
  announce(change: QueueChange): Promise<void>;
  /** The embedded file: tells `listener` once if the database file vanishes or is replaced under this process (PostgreSQL has no such file). */
  onLost?(listener: (error: Error) => void): () => void;
  /** Hears the changes every process announces (PostgreSQL: LISTEN on a connection of its own); returns the stop. */
  watch(listener: (change: QueueChange) => void): Promise<() => Promise<void>>;
}

/** A task with its artifacts, thread and replies (QueueService.detail). */
export interface TaskDetail extends Task {
  artifacts: Artifact[];
  messages: Message[];
  /** What was (or is still to be) sent back to the requester on the task's channel. */
  replies: Reply[];
}

/** A human's decision on an artifact, and what it did (QueueService.review). */
export interface ReviewOutcome {
  task: Task;
  artifact: Artifact;
  /** Files written when an approved code/diff artifact applied and validated. */
  files: string[];
  /** Why an approval could not land (nothing was written); the claimer is told in the thread. */
  refusal?: string;
}

export interface ReviewRequest {
  taskId: string;
  /** The artifact the reviewer saw; refused when another is the one awaiting review by now. */
  artifactId?: string;
  verdict: 'approved' | 'rejected';
  /** The human's name, recorded with the decision. */
  reviewer: string;
  comment?: string;
}
