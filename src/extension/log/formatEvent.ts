/**
 * Turns an engine event into one log line and a level for the LogOutputChannel. Pure.
 * Tool inputs and results are not logged in full: they hold whole files.
 */
import type { EngineEvent } from '../../core/events';

export type LogLevel = 'trace' | 'info' | 'warn' | 'error';

export interface LogLine {
  level: LogLevel;
  text: string;
}

const clip = (s: string, n = 2000): string => (s.length <= n ? s : `${s.slice(0, n)}… (${s.length - n} more)`);

export function formatEvent(e: EngineEvent): LogLine {
  switch (e.type) {
    case 'run.started':
      return { level: 'info', text: `run ${e.runId} started (${e.kind}): ${clip(e.request, 300)}` };
    case 'run.completed':
      return { level: 'info', text: `run ${e.runId} completed` };
    case 'run.stopped':
      return { level: 'error', text: `run ${e.runId} stopped: ${e.reason}\n${clip(e.report, 8000)}` };
    case 'phase.started':
      return { level: 'info', text: `phase ${e.phase}` };
    case 'phase.completed':
      return { level: 'info', text: `phase ${e.phase} done in ${e.ms} ms` };
    case 'wave.started':
      return { level: 'info', text: `wave ${e.wave}/${e.of}: ${e.layers.join(', ')}` };
    case 'agent.started':
      return { level: 'info', text: `${e.agent}: ${e.mode} (attempt ${e.attempt})` };
    case 'agent.completed':
      return { level: e.outcome === 'submitted' ? 'info' : 'warn', text: `${e.agent}: ${e.outcome}${e.summary ? ` — ${clip(e.summary, 500)}` : ''}` };
    case 'tool.called': {
      const path = (e.input as { path?: unknown } | null)?.path;
      return { level: e.isError ? 'warn' : 'trace', text: `${e.agent} → ${e.tool}${typeof path === 'string' ? ` ${path}` : ''}${e.isError ? `: ${clip(e.result, 300)}` : ''}` };
    }
    case 'file.written':
      return { level: 'info', text: `${e.agent} ${e.created ? 'created' : 'wrote'} ${e.path} (${e.bytes} bytes)` };
    case 'file.deleted':
      return { level: 'info', text: `${e.agent} deleted ${e.path} (${e.lines} lines)` };
    case 'llm.usage':
      return { level: 'trace', text: `${e.agent} ${e.model}: in ${e.usage.input}, out ${e.usage.output}, cache r/w ${e.usage.cacheRead}/${e.usage.cacheWrite}, $${e.costUsd.toFixed(4)}, ${e.ms} ms` };
    case 'llm.retry':
      return { level: 'warn', text: `${e.agent}: model call retry ${e.attempt} (${e.reason})` };
    case 'validation.started':
      return { level: 'info', text: `${e.layer}: validate \`${e.command}\`` };
    case 'validation.passed':
      return { level: 'info', text: `${e.layer}: validation passed` };
    case 'validation.failed':
      return { level: 'warn', text: `${e.layer}: \`${e.command}\` failed (exit ${e.exitCode ?? 'none'})\n${clip(e.output, 8000)}` };
    case 'retry':
      return { level: 'warn', text: `${e.layer}: retry ${e.attempt}/${e.max}` };
    case 'review.skipped':
      return { level: 'info', text: `review skipped: ${e.reason}` };
    case 'review.verdict':
      return {
        level: e.verdict === 'approved' ? 'info' : 'warn',
        text: [`review round ${e.round}: ${e.verdict}`, ...e.issues.map((i) => `  [${i.severity}] ${i.file}${i.line ? `:${i.line}` : ''} ${i.problem} → ${i.fix}`)].join('\n'),
      };
    case 'budget.exceeded':
      return { level: 'error', text: `budget reached: $${e.spentUsd.toFixed(2)} of $${e.limitUsd.toFixed(2)}` };
    case 'spec.saved':
      return { level: 'info', text: `spec ${e.specId} saved at ${e.path}` };
    case 'spec.approved':
      return { level: 'info', text: `spec ${e.specId} approved` };
    case 'tasks.assigned':
      return { level: 'info', text: [`tasks naming no file of spec ${e.specId}:`, ...e.tasks.map((t) => `  ${t.task} → ${t.layer} (${t.source}: ${t.reason})`), ...e.notImplementable.map((t) => `  ${t.task} not implementable: ${t.reason}`)].join('\n') };
    case 'checkpoint.created':
      return { level: 'info', text: `checkpoint ${e.ref} (${e.commit})` };
    case 'deploy.completed':
      return { level: 'info', text: `deployed: ${e.commands.join('; ')} (${e.ms} ms)` };
    case 'smoke.passed':
      return { level: 'info', text: `smoke tests passed: ${e.commands.join('; ')} (${e.ms} ms)` };
    case 'smoke.failed':
      return { level: 'error', text: `smoke test failed: ${e.command} (exit ${e.exitCode ?? 'timeout'})` };
    case 'confirmation':
      return { level: 'info', text: `confirm: ${e.question} → ${e.answer ? 'yes' : 'no'}` };
    case 'log':
      return { level: e.level, text: e.message };
    case 'understood':
      return { level: 'info', text: `understood: ${e.entity ?? 'no entity'} (${e.known ? 'known' : 'new'}${e.pattern ? `, ${e.pattern}` : ''}), layers ${e.layers.join(', ') || 'none'}${e.modules?.length ? `; related modules: ${e.modules.join(', ')}` : ''}` };
    case 'diagnosis':
      return { level: 'info', text: `diagnosis: ${e.rootCause}\nfix: ${e.proposedFix}\nfiles: ${e.files.join(', ')}` };
    case 'spec.changes-requested':
      return { level: 'info', text: `spec ${e.specId}: changes requested: ${clip(e.feedback, 1000)}` };
    case 'spec.completed':
      return { level: 'info', text: `spec ${e.specId} completed: ${e.path}` };
    case 'agent.blocked':
      return { level: 'error', text: `${e.agent} blocked: ${e.reason}` };
    case 'audit.started':
      return { level: 'info', text: `audit of ${e.settings.target} (${e.settings.dimension}) to ${e.settings.targetScore}/100, at most ${e.settings.maxIterations} iterations, budget $${e.settings.maxBudgetUsd}` };
    case 'audit.discovered':
      return { level: 'info', text: `discovery: ${e.discovery.files} files, ${e.discovery.loc} lines of code, ${e.discovery.dependencies.length} dependencies` };
    case 'audit.scored':
      return {
        level: 'info',
        text: [`audit ${e.iteration === 0 ? 'baseline' : `after iteration ${e.iteration}`}: ${e.score}/100`, ...e.findings.map((f) => `  [${f.severity}] ${f.id} ${f.file ?? ''}${f.line ? `:${f.line}` : ''} ${f.description}`)].join('\n'),
      };
    case 'audit.job.started':
      return { level: 'info', text: `${e.phase}: ${e.layer} (${e.role}) takes ${e.findings.join(', ')}` };
    case 'audit.job.ended':
      return { level: e.outcome === 'done' ? 'info' : 'warn', text: `${e.job}: ${e.outcome} — ${clip(e.summary, 500)}` };
    case 'audit.skipped':
      return { level: 'warn', text: `left for a human: ${e.findings.join(', ')} (${e.reason})` };
    case 'audit.tested':
      return { level: 'info', text: e.runs.map((r) => `test \`${r.command}\`: exit ${r.exitCode ?? 'none'}${r.passed !== undefined ? `, ${r.passed} passed, ${r.failed ?? 0} failed` : ''}${r.coverage !== undefined ? `, coverage ${r.coverage}%` : ''}`).join('\n') || 'no tests configured' };
    case 'audit.report':
      return { level: 'info', text: `audit report (${e.reason}): ${e.path}` };
    default:
      return { level: 'trace', text: `event ${(e as { type: string }).type}` };
  }
}
