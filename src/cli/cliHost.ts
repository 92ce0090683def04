import { visibleLine } from './terminal';
import type { EngineEvent } from '../core/events';
import type { ConfirmationRequest, Host, SpecDecision, SpecDecisionRequest } from '../core/host';
import { inSeconds } from '../shared/viewState';

/** The headless host: no human at the keyboard, so flags answer the questions. */
export class CliHost implements Host {
  constructor(
    private readonly options: { approve: boolean; yes: boolean; progress: (line: string) => void },
  ) {}

  async decideSpec(request: SpecDecisionRequest): Promise<SpecDecision> {
    if (this.options.approve) return { action: 'approve' };
    if (request.phase !== undefined) {
      this.options.progress(`phase ${request.phase} waits at its gate: ${(request.documents ?? []).join(', ') || request.specPath} (approve with: orchestrator approve ${request.specId})`);
      return { action: 'save' };
    }
    this.options.progress(`spec saved: ${request.specPath} (approve with: orchestrator approve ${request.specId})`);
    return { action: 'save' };
  }

  /** No human here: only --yes allows it (the engine journals and prints the answer). */
  async confirm(_request: ConfirmationRequest): Promise<boolean> {
    return this.options.yes;
  }

  onEvent(event: EngineEvent): void {
    const line = describeEvent(event);
    if (line) this.options.progress(line);
  }

  async getApiKey(): Promise<string | undefined> {
    return process.env.ANTHROPIC_API_KEY || undefined;
  }

  async getProviderKey(provider: string): Promise<string | undefined> {
    return provider === 'openai' ? process.env.OPENAI_API_KEY || undefined : undefined;
  }

  isTrusted(): boolean {
    // Running the CLI in a folder is the user's explicit choice to run its commands.
    return true;
  }
}

/** One short progress line per event worth showing; undefined for the chatty ones. */
/** What a tool call works on: its file, or its command. */
function toolTarget(input: unknown): string {
  const fields = (input ?? {}) as Record<string, unknown>;
  // Claude Code's file_path, opencode's filePath, our path.
  const target = fields.file_path ?? fields.filePath ?? fields.path ?? fields.notebook_path ?? fields.command ?? fields.pattern;
  return typeof target === 'string' ? ` ${firstLine(target)}` : '';
}

export function describeEvent(event: EngineEvent): string | undefined {
  switch (event.type) {
    case 'run.started':
      return `run ${event.runId} (${event.kind})`;
    case 'phase.started':
      return `▶ ${event.phase}`;
    // Workflows (issue 29): role phases' gates, the reviewer's rounds, the squads' backlogs.
    case 'phase.retry':
      return `  ↻ ${event.phase}: its gate failed, the role writes again (${event.attempt}/${event.max})`;
    case 'phase.approved':
      return `  ✓ ${event.phase} approved at its gate`;
    case 'phase.saved':
      return `  ${event.phase} saved at its gate: ${event.documents.join(', ')}`;
    case 'phase.changes-requested':
      return `  ${event.phase}: changes requested — ${firstLine(event.feedback)}`;
    case 'engineer.cto.response':
      return `  ${event.phase} round ${event.round}: the ${event.to} ${event.accepted ? 'accepted' : 'asks again'}`;
    case 'module.planned':
      return `  ${event.squad}: backlog planned (${event.documents.join(', ')})`;
    case 'phase.layer.done':
      return `  ${event.phase} for ${event.layer}: ${event.documents.join(', ') || 'done'}`;
    case 'wave.started':
      return `  wave ${event.wave}/${event.of}: ${event.layers.join(', ')}`;
    case 'agent.started':
      return `  ${event.agent}: ${event.mode}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}${event.runner && event.runner !== 'agent' ? ` on ${event.runner}` : ''}`;
    case 'tool.called':
      // A CLI agent's stream (our own agent's calls show as the files they write).
      return event.runner ? visibleLine(`    · ${event.agent} ${event.tool}${toolTarget(event.input)}${event.isError ? ' (refused)' : ''}`) : undefined;
    case 'agent.completed':
      return `  ${event.agent}: ${event.outcome}${event.summary ? ` — ${firstLine(event.summary)}` : ''}`;
    case 'file.written':
      return `    ${event.created ? '+' : '~'} ${event.path}`;
    case 'file.deleted':
      return `    - ${event.path}`;
    case 'validation.failed':
      return `  ✗ ${event.layer}: ${event.command} (exit ${event.exitCode ?? 'timeout'})`;
    case 'validation.passed':
      return `  ✓ ${event.layer} validated`;
    case 'sandbox.off':
      return '  ⚠ sandbox: off: agents and commands run unconfined';
    case 'sandbox.denied':
      return visibleLine(`  ⛔ ${event.layer ?? event.agent ?? 'sandbox'}: the sandbox refused ${event.kind} ${event.target}${event.command ? ` (${event.command})` : ''}`);
    case 'retry':
      return `  ↻ ${event.layer} retry ${event.attempt}/${event.max}`;
    case 'review.skipped':
      return `  review skipped: ${event.reason}`;
    case 'review.verdict':
      return `  review round ${event.round}: ${event.verdict}${event.issues.length ? ` (${event.issues.length} issues)` : ''}`;
    case 'budget.exceeded':
      return `budget reached: $${event.spentUsd.toFixed(4)} of $${event.limitUsd}`;
    case 'llm.retry':
      return `  ${event.agent}: model call retried (${event.reason})`;
    case 'llm.waiting':
      return `  ${event.agent}: waiting for the API: ${event.reason}, retry ${event.attempt} in ${inSeconds(event.retryInMs)} (gives up in ${inSeconds(event.windowLeftMs)}; Ctrl-C stops, resume continues)`;
    case 'llm.recovered':
      return `  ${event.agent}: the API answered again`;
    case 'llm.compacted':
      return `  ${event.agent}: older tool results compacted to fit the context window (~${event.tokensBefore} → ~${event.tokensAfter} tokens)`;
    case 'checkpoint.created':
      return `  checkpoint ${event.ref}`;
    case 'worktree.created':
      return `  worktree ${event.path} (from ${event.commit.slice(0, 12)}; your checkout is not touched)`;
    case 'worktree.ready':
      return `  worktree ready${event.linked.length ? `, linked ${event.linked.join(', ')}` : ''}`;
    case 'deploy.completed':
      return `  ✓ deployed: ${event.commands.join('; ')}`;
    case 'smoke.passed':
      return `  ✓ smoke tests passed`;
    case 'smoke.failed':
      return `  ✗ smoke test: ${event.command} (exit ${event.exitCode ?? 'timeout'})`;
    case 'run.stopped':
      return `■ stopped: ${event.reason}`;
    case 'understood':
      return `  ${event.entity ? `entity ${event.entity} (${event.known ? 'known' : 'new'})` : 'no specific entity'}; layers: ${event.layers.join(', ')}${event.modules?.length ? `; related modules: ${event.modules.slice(0, 4).join(', ')}${event.modules.length > 4 ? ` and ${event.modules.length - 4} more` : ''}` : ''}`;
    case 'diagnosis':
      return `  root cause: ${firstLine(event.rootCause)}`;
    case 'spec.saved':
      return `  spec written: ${event.path}`;
    case 'spec.approved':
      return `  spec approved: ${event.specId}`;
    case 'tasks.assigned':
      return visibleLine(`  tasks naming no file: ${[...event.tasks.map((t) => `${t.task} → ${t.layer} (${t.source})`), ...event.notImplementable.map((t) => `${t.task} not implementable`)].join(', ')}`);
    case 'change.requested':
      return `  change ${event.changeId} picked up: the spec agent amends the spec`;
    case 'change.approved':
      return `  amendment approved: spec ${event.specId} v${event.version}; requirements changed: ${event.requirements.join(', ') || 'none'}; layers to run again: ${event.layers.join(', ') || 'none'}`;
    case 'change.declined':
      return `  change ${event.changeId} declined (${event.reason}); the approved spec stays (with the CLI, approve an amendment with --approve)`;
    case 'spec.completed':
      return `  spec completed: ${event.path}`;
    case 'agent.blocked':
      return `  ${event.agent}: blocked — ${firstLine(event.reason)}`;
    case 'confirmation':
      return `  confirm: ${event.question} → ${event.answer ? 'yes' : 'no'}`;
    case 'log':
      return event.level === 'info' ? undefined : `${event.level}: ${event.message}`;
    case 'audit.discovered':
      return `  ${event.discovery.files} files, ${event.discovery.loc} lines of code; ${event.discovery.languages.slice(0, 3).map((l) => l.language).join(', ') || 'no known language'}; ${event.discovery.dependencies.length} dependencies`;
    case 'audit.scored':
      return `  score ${event.score}/100 (${event.iteration === 0 ? 'baseline' : `after iteration ${event.iteration}`})${event.dimensions ? ` = lowest of ${Object.entries(event.dimensions).map(([name, score]) => `${name} ${score}`).join(', ')}` : ''}: ${event.findings.length} findings`;
    case 'audit.skipped':
      return `  left for a human: ${event.findings.join(', ')} (${event.reason})`;
    case 'audit.tested':
      return event.runs.map((run) => `  ${run.exitCode === 0 ? '✓' : '✗'} ${run.command}${run.passed !== undefined ? ` (${run.passed} passed, ${run.failed ?? 0} failed${run.coverage !== undefined ? `, coverage ${run.coverage}%` : ''})` : ''}`).join('\n') || undefined;
    case 'audit.report':
      return `report: ${event.path}`;
    // Blocks and the traceability matrix (issue 10).
    case 'block.reported':
      return `  ⧖ block ${event.block}: ${event.from} needs ${event.to} — ${firstLine(event.request)}`;
    case 'block.resolved':
      return `  ✓ block ${event.block} resolved by ${event.to}${event.files.length ? ` (${event.files.join(', ')})` : ''}`;
    case 'trace.updated': {
      const { rows, requirementsWithoutFile, criteriaWithoutTest, notLinked, doneBeforeImport } = event.matrix;
      const gaps = [
        requirementsWithoutFile.length ? `no file: ${requirementsWithoutFile.join(', ')}` : '',
        notLinked.length ? `not linked in the source: ${notLinked.length}` : '',
        doneBeforeImport.length ? `done before import: ${doneBeforeImport.length}` : '',
        criteriaWithoutTest.length ? `no test: ${criteriaWithoutTest.length}` : '',
      ].filter(Boolean);
      return `  trace: ${rows.length} criteria${gaps.length ? ` (${gaps.join('; ')})` : ''}`;
    }
    default:
      return undefined;
  }
}

const firstLine = (text: string): string => text.split('\n')[0]!.slice(0, 160);
