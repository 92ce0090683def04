/** The run and its phases: start and end, gates, the spec, changes, the workflow's roles. */
import { endStatusOf, nothing } from './meaning';
import { clip, firstLine, list, oneLine, uncheckedLine, type Entries } from './words';

export const runEntries = {
  'run.started': {
    state: (e) => ({
      start: {
        runId: e.runId,
        kind: e.kind,
        request: e.request,
        specId: e.specId,
        workflow: e.workflow,
        allowUntested: e.allowUntested,
        ...(e.allowUnchecked ? { allowUnchecked: true as const } : {}),
        ...(e.sandbox === 'off' ? { sandboxOff: true as const } : {}),
      },
    }),
    words: (e) => ({
      level: 'info',
      depth: 0,
      text: `run ${e.runId} started (${e.kind})`,
      detail: clip(e.request, 300),
    }),
  },
  'run.completed': {
    state: (e) => ({ completed: { status: endStatusOf(e.summary), summary: e.summary } }),
    words: (e) => ({ level: 'info', depth: 0, text: `run ${e.runId} completed`, progress: false }),
  },
  'run.stopped': {
    state: (e) => ({
      stopped: { reason: e.reason, report: e.report, cancelled: e.reason === 'cancelled', untested: e.untested },
    }),
    words: (e) =>
      e.reason === 'unchecked'
        ? {
            level: 'warn',
            depth: 0,
            text: '■ unchecked: nothing checked part of the change',
            detail: clip(e.report, 8000),
          }
        : { level: 'error', depth: 0, text: `■ stopped: ${e.reason}`, detail: clip(e.report, 8000) },
  },
  'run.unchecked': {
    state: (e) => ({ unchecked: { layers: e.layers, accepted: e.accepted } }),
    words: (e) => ({
      level: 'warn',
      depth: 1,
      text: uncheckedLine(e.layers, e.accepted),
    }),
  },
  'run.rolled-back': {
    state: () => ({ rolledBack: true }),
    words: (e) => ({
      level: 'info',
      depth: 0,
      text: `rolled back: ${e.restored.length} files restored, ${e.removed.length} removed`,
      progress: false,
    }),
  },
  'followup.started': {
    state: (e) => ({ kept: e.kept }),
    words: (e) => ({
      level: 'info',
      depth: 0,
      text: `follow-up of run ${e.of} from ${e.base.slice(0, 12)}${e.kept.length ? `; kept: ${list(e.kept.map((k) => k.layer))}` : ''}${e.fix ? `; ${e.fix.layer} to fix: ${e.fix.command}` : ''}`,
      progress: false,
    }),
  },
  'phase.started': {
    state: (e) => ({ phase: { name: e.phase } }),
    words: (e) => ({ level: 'info', depth: 0, text: `▶ ${e.phase}` }),
  },
  'phase.completed': {
    state: (e) => ({ phase: { name: e.phase, ms: e.ms } }),
    words: (e) => ({ level: 'info', depth: 0, text: `phase ${e.phase} done in ${e.ms} ms`, progress: false }),
  },
  'phase.closed': {
    state: (e) => ({ phaseClosed: { phase: e.phase, documents: e.documents } }),
    words: (e) => ({ level: 'info', depth: 1, text: `${e.phase} closed: ${list(e.documents)}`, progress: false }),
  },
  'phase.retry': {
    state: (e) => ({ phaseRetry: { phase: e.phase, attempt: e.attempt, max: e.max, report: e.report } }),
    words: (e) => ({
      level: 'warn',
      depth: 1,
      text: `↻ ${e.phase}: its gate failed, the role writes again (${e.attempt}/${e.max})`,
      detail: clip(e.report, 8000),
    }),
  },
  'phase.approved': {
    state: (e) => ({ gate: { phase: e.phase, decision: 'approved' } }),
    words: (e) => ({ level: 'info', depth: 1, text: `✓ ${e.phase} approved at its gate` }),
  },
  'phase.saved': {
    state: (e) => ({ gate: { phase: e.phase, decision: 'saved', documents: e.documents } }),
    words: (e) => ({ level: 'info', depth: 1, text: `${e.phase} saved at its gate: ${e.documents.join(', ')}` }),
  },
  'phase.changes-requested': {
    state: (e) => ({ gate: { phase: e.phase, decision: 'changes-requested', feedback: e.feedback } }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.phase}: changes requested — ${firstLine(e.feedback)}`,
      detail: clip(e.feedback, 1000),
    }),
  },
  'phase.awaiting': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.phase} waits at its gate: ${list(e.documents)}`,
      progress: false,
    }),
  },
  'phase.decided': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.phase}: ${e.by} decided ${e.action}${e.feedback ? ` — ${firstLine(e.feedback)}` : ''}`,
      progress: false,
    }),
  },
  'phase.layer.done': {
    state: nothing,
    words: (e) => ({ level: 'info', depth: 1, text: `${e.phase} for ${e.layer}: ${e.documents.join(', ') || 'done'}` }),
  },
  'wave.started': {
    state: (e) => ({ wave: { index: e.wave, of: e.of, layers: e.layers } }),
    words: (e) => ({ level: 'info', depth: 1, text: `wave ${e.wave}/${e.of}: ${e.layers.join(', ')}` }),
  },
  // Seed 003's roles: the reviewer's rounds with a phase's role, the squads' backlogs and needs, the Monitor.
  'cto.engineer.request': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.phase} round ${e.round}: the ${e.from} asks the ${e.to} — ${firstLine(e.request)}`,
      progress: false,
    }),
  },
  'engineer.cto.response': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.phase} round ${e.round}: the ${e.to} ${e.accepted ? 'accepted' : 'asks again'}`,
    }),
  },
  'module.planned': {
    state: nothing,
    words: (e) => ({ level: 'info', depth: 1, text: `${e.squad}: backlog planned (${e.documents.join(', ')})` }),
  },
  'pm.cto.dependency_request': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `⧖ ${e.from} needs ${e.to} (block ${e.block}) — ${firstLine(e.request)}`,
      progress: false,
    }),
  },
  'monitor.alert': {
    state: nothing,
    words: (e) => ({
      level: 'warn',
      depth: 1,
      text: `⚠ ${e.alert}${e.subject ? ` (${e.subject})` : ''}: ${e.message}`,
      progress: false,
    }),
  },
  understood: {
    state: (e) => ({
      understood: { entity: e.entity, known: e.known, layers: e.layers, pattern: e.pattern, modules: e.modules },
    }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.entity ? `entity ${e.entity} (${e.known ? 'known' : 'new'})` : 'no specific entity'}; layers: ${e.layers.join(', ')}${e.modules?.length ? `; related modules: ${e.modules.slice(0, 4).join(', ')}${e.modules.length > 4 ? ` and ${e.modules.length - 4} more` : ''}` : ''}`,
      ...(e.pattern || (e.modules?.length ?? 0) > 4
        ? {
            detail: [
              e.pattern ? `pattern: ${e.pattern}` : '',
              (e.modules?.length ?? 0) > 4 ? `related modules: ${e.modules!.join(', ')}` : '',
            ]
              .filter(Boolean)
              .join('\n'),
          }
        : {}),
    }),
  },
  diagnosis: {
    state: (e) => ({
      diagnosis: { rootCause: e.rootCause, proposedFix: e.proposedFix, files: e.files, layers: e.layers },
    }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `root cause: ${firstLine(e.rootCause)}`,
      detail: `diagnosis: ${e.rootCause}\nfix: ${e.proposedFix}\nfiles: ${e.files.join(', ')}`,
    }),
  },
  'spec.saved': {
    state: (e) => ({ specSaved: { id: e.specId, path: e.path } }),
    words: (e) => ({ level: 'info', depth: 1, text: `spec written: ${e.path}` }),
  },
  'spec.approved': {
    state: (e) => ({ specApproved: { id: e.specId } }),
    words: (e) => ({ level: 'info', depth: 1, text: `spec approved: ${e.specId}` }),
  },
  'spec.changes-requested': {
    state: (e) => ({ specChangesRequested: { id: e.specId, feedback: e.feedback } }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `spec ${e.specId}: changes requested — ${firstLine(e.feedback)}`,
      detail: clip(e.feedback, 1000),
      progress: false,
    }),
  },
  'spec.completed': {
    state: (e) => ({ specMoved: { id: e.specId, path: e.path, commit: e.commit } }),
    words: (e) => ({ level: 'info', depth: 1, text: `spec completed: ${e.path}` }),
  },
  'spec.ticked': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: e.done
        ? `✓ ${e.layer}: ${e.items.length} line${e.items.length === 1 ? '' : 's'} of the spec ticked${e.source ? ` (and in ${e.source.path})` : ''}`
        : `${e.layer} works again: its ${e.items.length} tick${e.items.length === 1 ? '' : 's'} in the spec taken back`,
      detail: e.items.map((item) => `- [${e.done ? 'x' : ' '}] ${item}`).join('\n'),
    }),
  },
  'tasks.assigned': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: oneLine(
        `tasks naming no file: ${[...e.tasks.map((t) => `${t.task} → ${t.layer} (${t.source})`), ...e.notImplementable.map((t) => `${t.task} not implementable`)].join(', ')}`,
      ),
      detail: [
        ...e.tasks.map((t) => `${t.task} → ${t.layer}: ${t.reason}`),
        ...e.notImplementable.map((t) => `${t.task} not implementable: ${t.reason}`),
      ].join('\n'),
    }),
  },
  'change.requested': {
    state: nothing,
    words: (e) => ({ level: 'info', depth: 1, text: `change ${e.changeId} picked up: the spec agent amends the spec` }),
  },
  'change.approved': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `amendment approved: spec ${e.specId} v${e.version}; requirements changed: ${list(e.requirements)}; layers to run again: ${list(e.layers)}`,
    }),
  },
  'change.declined': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `change ${e.changeId} declined (${e.reason}); the approved spec stays (with the CLI, approve an amendment with --approve)`,
    }),
  },
  confirmation: {
    state: (e) => ({
      confirmation: { question: e.question, answer: e.answer, kind: e.kind, agent: e.agent, paths: e.paths },
    }),
    words: (e) => ({ level: 'info', depth: 1, text: `confirm: ${e.question} → ${e.answer ? 'yes' : 'no'}` }),
  },
  'question.asked': {
    state: (e) =>
      e.kind === 'gate' && !('confirmation' in e.about)
        ? { gateAsked: { id: e.id, ...(e.about.phase !== undefined ? { phase: e.about.phase } : {}) } }
        : {},
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `? ${e.kind} ${e.id}: ${clip(oneLine(e.words), 300)}`,
      detail: `answered by ${e.answeredBy}${e.waitSec !== undefined ? `; a host that waits for someone waits ${e.waitSec} s` : ''}`,
      progress: false,
    }),
  },
  'question.answered': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.id} → ${e.answer}${e.by === 'up-front' ? ' (given with the run)' : e.by === 'later' ? ` (given later${e.who ? ` by ${clip(oneLine(e.who), 100)}` : ''})` : ''}`,
      progress: false,
    }),
  },
  'question.parked': {
    state: (e) => ({ parked: { id: e.id } }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.id} waits for its answer: ${clip(oneLine(e.why), 300)}`,
    }),
  },
  log: {
    state: nothing,
    words: (e) => ({
      level: e.level,
      depth: 0,
      text: e.level === 'info' ? e.message : `${e.level}: ${e.message}`,
      ...(e.level === 'info' ? { progress: false as const } : {}),
    }),
  },
  'budget.exceeded': {
    state: ({ type: _type, ...budget }) => ({ budget }),
    words: (e) => ({ level: 'error', depth: 0, text: `budget reached: $${e.spentUsd.toFixed(4)} of $${e.limitUsd}` }),
  },
  'checkpoint.created': {
    state: (e) => ({ checkpoint: { ref: e.ref, commit: e.commit } }),
    words: (e) => ({ level: 'info', depth: 1, text: `checkpoint ${e.ref}`, detail: `commit ${e.commit}` }),
  },
  'queue.task': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.layer}: sent to the task queue as ${e.taskId}`,
      progress: false,
    }),
  },
  'deploy.completed': {
    state: () => ({ deploy: { step: 'deployed' } }),
    words: (e) => ({ level: 'info', depth: 1, text: `✓ deployed: ${e.commands.join('; ')}`, detail: `in ${e.ms} ms` }),
  },
  'smoke.passed': {
    state: () => ({ deploy: { step: 'smoke passed' } }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `✓ smoke tests passed`,
      detail: `${e.commands.join('; ')} (${e.ms} ms)`,
    }),
  },
  'smoke.failed': {
    state: (e) => ({ deploy: { step: 'smoke failed', detail: `${e.command} (exit ${e.exitCode ?? 'timeout'})` } }),
    words: (e) => ({
      level: 'error',
      depth: 1,
      text: `✗ smoke test: ${e.command} (exit ${e.exitCode ?? 'timeout'})`,
      detail: clip(e.output, 8000),
    }),
  },
} satisfies Entries;
