/**
 * The one message protocol between the sidebar webview and the extension host.
 *
 * Both sides parse every incoming message with these schemas and drop (with a log line)
 * anything unknown or malformed: the webview is a browser context and must never be able to
 * drive the host with arbitrary data, and the host must not crash the UI with a bad state.
 *
 * Handshake: the webview posts `ready` once its script runs; the host posts nothing before
 * that, then answers with the full `state`, and re-sends the full state on every change
 * (the view model is small, and full states make hide/reload/window-reload trivially safe).
 *
 * The webview imports only this file (which re-exports the view model types). zod/mini keeps
 * both bundles small (see viewState.ts).
 */
import * as z from 'zod/mini';
import {
  attemptTarget,
  githubLinkSchema,
  initAcceptSchema,
  initCancelSchema,
  poolApplySchema,
  poolApproveSchema,
  poolShowSchema,
  poolStopSchema,
  viewStateSchema,
} from './viewState';
import { inEnglish } from '../core/text/zodEnglish';
import { LAYER_RUNNERS, RUNNER_ROLES } from '../core/text/runnerNames';

export * from './viewState';
export * from './recordText';
export * from '../core/text/runnerNames';

/** Commands the webview may ask the host to run; a closed list so it cannot run anything else. */
export const sidebarCommandSchema = z.enum([
  'newFeature',
  'newBugfix',
  'auditToTarget',
  'approveSpec',
  'openSpec',
  'resumeRun',
  'rollbackRun',
  'showChanges',
  'setApiKey',
  'initWorkspace',
  'syncRegistry',
  'showLog',
  // A finished run in its own worktree (issue 22).
  'applyRun',
  'branchRun',
  'discardRun',
]);
export type SidebarCommand = z.infer<typeof sidebarCommandSchema>;

const id = z.string().check(z.minLength(1), z.maxLength(300));
/** A workflow phase whose human gate is answered (issue 29), as workflow files name phases; absent: the spec gate. */
const phase = z.optional(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/)));

/** webview → host */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  // Decisions carry the spec id (and a phase's gate its phase) so a stale view can never decide on a different spec or gate.
  z.object({ type: z.literal('approve'), specId: id, phase }),
  z.object({ type: z.literal('save'), specId: id, phase }),
  z.object({
    type: z.literal('requestChanges'),
    specId: id,
    feedback: z.string().check(z.trim(), z.minLength(1), z.maxLength(20_000)),
    phase,
  }),
  // A run a workflow gate stopped only for requirements with no test: waive them and resume (the host confirms first).
  z.object({
    type: z.literal('allowUntested'),
    runId: id,
    phase: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/)),
  }),
  // A run that ended `unchecked` (issue 70): accept what nothing checked and complete it (the host confirms first).
  z.object({ type: z.literal('acceptUnchecked'), runId: id }),
  z.object({ type: z.literal('selectSpec'), id }),
  // A Kiro or Spec Kit folder listed with the specs (workspace-relative, as listed): imported by the Import Spec Folder command, which then offers to approve it.
  z.object({ type: z.literal('importFolder'), folder: z.string().check(z.minLength(1), z.maxLength(1000)) }),
  // Drift: a completed spec checked against today's code.
  z.object({ type: z.literal('verifySpec'), specId: id, strength: z.optional(z.boolean()) }),
  // A change request to a run's approved spec (while it runs, or after it stopped).
  z.object({
    type: z.literal('changeRequest'),
    runId: id,
    request: z.string().check(z.trim(), z.minLength(1), z.maxLength(20_000)),
  }),
  // `lane`: one run in its own worktree (issue 22); without it, every run in progress.
  z.object({ type: z.literal('cancel'), lane: z.optional(z.string().check(z.regex(/^lane-\d{1,6}$/))) }),
  // `lane`: a file of that run in its own worktree (a workflow step's document), opened there, not in the checkout.
  z.object({
    type: z.literal('openFile'),
    path: z.string().check(z.minLength(1), z.maxLength(1000)),
    line: z.optional(z.int().check(z.positive())),
    lane: z.optional(z.string().check(z.regex(/^lane-\d{1,6}$/))),
  }),
  // A link of the run started from a GitHub issue (issue 39): opened by the editor only if the run panel shows it.
  z.object({ type: z.literal('openLink'), url: githubLinkSchema.shape.url }),
  z.object({
    type: z.literal('runCommand'),
    command: sidebarCommandSchema,
    arg: z.optional(z.string().check(z.maxLength(300))),
  }),
  z.object({ type: z.literal('manageTrust') }),
  // The layer picker for a task of an imported spec that names no file (like `approve --assign`).
  z.object({
    type: z.literal('assignLayer'),
    specId: id,
    task: id,
    layer: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,100}$/)),
  }),
  // The task queue (seed 004): a new task from the sidebar, and the human's decision on an artifact.
  z.object({
    type: z.literal('queueCreate'),
    title: z.string().check(z.trim(), z.minLength(1), z.maxLength(300)),
    description: z.string().check(z.maxLength(20_000)),
  }),
  z.object({ type: z.literal('queueShowDiff'), taskId: id, artifactId: id }),
  z.object({
    type: z.literal('queueReview'),
    taskId: id,
    artifactId: id,
    verdict: z.enum(['approved', 'rejected']),
    comment: z.optional(z.string().check(z.maxLength(20_000))),
  }),
  // A layer's attempt (issue 47): its diff against the attempts' base, shown beside its figures; or used instead of the one in the run (the host checks it can be).
  z.object({ type: z.literal('attemptDiff'), runId: id, ...attemptTarget }),
  z.object({ type: z.literal('useAttempt'), runId: id, ...attemptTarget }),
  // The runner of a layer (or of a role), written into .claude/orchestrator.yaml (issue 27).
  z.object({
    type: z.literal('setRunner'),
    layer: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,100}$/))),
    role: z.optional(z.enum(RUNNER_ROLES)),
    runner: z.enum(LAYER_RUNNERS),
  }),
  // Initialize Workspace: the proposal as the user edited it, or dismissed.
  initAcceptSchema,
  initCancelSchema,
  // The pool of workers (issue 28): Approve a pooled spec at the gate, Apply a completed run's branch, Stop a run still going.
  poolApproveSchema,
  poolApplySchema,
  poolStopSchema,
  // …and show a pooled run's journal in the run panel.
  poolShowSchema,
]);
export type WebviewMessage = z.infer<typeof webviewMessageSchema>;

/** host → webview */
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: viewStateSchema }),
  // A transient line shown above the view (e.g. "feedback sent"); not part of the state.
  z.object({
    type: z.literal('notice'),
    level: z.enum(['info', 'warn', 'error']),
    text: z.string().check(z.maxLength(2000)),
  }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, raw: unknown): Parsed<T> {
  const result = schema.safeParse(raw, inEnglish);
  if (result.success) return { ok: true, message: result.data };
  const kind =
    typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type) : typeof raw;
  // Keep the error short: it goes to a log line, and raw input may be large.
  const first = result.error.issues[0];
  const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid';
  return { ok: false, error: `dropped message "${kind.slice(0, 40)}": ${where}` };
}

export const parseWebviewMessage = (raw: unknown): Parsed<WebviewMessage> => parseWith(webviewMessageSchema, raw);
export const parseHostMessage = (raw: unknown): Parsed<HostMessage> => parseWith(hostMessageSchema, raw);
