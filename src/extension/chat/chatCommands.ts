/**
 * The participant's slash commands. Runs go through the chat's one door (chatRuns.ts) and are
 * followed by a ChatRunRenderer; decisions go through the same SpecDecisions as every surface.
 * Restricted Mode: the participant answers, but starts nothing that runs workspace commands (a
 * feature or bugfix stops at its spec, as from the sidebar; approving needs trust there too).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../core/api';
import { attemptsPerLayer, MAX_ATTEMPTS } from '../../core/text/runnerNames';
import { readSettings } from '../config/settings';
import { requestRunChange } from '../run/changeRequests';
import { readJournal } from '../run/runHistory';
import type { Services } from '../services';
import { isSavedSpec } from '../view/selectors';
import { idArg, leadingAttempts, type FollowupMetadata } from './chatInputs';
import { chatWorkspace, NO_FOLDER, sentToPool, startWatched, type Started, type WatchedRun } from './chatRuns';
import type { ChatOut } from './chatStream';
import { chatReport, verifyReport } from './chatStatus';
import { withReferences } from './chatReferences';
import { codeSpan, escapeInline } from './markdown';
import { ChatRunRenderer } from './runRenderer';

export interface ChatCall {
  s: Services;
  out: ChatOut;
  /** The text after the command. */
  prompt: string;
  references: readonly vscode.ChatPromptReference[];
  token: vscode.CancellationToken;
}

type Handler = (call: ChatCall, workspace: string) => Promise<FollowupMetadata | void>;

const RESTRICTED = (what: string) =>
  `Restricted Mode: ${what} runs commands from this workspace. Trust the folder (**Manage Workspace Trust**) first.`;

/** Follows a started run to its end in the response; the chat's Stop cancels the run it started. */
async function follow(
  call: ChatCall,
  workspace: string,
  run: WatchedRun,
  renderer = new ChatRunRenderer(call.out, workspace),
): Promise<FollowupMetadata | void> {
  if (call.out.transcript.firstProgressAt === undefined) call.out.progress(`Starting ${run.kind}…`);
  const started: Started = await startWatched(call.s, run, renderer);
  if ('refused' in started) {
    call.out.markdown(started.refused);
    return;
  }
  const stop = call.token.onCancellationRequested(() => {
    const lane = call.s.store.state.lanes?.find((l) => l.runId !== undefined && l.runId === renderer.runId)?.lane;
    if (lane) call.s.runs.cancel(lane);
    else if (call.s.store.state.run?.runId === renderer.runId) call.s.runs.cancelInPlace();
  });
  let summary: RunSummary | undefined;
  try {
    summary = await started.started;
  } finally {
    stop.dispose();
  }
  const error = call.s.store.state.run?.runId === renderer.runId ? call.s.store.state.run?.error : undefined;
  return renderer.finish(summary, error);
}

/** `runs.dispatch: pool`: what the chat says once the run is in the pool, or not. */
const pooledLine = (pooled: string | false): string =>
  pooled
    ? `Sent to the pool as ${codeSpan(pooled)} (\`runs.dispatch: pool\`): follow it in the sidebar's Pool section.`
    : 'The run was not sent to the pool (see the message).';

/** The run's attempts: typed (`--attempts N`), else the `orchestrator.attempts` setting's; undefined when the config's number holds. */
const runAttempts = (typed: number | undefined, workspace: string): number | undefined =>
  typed ?? readSettings(vscode.Uri.file(workspace)).attempts;

/** ` (N attempts per layer)` for a progress line, or nothing when the config's number holds. */
const perLayer = (attempts: number | undefined): string =>
  attempts === undefined ? '' : ` (${attemptsPerLayer(attempts)})`;

const startRun =
  (kind: 'feature' | 'bugfix'): Handler =>
  async (call, workspace) => {
    const options = leadingAttempts(
      call.prompt,
      kind === 'feature'
        ? '/feature --attempts 3 Add a Supplier entity'
        : '/bugfix --attempts 2 Orders total ignores discounts',
    );
    if (!options.ok) return void call.out.markdown(options.error);
    const { attempts, rest: asked } = options.value;
    if (asked.length < 3) {
      call.out.markdown(
        kind === 'feature'
          ? 'Describe the feature after `/feature`, e.g. `/feature Add a Supplier entity with a contacts list`.'
          : 'Describe the bug after `/bugfix`: what happens, what should happen, where.',
      );
      return;
    }
    // Progress first: what follows (the references, the config, the engine's first load) takes a moment.
    call.out.progress(`Starting the ${kind} run${perLayer(runAttempts(attempts, workspace))}…`);
    const request = await withReferences(asked, call.references, workspace);
    const flags = attempts !== undefined ? { attempts } : {};
    const pooled = await sentToPool(
      call.s,
      workspace,
      { kind, request, flags, labels: [] },
      kind === 'feature' ? 'New Feature' : 'New Bugfix',
    );
    if (pooled !== undefined) return void call.out.markdown(pooledLine(pooled));
    return follow(call, workspace, {
      kind,
      label: asked,
      workspace,
      execute: (o) =>
        kind === 'feature'
          ? call.s.engine.runFeature(request, { ...o, ...flags })
          : call.s.engine.runBugfix(request, { ...o, ...flags }),
    });
  };

const approve: Handler = async (call, workspace) => {
  const options = leadingAttempts(call.prompt, '/approve --attempts 3 <specId>');
  if (!options.ok) return void call.out.markdown(options.error);
  const { attempts, rest } = options.value;
  const given = idArg(rest);
  const pending = call.s.decisions.pending;
  if (pending && (!given || given === pending.specId)) {
    // The run waiting here started with its attempts (journaled on run.started): an approval cannot change them.
    if (attempts !== undefined)
      return void call.out.markdown(
        `${codeSpan(pending.specId)} waits at the gate of a run going now, which keeps the attempts it started with: approve it without \`--attempts\`, or start the run with \`/feature --attempts N …\`.`,
      );
    await vscode.commands.executeCommand(
      'orchestrator.approveSpec',
      pending.specId,
      ...(pending.phase !== undefined ? [pending.phase] : []),
    );
    call.out.markdown(
      call.s.decisions.pending?.specId === pending.specId && call.s.decisions.pending.since === pending.since
        ? `${codeSpan(pending.specId)} is still waiting (see the message).`
        : `Approved ${codeSpan(pending.specId)}: the run that asked continues.`,
    );
    return;
  }
  if (!vscode.workspace.isTrusted) return void call.out.markdown(RESTRICTED('Implementing a spec'));
  const saved = (await call.s.engine.listSpecs(workspace)).filter(
    (x) => isSavedSpec(x.status) && !x.mustard?.refusal && !x.foreign?.refusal,
  );
  const spec = given ? saved.find((x) => x.id === given) : saved.length === 1 ? saved[0] : undefined;
  if (!spec) {
    const flag = attempts !== undefined ? `--attempts ${attempts} ` : '';
    call.out.markdown(
      given
        ? `No saved spec ${codeSpan(given)} to approve.`
        : saved.length === 0
          ? 'No saved spec to approve.'
          : `Which spec? ${saved
              .slice(0, 10)
              .map((x) => `\`/approve ${flag}${x.id}\``)
              .join(', ')}`,
    );
    return;
  }
  const flags = attempts !== undefined ? { attempts } : {};
  const pooled = await sentToPool(
    call.s,
    workspace,
    {
      kind: 'approve',
      request: `approve ${spec.id}`,
      specId: spec.id,
      flags: { autoApprove: true, approveGates: true, ...flags },
      labels: [],
    },
    'Approve Spec',
  );
  if (pooled !== undefined) return void call.out.markdown(pooledLine(pooled));
  const shown = runAttempts(attempts, workspace);
  if (shown !== undefined) call.out.progress(`Implementing ${spec.id}${perLayer(shown)}…`);
  return follow(call, workspace, {
    kind: 'approve',
    label: spec.title,
    workspace,
    execute: (o) => call.s.engine.approveSpec(spec.id, { ...o, ...flags }),
  });
};

const resume: Handler = async (call, workspace) => {
  if (!vscode.workspace.isTrusted) return void call.out.markdown(RESTRICTED('Resuming a run'));
  const given = idArg(call.prompt.trim());
  const latest = given ? undefined : await call.s.engine.latestResumableRun(workspace);
  const runId = given ?? latest?.runId;
  if (!runId)
    return void call.out.markdown('No run to resume: every run completed, saved its spec, or was rolled back.');
  const history = await readJournal(workspace, runId);
  if (history.length === 0) return void call.out.markdown(`No run ${codeSpan(runId)} in this workspace.`);
  const isolation = history.some((e) => e.type === 'worktree.created') ? 'worktree' : 'in-place';
  const label = latest?.request ?? (history[0]?.type === 'run.started' ? history[0].request : runId);
  return follow(call, workspace, {
    kind: 'resume',
    label,
    workspace,
    history,
    isolation,
    execute: (o) => call.s.engine.resumeRun(runId, o),
  });
};

/** `/audit [path] [dimension] [score]`: the audit loop to a target score, as Audit to Target. */
const audit: Handler = async (call, workspace) => {
  if (!vscode.workspace.isTrusted) return void call.out.markdown(RESTRICTED('An audit'));
  const templatesDir = vscode.Uri.joinPath(call.s.extensionUri, '.claude').fsPath;
  const choices = await call.s.engine.auditChoices(workspace, templatesDir);
  const words = call.prompt.trim().split(/\s+/).filter(Boolean);
  const score = words.find((w) => /^\d+(\.\d+)?$/.test(w) && Number(w) <= 100);
  const dimension =
    words.find((w) => choices.dimensions.some((d) => d.name === w)) ??
    (choices.dimensions.length === 1 ? choices.dimensions[0]?.name : undefined);
  const target = words.filter((w) => w !== score && w !== dimension).join(' ') || '.';
  if (!dimension) {
    call.out.markdown(
      `Which dimension? \`/audit ${escapeInline(target, 100)} <dimension> [score]\`, one of: ${choices.dimensions.map((d) => codeSpan(d.name)).join(', ') || 'none (add templates under .claude/audit/)'}.`,
    );
    return;
  }
  const targetScore = score ? Number(score) : choices.targetScore;
  const targetPath = vscode.Uri.joinPath(vscode.Uri.file(workspace), target).fsPath;
  const relative = path.relative(workspace, targetPath).split(path.sep).join('/') || '.';
  const pooled = await sentToPool(
    call.s,
    workspace,
    {
      kind: 'audit',
      request: `audit ${relative}`,
      flags: { audit: { target: relative, dimension, targetScore } },
      labels: [],
    },
    'Audit to Target',
  );
  if (pooled !== undefined) return void call.out.markdown(pooledLine(pooled));
  return follow(call, workspace, {
    kind: 'audit',
    label: `${target} (${dimension}) to ${targetScore}/100`,
    workspace,
    execute: (o) => call.s.engine.runAudit({ target: targetPath, dimension, targetScore }, { ...o, templatesDir }),
  });
};

/** `/change <text>`: changes requested on the spec waiting at its gate, else a change request to the live run (issue 23). */
const change: Handler = async (call, workspace) => {
  const text = call.prompt.trim();
  if (!text) return void call.out.markdown('Say what to change after `/change`.');
  const pending = call.s.decisions.pending;
  if (pending) {
    const sent = call.s.decisions.requestChanges(pending.specId, text, pending.phase);
    call.out.markdown(
      sent
        ? `Changes requested on ${codeSpan(pending.specId)}: the spec is written again with them.`
        : 'The feedback was not taken.',
    );
    return;
  }
  const live = call.s.store.state.run?.live ? call.s.store.state.run.runId : undefined;
  if (!live)
    return void call.out.markdown(
      'No spec waiting and no run going: start one with `/feature`, or resume one with `/resume`.',
    );
  const notice = (level: 'info' | 'warn' | 'error', line: string) =>
    call.out.markdown(`${level === 'info' ? '' : `${level}: `}${escapeInline(line)}\n`);
  await requestRunChange(
    { engine: call.s.engine, runs: call.s.runs, notice, liveRunId: () => live, workspace: () => workspace },
    live,
    text,
  );
};

const cancel: Handler = async (call) => {
  call.out.markdown(call.s.runs.cancel() ? 'Cancelling the run(s) in progress.' : 'No run in progress.');
};

const status: Handler = async (call, workspace) => {
  // `/status <specId> --strength`: a completed spec verified with its proof's strength measured again.
  const strength = /(?:^|\s)--strength(?=\s|$)/.test(call.prompt);
  const given = idArg(call.prompt.replace(/(?:^|\s)--strength(?=\s|$)/, '').trim());
  if (
    given &&
    (await call.s.engine.listSpecs(workspace).catch(() => [])).some((x) => x.id === given && /complete/i.test(x.status))
  )
    return verifyReport(call.s, call.out, workspace, given, strength);
  return chatReport(call.s, call.out, workspace, given);
};

export const CHAT_COMMANDS: Record<string, Handler> = {
  feature: startRun('feature'),
  bugfix: startRun('bugfix'),
  audit,
  approve,
  change,
  status,
  resume,
  cancel,
};

export const HELP = [
  'I run the Orchestrator here: a spec for your approval, then one agent per layer, your checks, a review.',
  '',
  '- `/feature <request>` · `/bugfix <report>`: up to the spec, which you approve here',
  '- `/approve [specId]` · `/change <feedback>` · `/resume [runId]` · `/cancel`',
  `- \`--attempts N\` first (\`/feature\`, \`/bugfix\`, \`/approve\` of a saved spec): every layer tried N times (1 to ${MAX_ATTEMPTS}), the attempt its checks prove best kept`,
  '- `/audit [path] [dimension] [score]` · `/status [runId | specId]`',
  '',
  'Attach files, a selection or an issue link with `#`: they go to the spec agent as context.',
].join('\n');

/** Runs `command` (undefined: the help). */
export async function runChatCommand(call: ChatCall, command: string | undefined): Promise<FollowupMetadata | void> {
  const handler = command ? CHAT_COMMANDS[command] : undefined;
  if (!handler) return void call.out.markdown(HELP);
  const workspace = chatWorkspace(call.s);
  if (!workspace) return void call.out.markdown(NO_FOLDER);
  return handler(call, workspace);
}
