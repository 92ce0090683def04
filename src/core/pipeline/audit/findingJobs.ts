/**
 * A round of fixes (CLOSE GAPS' P0 round, its P1 round, ENHANCE): each finding goes to the
 * layer that owns its file, layers run in waves from `after:` as in IMPLEMENT, and each
 * layer's job goes through agent → the layer's own validation → retries (pipeline/layers).
 * Documentation findings are a job of their own on the documentation role's model.
 *
 * Each job is journaled (`audit.job.started` … `audit.job.ended`): a resumed run skips a job
 * that ended, continues one whose agent had started (a validated fix is never redone), and
 * starts the others.
 */
import { computeWaves, layerOwning, modelFor } from '../../project/config';
import { assembleContext, type CacheTurns, waveCacheTurns } from '../agent';
import { type LayerBrief, type LayerMode, runLayer } from '../layers';
import { type RunContext, runWaves } from '../kernel';
import { readAuditFacts, scoresOf, type ScoredAudit } from './auditFacts';
import { fixerRules, fixerSystem, fixerTask, type FixKind } from './auditPrompts';
import { strategyNote } from './stopRule';
import type { AuditRole, AuditSettings, Discovery, Finding, TestRun } from '../../auditTypes';

export interface FixRound {
  iteration: number;
  /** The phase it runs in, e.g. "CLOSE GAPS 2". */
  phase: string;
  /** Which severities, e.g. "P0" or "P2, P3"; names the round's jobs. */
  severities: string;
  findings: Finding[];
  work: 'fix' | 'enhance';
  tests?: TestRun[];
  strategy?: string;
}

const DOC_FILE = /(^|\/)(docs?\/|README[^/]*$|CHANGELOG[^/]*$)|\.(md|mdx|rst|adoc|txt)$/i;
const DOC_WORDS = /\b(docstrings?|documentation|document(ed|s|ing)?|jsdoc|tsdoc|xml ?doc|comments?|readme)\b/i;

/** A finding about documentation: a doc file, or described and recommended as docs. */
export function isDocumentation(finding: Finding): boolean {
  if (finding.file && DOC_FILE.test(finding.file)) return true;
  return DOC_WORDS.test(finding.description) && DOC_WORDS.test(finding.recommendation);
}

export interface Routed {
  byLayer: Map<string, Finding[]>;
  unrouted: { finding: Finding; reason: string }[];
}

/**
 * The layer owning each finding's file; a finding without a file goes to the one layer that
 * owns the whole target, if there is one. The rest are left for the human.
 */
export function routeFindings(
  ctx: Pick<RunContext, 'config'>,
  discovery: Discovery | undefined,
  findings: readonly Finding[],
): Routed {
  const soleLayer =
    discovery && discovery.unowned === 0 && discovery.layers.length === 1 ? discovery.layers[0]!.layer : undefined;
  const byLayer = new Map<string, Finding[]>();
  const unrouted: Routed['unrouted'] = [];
  for (const finding of findings) {
    const layer = finding.file ? layerOwning(ctx.config, finding.file) : soleLayer;
    if (layer !== undefined) byLayer.set(layer, [...(byLayer.get(layer) ?? []), finding]);
    else
      unrouted.push({
        finding,
        reason: finding.file ? `no layer owns ${finding.file}` : 'no file named and the target spans several layers',
      });
  }
  return { byLayer, unrouted };
}

/** What a round of iteration `n` works from: the audit before it, the tests after the previous iteration, the strategy note. */
export function roundInputs(
  ctx: RunContext,
  iteration: number,
): { audit?: ScoredAudit; extra: Pick<FixRound, 'tests' | 'strategy'> } {
  const facts = readAuditFacts(ctx.events);
  const audit = facts.audits.find((a) => a.iteration === iteration - 1);
  const tests = facts.tests.get(iteration - 1);
  const strategy = strategyNote(scoresOf(facts));
  return { ...(audit ? { audit } : {}), extra: { ...(tests ? { tests } : {}), ...(strategy ? { strategy } : {}) } };
}

const roleOf = (work: FixRound['work'], kind: FixKind): AuditRole =>
  kind === 'documentation' ? 'documentation' : work;
const modeOf: Record<AuditRole, LayerMode> = {
  audit: 'audit-fix',
  fix: 'audit-fix',
  enhance: 'enhance',
  documentation: 'document',
};

export async function runFixRound(ctx: RunContext, settings: AuditSettings, round: FixRound): Promise<void> {
  if (round.findings.length === 0) return;
  const facts = readAuditFacts(ctx.events);
  const { byLayer, unrouted } = routeFindings(ctx, facts.discovery, round.findings);
  // Journaled once: a resumed round does not report them again.
  const reported = new Set(facts.skipped.filter((s) => s.phase === round.phase).flatMap((s) => s.findings));
  for (const [reason, findings] of groupBy(
    unrouted.filter((u) => !reported.has(u.finding.id)),
    (u) => u.reason,
  )) {
    ctx.emit({
      type: 'audit.skipped',
      iteration: round.iteration,
      phase: round.phase,
      findings: findings.map((u) => u.finding.id),
      reason,
    });
  }
  if (byLayer.size === 0) return;
  const turns = waveCacheTurns(ctx);
  // An audit works from no spec, so from no plan: `after:` orders its fixes.
  await runWaves(
    computeWaves(ctx.config, [...byLayer.keys()]),
    ctx.limit,
    {
      onWave: (wave, of, layers) => ctx.emit({ type: 'wave.started', wave, of, layers }),
      startOrder: turns.startOrder,
    },
    async (layer, wave) => {
      const findings = byLayer.get(layer) ?? [];
      // Code first, then its documentation: one agent of a layer at a time.
      const code = findings.filter((f) => !isDocumentation(f));
      const docs = findings.filter(isDocumentation);
      const cacheTurns = turns.of(wave);
      if (code.length > 0)
        await runFixJob(ctx, settings, round, { layer, kind: round.work, findings: code, cacheTurns });
      else cacheTurns?.release(layer); // nobody waits for a leader that sends no code fix
      if (docs.length > 0) await runFixJob(ctx, settings, round, { layer, kind: 'documentation', findings: docs });
    },
  );
}

interface JobWork {
  layer: string;
  kind: FixKind;
  findings: Finding[];
  cacheTurns?: CacheTurns | undefined;
}

async function runFixJob(ctx: RunContext, settings: AuditSettings, round: FixRound, work: JobWork): Promise<void> {
  const role = roleOf(round.work, work.kind);
  const id = `${round.phase}/${round.severities}/${work.layer}/${role}`;
  let job = readAuditFacts(ctx.events).jobs.get(id);
  if (job?.ended) return;
  if (!job) {
    ctx.emit({
      type: 'audit.job.started',
      job: id,
      iteration: round.iteration,
      phase: round.phase,
      layer: work.layer,
      role,
      findings: work.findings.map((f) => f.id),
    });
    job = readAuditFacts(ctx.events).jobs.get(id)!;
  }
  const answer = await runLayer(ctx, {
    layer: work.layer,
    mode: modeOf[role],
    brief: findingsBrief(ctx, settings, round, work, role),
    resume: job.agentStarted,
    sinceSeq: job.seq,
    ...(work.cacheTurns ? { cacheTurns: work.cacheTurns } : {}),
  });
  // No answer: a resumed job whose agent had answered and whose layer was validated already.
  const summary = answer?.summary ?? lastSummaryOf(ctx, work.layer) ?? 'validated when the run resumed';
  ctx.emit({ type: 'audit.job.ended', job: id, outcome: answer?.status === 'blocked' ? 'blocked' : 'done', summary });
}

function findingsBrief(
  ctx: RunContext,
  settings: AuditSettings,
  round: FixRound,
  work: JobWork,
  role: AuditRole,
): LayerBrief {
  return {
    model: modelFor(ctx.config, role),
    async prompt() {
      return {
        shared: fixerRules(settings),
        system: fixerSystem(work.layer, ctx.config.layers[work.layer]?.owns ?? []),
        context: (await assembleContext(ctx, work.layer, { name: null })) ?? '',
      };
    },
    task: (step) =>
      fixerTask({
        kind: work.kind,
        iteration: round.iteration,
        severities: [...new Set(work.findings.map((f) => f.severity))].join(', '),
        findings: work.findings,
        ...(round.tests ? { tests: round.tests } : {}),
        ...(round.strategy ? { strategy: round.strategy } : {}),
        ...step,
      }),
    blockedStopsRun: false,
  };
}

function lastSummaryOf(ctx: RunContext, layer: string): string | undefined {
  for (let i = ctx.events.length - 1; i >= 0; i--) {
    const event = ctx.events[i]!;
    if (event.type === 'agent.completed' && event.agent === layer) return event.summary;
  }
  return undefined;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
