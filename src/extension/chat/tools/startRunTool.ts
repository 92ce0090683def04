/**
 * `orchestrator_startFeature` and `orchestrator_startBugfix`: a chat agent (Copilot's agent mode,
 * any other) starts a run that goes up to its spec and returns `{specId, status:
 * "awaiting-approval", spec}`. The run then waits at the gate for a human, in the sidebar, the
 * chat's buttons, the portal or the CLI: no tool approves a spec. Confirmed first
 * (prepareInvocation): it writes a spec in the workspace. With `runs.dispatch: pool` the run goes
 * to the pool as New Feature's does (chatRuns.sentToPool) and the tool returns it queued.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GatePlacement } from '../../../core/requests';
import { attemptsPerLayer } from '../../../core/text/runnerNames';
import { readSettings } from '../../config/settings';
import type { Services } from '../../services';
import { check, startRunInput, type StartRunInput } from '../chatInputs';
import { chatWorkspace, NO_FOLDER, sentToPool, startWatched } from '../chatRuns';
import { chatOut, type Transcripts } from '../chatStream';
import { escapeInline } from '../markdown';
import { dispatchesToPool } from '../../pool/poolDispatch';
import { ChatRunRenderer } from '../runRenderer';
import { toolResult } from './toolResult';

export const START_TOOLS = { feature: 'orchestrator_startFeature', bugfix: 'orchestrator_startBugfix' } as const;

export interface AwaitingApproval {
  specId: string;
  status: 'awaiting-approval';
  /** The spec's markdown, as written to spec/active/…/spec.md. */
  spec: string;
  runId?: string;
  specPath: string;
  /** A request naming a Kiro or Spec Kit folder: the model's layer for each of its tasks naming no file (approving accepts them), and what nothing placed. */
  placement?: GatePlacement;
}

/** With `runs.dispatch: pool`: the run is queued for a worker (follow it in the sidebar's Pool section or with `orchestrator runs --pool`). */
export interface QueuedInPool {
  runId: string;
  status: 'queued';
  dispatch: 'pool';
}

function parsed(input: unknown): StartRunInput {
  const result = check(startRunInput, input);
  if (!result.ok) throw new Error(`Invalid input: ${result.error}`);
  return result.value;
}

export function startRunTool(
  s: Services,
  transcripts: Transcripts,
  kind: 'feature' | 'bugfix',
): vscode.LanguageModelTool<StartRunInput> {
  return {
    async prepareInvocation(options) {
      const input = check(startRunInput, options.input);
      const ws = chatWorkspace(s);
      const what = kind === 'feature' ? 'feature' : 'bugfix';
      const request = input.ok ? input.value.request : '(invalid input)';
      // The confirmation is rendered as markdown: the request, typed or a model's, shows as text (no link, image or HTML).
      const shown = escapeInline(request, 300);
      const folder = ws ? path.basename(ws) : 'the workspace';
      const worktree = input.ok && input.value.isolation === 'worktree';
      // What the run will do: the tool's number, else the window's setting (`orchestrator.attempts`).
      const n = input.ok
        ? (input.value.attempts ?? (ws ? readSettings(vscode.Uri.file(ws)).attempts : undefined))
        : undefined;
      const attempts =
        n === undefined
          ? ''
          : ` Once approved: ${attemptsPerLayer(n)}${n > 1 ? ', the one its checks prove best kept' : ''}.`;
      if (ws && (await dispatchesToPool(ws, { worktree }))) {
        return {
          invocationMessage: `Sending the ${what} run to the pool…`,
          confirmationMessages: {
            title: `Send an Orchestrator ${what} run to the pool?`,
            message: `${folder} sends its runs to the pool (runs.dispatch: pool): "${shown}" is queued with your uncommitted changes for a worker, whose spec agent writes the spec; the run then waits for a person's approval. Nothing is implemented until a person approves the spec.`,
          },
        };
      }
      return {
        invocationMessage: `Writing the ${what} spec…`,
        confirmationMessages: {
          title: `Start an Orchestrator ${what} run?`,
          message: `The spec agent writes a spec for "${shown}" in ${folder}${worktree ? ' (in its own worktree)' : ''}, then the run waits for your approval. Nothing is implemented until a person approves the spec.${attempts}`,
        },
      };
    },

    async invoke(options, token) {
      const input = parsed(options.input);
      const ws = chatWorkspace(s);
      if (!ws) throw new Error(NO_FOLDER);
      const flags = {
        ...(input.workflow ? { workflow: input.workflow } : {}),
        ...(input.runner ? { runner: input.runner } : {}),
        ...(input.attempts !== undefined ? { attempts: input.attempts } : {}),
      };
      // `runs.dispatch: pool`: queued for a worker as New Feature does; the spec is written there.
      const pooled = await sentToPool(
        s,
        ws,
        { kind, request: input.request, flags, labels: [] },
        kind === 'feature' ? 'New Feature' : 'New Bugfix',
        input.isolation,
      );
      if (pooled === false)
        throw new Error("The run was not sent to the pool (runs.dispatch: pool): see the Orchestrator's message.");
      if (pooled !== undefined)
        return toolResult({ runId: pooled, status: 'queued', dispatch: 'pool' } satisfies QueuedInPool);
      const transcript = transcripts.begin(`${START_TOOLS[kind]} ${input.request}`);
      const renderer = new ChatRunRenderer(chatOut(undefined, transcript), ws);
      let atGate!: (value: AwaitingApproval) => void;
      const gate = new Promise<AwaitingApproval>((resolve) => (atGate = resolve));
      const watcher = {
        onEvent: (e: Parameters<ChatRunRenderer['onEvent']>[0]) => renderer.onEvent(e),
        onGate: (r: Parameters<ChatRunRenderer['onGate']>[0]) => {
          renderer.onGate(r);
          if (r.phase === undefined)
            atGate({
              specId: r.specId,
              status: 'awaiting-approval',
              spec: r.markdown,
              ...(renderer.runId ? { runId: renderer.runId } : {}),
              specPath: r.specPath,
              ...(r.placement ? { placement: r.placement } : {}),
            });
        },
        onDecision: renderer.onDecision.bind(renderer),
      };
      const started = await startWatched(
        s,
        {
          kind,
          label: input.request,
          workspace: ws,
          ...(input.isolation ? { isolation: input.isolation } : {}),
          execute: (o) =>
            kind === 'feature'
              ? s.engine.runFeature(input.request, { ...o, ...flags })
              : s.engine.runBugfix(input.request, { ...o, ...flags }),
        },
        watcher,
      );
      if ('refused' in started) throw new Error(started.refused.replace(/\*\*|`/g, ''));
      const ended = started.started.then((summary) => {
        renderer.finish(summary);
        return summary;
      });
      const cancelled = new Promise<'cancelled'>((resolve) =>
        token.onCancellationRequested(() => resolve('cancelled')),
      );
      const first = await Promise.race([gate, ended, cancelled]);
      if (first === 'cancelled')
        throw new Error('Cancelled: the run goes on and waits for its spec decision in the sidebar.');
      if (first && 'status' in first && first.status === 'awaiting-approval') return toolResult(first);
      const summary = first;
      throw new Error(
        `The run ended before its spec was ready: ${summary ? `${summary.status}${summary.error ? `: ${summary.error}` : ''}` : (s.store.state.run?.error ?? 'it did not start (see the Orchestrator log)')}`,
      );
    },
  };
}
