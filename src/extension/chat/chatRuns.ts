/**
 * The chat host's one door into the run controller: the chat participant and the language
 * model tools start runs here, through `RunController.run` like the sidebar's commands (so a run
 * started in the chat shows in the sidebar and the status bar), with the run's host watched
 * (watchedHost.ts) instead of a second pipeline or a second gate. Where the sidebar would ask
 * (a run in progress, no key), the chat is told in one line instead.
 */
import type { RunOptions, RunSummary } from '../../core/api';
import type { EngineEvent } from '../../core/events';
import { dispatchesToPool, sendToPool } from '../pool/poolDispatch';
import { startingIsolation, type Isolation } from '../run/isolationChoice';
import type { Services } from '../services';
import type { RunKind } from '../view/actions';
import type { DispatchInput as PoolDispatchInput } from '../../pool/index';
import { watchedHost, type RunWatcher } from './watchedHost';

export const NO_FOLDER = 'Open a folder first: the Orchestrator works in a workspace folder.';
export const BUSY =
  'A run is already in progress: cancel it (`/cancel`) or wait for it to finish. A run in its own worktree (isolation `worktree`) can go beside others.';
export const NO_KEY =
  "No Anthropic API key, and an agent of this workspace runs on Anthropic's API: run **Orchestrator: Set API Key**, or run the agents on the editor's models through the Language Model API (**Orchestrator: Use the Editor's Models**), on a local OpenAI-compatible server such as Ollama or LM Studio (`providers.openai.baseURL` and an `openai:` model in `.claude/orchestrator.yaml`), or the layers on a CLI agent (setting `orchestrator.runner`). With no key at all, **Orchestrator: Try the Demo** runs the whole pipeline on a sample project.";

export interface WatchedRun {
  kind: Exclude<RunKind, 'sync'>;
  /** What was asked, as the sidebar and the status bar show it. */
  label: string;
  workspace: string;
  isolation?: Isolation;
  history?: EngineEvent[];
  execute(options: RunOptions): Promise<RunSummary>;
}

export type Started = { started: Promise<RunSummary | undefined> } | { refused: string };

/** The workspace folder the chat works in. */
export function chatWorkspace(s: Services): string | undefined {
  return s.folders.current()?.uri.fsPath;
}

export async function startWatched(s: Services, run: WatchedRun, watcher: RunWatcher): Promise<Started> {
  const isolation = run.isolation ?? (await startingIsolation(s.engine, run.workspace));
  if (s.runs.inPlaceBusy || (isolation !== 'worktree' && s.runs.busy)) return { refused: BUSY };
  if (await s.runs.missingKey(run.workspace)) return { refused: NO_KEY };
  const started = s.runs.run({
    kind: run.kind,
    label: run.label,
    workspace: run.workspace,
    needsKey: true,
    isolation,
    ...(run.history ? { history: run.history } : {}),
    execute: (options) => run.execute({ ...options, host: watchedHost(options.host, watcher) }),
  });
  return { started };
}

/**
 * `runs.dispatch: pool` (issue 28): the run goes to the pool as the palette's would (New Feature,
 * Audit to Target, Approve Spec of a saved spec; unless a worktree was asked for); the pool run's
 * id, false when it was not sent (the message says why), or undefined when this workspace runs here.
 */
export async function sentToPool(
  s: Services,
  workspace: string,
  input: PoolDispatchInput,
  action: string,
  isolation?: Isolation,
): Promise<string | undefined | false> {
  if (!(await dispatchesToPool(workspace, { worktree: isolation === 'worktree' }))) return undefined;
  return (await sendToPool(s, workspace, input, action)) ?? false;
}
