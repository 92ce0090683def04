/**
 * Folds one engine event into the run's view. Pure: no clock, no I/O. Unknown event types
 * and missing fields are tolerated because the same fold replays journals written by other
 * versions of the engine.
 */
import type { EngineEvent } from '../../core/events';
import { budgetLabel, type ActivityLine, type RunView, type RunViewStatus } from '../../shared/viewState';
import { isLayer, moveAgents, newAgent, patchAgent, trimError } from './agents';
import { applyAuditEvent } from './auditReducer';
import { applyGithubEvent } from './githubView';
import { applyModelEvent } from './modelsReducer';
import type { RunKind } from './actions';
import { applyTraceEvent } from './traceView';
import { applyWorkflowEvent } from './workflowReducer';

const MAX_ACTIVITY = 100;

export const newRun = (kind: RunKind, request: string, live: boolean): RunView => ({
  kind,
  request,
  status: 'running',
  live,
  phases: [],
  waves: [],
  agents: [],
  usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  costUsd: 0,
  filesChanged: [],
  activity: [],
});

const log = (run: RunView, line: ActivityLine): RunView => ({
  ...run,
  activity: [...run.activity, line].slice(-MAX_ACTIVITY),
});

const info = (run: RunView, text: string): RunView => log(run, { level: 'info', text });
const addFile = (run: RunView, path: string): RunView =>
  run.filesChanged.includes(path) ? run : { ...run, filesChanged: [...run.filesChanged, path] };

const finalStatuses: RunViewStatus[] = ['completed', 'spec-saved', 'stopped', 'cancelled'];

/** `run.completed` carries the engine's summary as `unknown`; read its status defensively. */
function statusFromSummary(summary: unknown): RunViewStatus {
  const status = (summary as { status?: unknown } | null)?.status;
  return typeof status === 'string' && (finalStatuses as string[]).includes(status) ? (status as RunViewStatus) : 'completed';
}

/**
 * What a tool call worked on, for its activity line: our tools' `path`; a CLI agent's file (its
 * absolute path in its own worktree, `…/<runId>.agents/<agent>/…`, shown from the workspace on),
 * the files of a patch, or the command it ran (issue 27).
 */
function pathOf(input: unknown): string {
  const fields = (input ?? {}) as { path?: unknown; file_path?: unknown; filePath?: unknown; notebook_path?: unknown; command?: unknown; files?: unknown };
  if (typeof fields.path === 'string') return ` ${fields.path}`;
  // opencode names it filePath.
  const file = fields.file_path ?? fields.filePath ?? fields.notebook_path;
  if (typeof file === 'string') return ` ${file.replace(/^.*\.agents\/[^/]+\//, '')}`;
  if (Array.isArray(fields.files)) return ` ${fields.files.filter((f) => typeof f === 'string').join(', ')}`;
  if (typeof fields.command === 'string') return ` $ ${fields.command.replace(/\s+/g, ' ').slice(0, 120)}`;
  return '';
}

export function applyEngineEvent(run: RunView, event: EngineEvent): RunView {
  const next = applyGithubEvent(applyWorkflowEvent(applyModelEvent(applyRunEvent(run, event), event), event), event);
  // An audit run also keeps its own view (scores, findings, fix jobs…).
  if (!next.audit && event.type !== 'audit.started') return next;
  const audited = applyAuditEvent(next, event);
  return audited.line ? info(audited.run, audited.line) : audited.run;
}

function applyRunEvent(run: RunView, event: EngineEvent): RunView {
  switch (event.type) {
    case 'run.started': {
      // A different run id means a new run (e.g. approve after a saved spec): start clean.
      const base = run.runId && run.runId !== event.runId ? newRun(run.kind, run.request, run.live) : run;
      return info({ ...base, runId: event.runId, kind: event.kind, request: event.request, specId: event.specId ?? base.specId, status: 'running', ...(event.sandbox === 'off' ? { sandboxOff: true as const } : {}) }, `Run ${event.runId} started${event.sandbox === 'off' ? ' (sandbox: off, unconfined)' : ''}`);
    }
    case 'sandbox.denied': {
      // Shown in the lane of the layer it came from (its agent's or its validate command's), and in the log.
      const lane = event.layer ?? event.agent;
      const what = `${event.kind} ${event.target}`;
      const text = `${lane ? `${lane}: ` : ''}the sandbox refused ${what}${event.command ? ` (\`${event.command}\`)` : ''}`;
      const patched = lane && run.agents.some((a) => a.name === lane) ? patchAgent(run, lane, (a) => ({ ...a, denied: [...(a.denied ?? []), what].slice(-5) })) : run;
      return log(patched, { level: 'warn', text });
    }
    case 'phase.started': {
      const phases = run.phases.filter((p) => p.name !== event.phase).map((p) => (p.state === 'running' ? { ...p, state: 'done' as const } : p));
      return info({ ...run, phase: event.phase, phases: [...phases, { name: event.phase, state: 'running' }] }, `Phase ${event.phase}`);
    }
    case 'phase.completed':
      return { ...run, phases: run.phases.map((p) => (p.name === event.phase ? { name: p.name, state: 'done', ms: event.ms } : p)) };
    case 'wave.started': {
      // Layers of earlier waves still shown as validating got no verdict event: they passed.
      let next = moveAgents(run, ['validating'], 'passed', (a) => a.wave !== undefined && a.wave < event.wave);
      const waves = [...next.waves.filter((w) => w.index !== event.wave), { index: event.wave, of: event.of, layers: [...event.layers] }].sort((a, b) => a.index - b.index);
      next = { ...next, waves };
      for (const layer of event.layers) next = patchAgent(next, layer, (a) => (a.wave === undefined ? { ...newAgent(layer, event.wave), ...a, wave: event.wave } : a));
      return info(next, `Wave ${event.wave}/${event.of}: ${event.layers.join(', ')}`);
    }
    case 'agent.started':
      return patchAgent(run, event.agent, (a) => ({
        ...a,
        state: event.mode === 'retry' ? 'retry' : 'running',
        attempt: event.attempt,
        mode: event.mode,
        outcome: undefined,
      }));
    case 'agent.completed': {
      const ok = event.outcome === 'submitted';
      const layer = isLayer(run, event.agent);
      const next = patchAgent(run, event.agent, (a) => ({
        ...a,
        // A layer's work is checked by the orchestrator's own validation, which comes next.
        state: !ok ? (event.outcome === 'cancelled' ? 'cancelled' : 'failed') : layer ? 'validating' : 'passed',
        outcome: event.outcome,
        summary: event.summary ?? a.summary,
      }));
      return ok ? next : log(next, { level: 'warn', text: `${event.agent} ended: ${event.outcome}` });
    }
    case 'tool.called':
      return log(run, { level: event.isError ? 'warn' : 'info', text: `${event.agent} · ${event.tool}${pathOf(event.input)}${event.isError ? ' (refused)' : ''}` });
    case 'file.written':
    case 'file.deleted':
      return addFile(run, event.path);
    case 'llm.usage': {
      const u = event.usage;
      const usage = {
        input: run.usage.input + u.input,
        output: run.usage.output + u.output,
        cacheRead: run.usage.cacheRead + u.cacheRead,
        cacheWrite: run.usage.cacheWrite + u.cacheWrite,
      };
      const next = patchAgent(run, event.agent, (a) => ({ ...a, tokens: a.tokens + u.input + u.output + u.cacheRead + u.cacheWrite, costUsd: a.costUsd + event.costUsd }));
      return { ...next, usage, costUsd: run.costUsd + event.costUsd };
    }
    case 'llm.retry':
      return log(run, { level: 'warn', text: `${event.agent}: model call retried (${event.reason}), attempt ${event.attempt}` });
    case 'validation.started':
      return patchAgent(run, event.layer, (a) => ({ ...a, state: 'validating', command: event.command }));
    case 'validation.passed':
      return info(patchAgent(run, event.layer, (a) => ({ ...a, state: 'passed', lastError: undefined })), `${event.layer}: validation passed`);
    case 'validation.failed':
      return log(
        patchAgent(run, event.layer, (a) => ({ ...a, state: 'failed', command: event.command, lastError: trimError(event.output) })),
        { level: 'warn', text: `${event.layer}: \`${event.command}\` failed (exit ${event.exitCode ?? 'none'})` },
      );
    case 'retry':
      return log(patchAgent(run, event.layer, (a) => ({ ...a, state: 'retry', retry: { n: event.attempt, max: event.max } })), {
        level: 'warn',
        text: `${event.layer}: retry ${event.attempt}/${event.max}`,
      });
    case 'review.skipped':
      return info({ ...run, review: { round: 0, verdict: 'skipped', reason: event.reason, issues: [] } }, `Review skipped: ${event.reason}`);
    case 'review.verdict':
      return log({ ...run, review: { round: event.round, verdict: event.verdict, issues: event.issues.map((i) => ({ ...i })) } }, {
        level: event.verdict === 'approved' ? 'info' : 'warn',
        text: `Review round ${event.round}: ${event.verdict} (${event.issues.length} issues)`,
      });
    case 'budget.exceeded': {
      const { type: _type, ...budget } = event;
      return log({ ...run, budget }, { level: 'error', text: budgetLabel(budget) });
    }
    case 'spec.saved':
      return info({ ...run, specId: event.specId, specPath: event.path }, `Spec saved: ${event.path}`);
    case 'spec.approved':
      return info({ ...run, specId: event.specId, status: run.status === 'awaiting-approval' ? 'running' : run.status }, `Spec ${event.specId} approved`);
    case 'checkpoint.created':
      return info({ ...run, checkpoint: event.ref }, `Checkpoint ${event.ref}`);
    case 'worktree.created':
      return info({ ...run, worktree: { path: event.path, outcome: 'pending', ...(event.workspace ? { workspace: event.workspace } : {}) } }, `Worktree ${event.path}`);
    case 'worktree.applied':
    case 'worktree.discarded':
    case 'worktree.branched': {
      if (!run.worktree) return run;
      const outcome = event.type === 'worktree.applied' ? 'applied' : event.type === 'worktree.branched' ? 'branched' : 'discarded';
      return { ...run, worktree: { ...run.worktree, outcome, ...(event.type === 'worktree.branched' ? { branch: event.branch } : {}) } };
    }
    // The deploy step after COMPLETE.
    case 'deploy.completed':
      return info({ ...run, deploy: { deployed: true } }, `Deployed: ${event.commands.join('; ')}`);
    case 'smoke.passed':
      return info({ ...run, deploy: { deployed: run.deploy?.deployed ?? false, smoke: 'passed' } }, `Smoke tests passed: ${event.commands.join('; ')}`);
    case 'smoke.failed':
      return log({ ...run, deploy: { deployed: run.deploy?.deployed ?? false, smoke: 'failed', detail: `${event.command} (exit ${event.exitCode ?? 'timeout'})` } }, {
        level: 'error',
        text: `Smoke test failed: ${event.command} (exit ${event.exitCode ?? 'timeout'})`,
      });
    case 'confirmation':
      return info(run, `${event.question} → ${event.answer ? 'yes' : 'no'}`);
    case 'log':
      return log(run, { level: event.level, text: event.message });
    case 'understood':
      return info(run, `${event.entity ?? 'No entity'} (${event.known ? 'known' : 'new'}): layers ${event.layers.join(', ') || 'none'}`);
    case 'diagnosis':
      return info(run, `Diagnosis: ${event.rootCause}`);
    case 'spec.changes-requested':
      return info(run, `Changes requested: ${event.feedback}`);
    case 'spec.completed':
      return info({ ...run, specPath: event.path }, `Spec moved to ${event.path}`);
    case 'agent.blocked':
      return log(patchAgent(run, event.agent, (a) => ({ ...a, state: 'failed', outcome: 'blocked', summary: event.reason })), {
        level: 'error',
        text: `${event.agent} is blocked: ${event.reason}`,
      });
    case 'run.stopped':
      return log(moveAgents({ ...run, status: 'stopped', stop: { reason: event.reason, report: event.report } }, ['running', 'retry'], 'cancelled'), {
        level: 'error',
        text: `Pipeline stopped: ${event.reason}`,
      });
    case 'run.rolled-back':
      return info({ ...run, status: 'rolled-back' }, `Rolled back: ${event.restored.length} files restored, ${event.removed.length} removed`);
    case 'run.completed': {
      const status = statusFromSummary(event.summary);
      const next = status === 'completed' ? moveAgents(run, ['validating'], 'passed') : run;
      return info({ ...next, status }, `Run ${status}`);
    }
    // Traceability and blocks (issue 10): the matrix after each phase, blocks as arrows while open.
    case 'trace.updated':
      return applyTraceEvent(run, event);
    case 'block.reported':
      return info(
        patchAgent(applyTraceEvent(run, event), event.from, (a) => ({ ...a, state: 'waiting', outcome: 'blocked', summary: `blocked on ${event.to}: ${event.request}` })),
        `${event.from} is blocked on ${event.to}: ${event.request}`,
      );
    case 'block.resolved':
      return info(applyTraceEvent(run, event), `${event.to} resolved ${event.from}'s block`);
    default:
      return run;
  }
}
