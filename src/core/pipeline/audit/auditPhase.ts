/**
 * AUDIT and RE-AUDIT: the audit agent (read-only tools, the dimension's template, DISCOVERY's
 * facts) scores the target and lists its findings with `submit_audit`; findings citing a
 * file outside the target or a line past a file's end are refused back to it (findingCheck).
 *
 * A re-audit continues the previous audit's conversation (in this process), told what the
 * iteration changed: it knows its earlier findings and reads the whole earlier audit from the
 * prompt cache. A resumed run, or a conversation grown too long, starts afresh with the
 * previous findings in the task.
 */
import { modelFor, normalizeWorkspacePath } from '../../project/config';
import type { AuditFinding } from '../../agents';
import type { Message } from '../../llm';
import { assembleContext, runPipelineAgent } from '../agent';
import { MAX_CONTINUED_CHARS } from '../layers';
import type { RunContext } from '../kernel';
import { readAuditFacts, scoresOf, type AuditFacts } from './auditFacts';
import { auditContext, auditSystem, firstAuditTask, reauditTask } from './auditPrompts';
import { checkFindings } from './findingCheck';
import { AUDIT_PHASES, iterationPhase } from './phaseNames';
import { strategyNote } from './stopRule';
import type { AuditSettings, Finding } from '../../auditTypes';

export const AUDIT_MAX_TOKENS = 16384;

/** Per run and dimension: the latest audit's conversation, for the next re-audit to continue. */
const conversations = new WeakMap<RunContext, Map<string, Message[]>>();

/**
 * `iteration` 0 is the baseline AUDIT; n > 0 the RE-AUDIT after iteration n's work. Several
 * dimensions are audited one after the other, each by its own agent with its own template; the
 * score journaled is the lowest, with each dimension's beside it, and the findings of all (their
 * ids led by their dimension's name).
 */
export async function auditPhase(ctx: RunContext, settings: AuditSettings, iteration: number): Promise<void> {
  const facts = readAuditFacts(ctx.events);
  if (!facts.discovery) throw new Error(`run ${ctx.runId}: DISCOVERY left no facts in the journal`);
  if (!settings.dimensions) {
    const { score, findings } = await auditOne(ctx, settings, facts, iteration, '');
    ctx.emit({ type: 'audit.scored', iteration, score, findings });
    return;
  }
  const scores: Record<string, number> = {};
  const findings: Finding[] = [];
  for (const { name, template } of settings.dimensions) {
    const one = await auditOne(ctx, { ...settings, dimension: name, template }, facts, iteration, `${name}-`);
    scores[name] = one.score;
    findings.push(...one.findings);
  }
  ctx.emit({
    type: 'audit.scored',
    iteration,
    score: Math.min(...Object.values(scores)),
    findings,
    dimensions: scores,
  });
}

async function auditOne(
  ctx: RunContext,
  settings: AuditSettings,
  facts: AuditFacts,
  iteration: number,
  idPrefix: string,
): Promise<{ score: number; findings: Finding[] }> {
  const audited = facts.audits.at(-1);
  const previous = audited && { ...audited, findings: audited.findings.filter((f) => f.id.startsWith(idPrefix)) };
  const byDimension = conversations.get(ctx) ?? new Map<string, Message[]>();
  conversations.set(ctx, byDimension);
  const kept = byDimension.get(idPrefix);
  const continues = iteration > 0 && kept && JSON.stringify(kept).length <= MAX_CONTINUED_CHARS ? kept : undefined;
  const { final, conversation } = await runPipelineAgent(ctx, {
    name: 'audit',
    mode: 'audit',
    attempt: ctx.events.filter((e) => e.type === 'agent.started' && e.agent === 'audit').length + 1,
    model: modelFor(ctx.config, 'audit'),
    maxTokens: AUDIT_MAX_TOKENS,
    system: auditSystem(),
    context: auditContext(settings, facts.discovery!, await assembleContext(ctx, 'audit', { name: null })),
    task:
      iteration === 0 || !previous
        ? firstAuditTask(settings)
        : reauditTask(reauditInput(ctx, facts, iteration, continues ? undefined : previous.findings)),
    ...(continues ? { continues } : {}),
    owns: [],
    finalTool: 'submit_audit',
    checkFinal: checkFindings(ctx.workspace, settings.target),
    maxTurns: ctx.config.limits.maxAgentTurns,
  });
  if (conversation) byDimension.set(idPrefix, conversation);
  return { score: Math.round(final.score * 10) / 10, findings: withIds(final.findings, iteration, idPrefix) };
}

/** What iteration `n` did, from the journal: jobs, findings left, refusals, files, tests. */
function reauditInput(ctx: RunContext, facts: AuditFacts, iteration: number, previousFindings: Finding[] | undefined) {
  // The iteration's events: from its first phase on.
  const first = iterationPhase(AUDIT_PHASES.closeGaps, iteration);
  const from = ctx.events.findIndex((e) => e.type === 'phase.started' && e.phase === first);
  const during = from < 0 ? [] : ctx.events.slice(from);
  const changed = new Set<string>();
  const refused: string[] = [];
  for (const event of during) {
    if (event.type === 'file.written' || event.type === 'file.deleted') changed.add(event.path);
    if (event.type === 'confirmation' && !event.answer) refused.push(event.question);
  }
  const scores = scoresOf(facts);
  const tests = facts.tests.get(iteration);
  const strategy = strategyNote(scores);
  return {
    iteration,
    previousScore: scores.at(-1) ?? 0,
    jobs: [...facts.jobs.values()].filter((job) => job.iteration === iteration),
    skipped: facts.skipped.filter((s) => s.iteration === iteration),
    refused,
    changedFiles: [...changed].sort(),
    ...(tests ? { tests } : {}),
    ...(strategy ? { strategy } : {}),
    ...(previousFindings ? { previousFindings } : {}),
  };
}

/** The auditor's ids where it gave them (made unique), `F{iteration}-{n}` where it did not. */
export function withIds(findings: readonly AuditFinding[], iteration: number, prefix = ''): Finding[] {
  const used = new Set<string>();
  return findings.map((finding, index) => {
    const base = `${prefix}${finding.id !== undefined && prefix !== '' && finding.id.startsWith(prefix) ? finding.id.slice(prefix.length) : (finding.id ?? `F${iteration}-${index + 1}`)}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}.${n}`;
    used.add(id);
    const file = finding.file === undefined ? undefined : normalizeWorkspacePath(finding.file);
    return {
      id,
      severity: finding.severity,
      description: finding.description,
      ...(file ? { file } : {}),
      ...(file && finding.line !== undefined ? { line: finding.line } : {}),
      recommendation: finding.recommendation,
    };
  });
}
