/**
 * A run in its own git worktree (issue 22, docs/worktrees.md).
 * The checkout is snapshotted (uncommitted changes included) on the run's base ref, a
 * detached worktree is made from it outside the checkout, `worktree.link` folders are linked
 * in and `worktree.setup` commands run once; then the pipeline works there. The journal
 * stays in the checkout's `.claude/runs/`, so `runs`, `resume`, `apply` and `discard` find it;
 * nothing else of the run reaches the checkout before Apply.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  createCheckpoint,
  hasGit,
  isInside,
  linkFolders,
  locateRepo,
  repoWorktreeFolder,
  resolveCommit,
  setRef,
  worktreeBaseRef,
} from '../../git';
import { acquireRunLock, ensureStateDirSoon, type RunLock, type RunState } from '../../journal';
import type { OrchestratorConfig } from '../../project/config';
import type { Host } from '../../host';
import { redactSecrets } from '../../text/secrets';
import { runCommand, trimErrorOutput } from '../../process';
import { ConfigurationError, EngineUsageError, RunCancelled, RunStop } from '../../errors';
import {
  journalCommand,
  journalDenials,
  putBackCommitted,
  type RunContext,
  runSandbox,
  sandboxOption,
} from '../kernel';
import { makeRunPlace, type RunPlace } from './runPlace';

/** The journal's own folder never goes into a worktree or back out of one. */
export const RUNS_FOLDER = '.claude/runs';

/**
 * Where a worktree run works (runPlace.ts): `repo` is the checkout's top level, `root` the run's
 * worktree; `base`, when set, the commit it starts from instead of the checkout (a follow-up run:
 * its branch's head).
 */
export interface WorktreePlace extends RunPlace {
  readonly kind: 'worktree';
  readonly repo: string;
  readonly folder: string;
  /** The worktree's lock when the caller took it already (resume). */
  lock?: RunLock;
}

function worktreePlace(topLevel: string, folder: string, path: string, workspace: string): WorktreePlace {
  return { kind: 'worktree', repo: topLevel, root: path, workspace: join(path, relative(topLevel, workspace)), folder };
}

/** Where a new worktree run of `workspace` will work (nothing is made yet). */
export async function planWorktree(
  workspace: string,
  config: OrchestratorConfig,
  host: Host,
  runId: string,
): Promise<WorktreePlace> {
  // Restricted Mode runs nothing from the workspace, and a worktree needs git (hooks, filters, config).
  if (!host.isTrusted())
    throw new ConfigurationError(
      'Runs in a worktree need a trusted workspace (they run git); trust it, or run in place.',
    );
  if (!(await hasGit(workspace)))
    throw new ConfigurationError(
      `isolation: worktree needs a git repository, and ${workspace} is not in one (or git is not installed).`,
    );
  const { topLevel } = await locateRepo(workspace);
  const folder = repoWorktreeFolder(topLevel, config.worktree.dir);
  return worktreePlace(topLevel, folder, join(folder, runId), workspace);
}

/** The place of a run that already has its worktree (resume). */
export async function placeOf(workspace: string, config: OrchestratorConfig, state: RunState): Promise<WorktreePlace> {
  const { topLevel } = await locateRepo(workspace);
  const path = state.worktree!.path;
  const folder = repoWorktreeFolder(topLevel, config.worktree.dir);
  // The journal is workspace content: a run only ever works in this repository's worktree folder.
  if (!isInside(folder, path))
    throw new EngineUsageError(
      `Run ${state.runId ?? ''} names the worktree ${path}, outside this repository's worktree folder ${folder} (worktree.dir changed?); it is not resumed there.`,
    );
  return worktreePlace(topLevel, folder, path, workspace);
}

/**
 * Makes (or, on resume, finds) the run's worktree and takes its lock: a second process
 * resuming the same run is refused, as in place. Each step is journaled before or after it
 * happens so that a crash at any point leaves what `resume` finishes or `gc` removes.
 */
export async function openWorktree(ctx: RunContext, home: string, place: WorktreePlace): Promise<RunLock> {
  let state = ctx.state().worktree;
  // A snapshot of the checkout, not a given commit: its committed deny-listed files come back once made.
  const snapshot = !state && !place.base;
  if (state && state.outcome !== 'pending')
    throw new EngineUsageError(`Run ${ctx.runId} was ${state.outcome}; start a new run instead.`);
  if (!state) {
    // The checkout as it is (uncommitted and untracked files included), without the journals or secrets.
    const deny = [...ctx.config.privacy.deny, RUNS_FOLDER];
    const base = place.base
      ? await baseAt(place.repo, ctx.runId, place.base)
      : await createCheckpoint(home, ctx.runId, (message) => ctx.warn(message), deny, worktreeBaseRef(ctx.runId));
    if (!base) throw new ConfigurationError(`isolation: worktree needs a git repository at ${home}.`);
    ctx.emit({ type: 'checkpoint.created', ref: base.ref, commit: base.commit });
    ctx.emit({
      type: 'worktree.created',
      path: place.root,
      workspace: place.workspace,
      ref: base.ref,
      commit: base.commit,
    });
    state = ctx.state().worktree!;
  }
  if (!existsSync(place.root)) {
    if (state.ready) {
      throw new EngineUsageError(
        `The worktree of run ${ctx.runId} (${place.root}) is gone, and its work with it; drop the run with: orchestrator discard ${ctx.runId}`,
      );
    }
    await makeRunPlace(place, state.commit);
    if (snapshot) await putBackCommitted(ctx, place.root);
  }
  // A new worktree has no state folder yet: made here off the main thread, the lock finds it.
  if (!place.lock) await ensureStateDirSoon(place.root);
  const lock = place.lock ?? acquireRunLock(place.root, ctx.runId);
  try {
    if (!state.ready) await readyWorktree(ctx, place);
    return lock;
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** A given commit as the run's base (a follow-up's branch head, a GitHub issue's HEAD), kept on its base ref as a snapshot of the checkout would be. */
async function baseAt(topLevel: string, runId: string, commit: string): Promise<{ ref: string; commit: string }> {
  const resolved = await resolveCommit(topLevel, commit);
  if (!resolved) throw new EngineUsageError(`No commit ${commit} in this repository to start run ${runId} from.`);
  const ref = worktreeBaseRef(runId);
  await setRef(topLevel, ref, resolved, `orchestrator: base of run ${runId}`);
  return { ref, commit: resolved };
}

/** Links the configured folders and runs `worktree.setup`, once per new worktree. */
async function readyWorktree(ctx: RunContext, place: WorktreePlace): Promise<void> {
  const started = Date.now();
  const linked = linkFolders(ctx.home, place.workspace, ctx.config.worktree.link);
  for (const command of ctx.config.worktree.setup) {
    ctx.emit({ type: 'log', level: 'info', message: `worktree setup: ${command}` });
    const result = await runCommand(command, {
      cwd: place.workspace,
      timeoutSec: ctx.config.limits.commandTimeoutSec,
      commandEnv: ctx.config.commandEnv,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      // Setup runs the project's own scripts, confined like validate commands (issue 36).
      ...sandboxOption(runSandbox(ctx, command, undefined, place.workspace)),
    });
    journalDenials(ctx.emit, result);
    journalCommand(ctx.emit, { kind: 'setup' }, result);
    if (result.cancelled) throw new RunCancelled();
    if (result.exitCode !== 0) {
      const output = trimErrorOutput(redactSecrets(result.output).text);
      const report = [
        '## Pipeline stopped: worktree setup failed',
        '',
        `- Command: \`${command}\` (exit ${result.exitCode ?? 'none'})`,
        `- Worktree: ${place.root}`,
        `- Action: fix the command under worktree.setup in .claude/orchestrator.yaml, then \`orchestrator resume ${ctx.runId}\` (or discard the run)`,
        '',
        '```',
        output,
        '```',
      ].join('\n');
      throw new RunStop('setup', `worktree setup failed: ${command}`, report);
    }
  }
  ctx.emit({ type: 'worktree.ready', linked, ms: Date.now() - started });
}
