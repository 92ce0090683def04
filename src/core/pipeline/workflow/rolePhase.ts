/**
 * A phase without `uses:` (issue 29): its role writes the phase's documents from its inputs, the
 * orchestrator checks them (documentGate's checks), and a failed check sends the role its report
 * until the phase's `retries` (default limits.maxRetries) are used; then the run stops with the
 * report. A reviewed phase (`reviewer:`, seed 003's CTO) loops role ↔ reviewer up to `maxRounds`;
 * `fanOut: squads` writes once per squad (each squad's backlog: `module.planned`); a human gate
 * asks last. Every step is journaled: a killed run resumes in the pass, round or squad it was in,
 * and never redoes a closed phase.
 */
import { isPhaseDone } from '../../journal';
import type { WorkflowPhase } from '../../project/workflows';
import { RunStop, throwIfCancelled } from '../../errors';
import type { RunContext } from '../kernel';
import { documentPaths } from './documents';
import { documentProblems, gateStop } from './checks/documentGate';
import { hasHumanGate, humanGate } from './humanGate';
import { pendingFeedback, phaseSpentUsd, retriesUsed, writtenItems } from './phaseJournal';
import { reviewedWrite } from './reviewRounds';
import { runWritingRole } from './roleAgent';
import { roleOf } from './workflowAgents';
import { roleTask, type RoleFeedback } from './roleTask';
import { squadsOf } from '../layers';
import type { WorkflowSession } from './steps';

/** An approved amendment a closed phase must follow: `at` its index in the journal, `text` what the role is told. */
export interface Amendment {
  at: number;
  text: string;
}

/**
 * 'saved': the phase's human gate saved the run for later. `amendment`: the phase closed before
 * it and writes again (amendedPhases.ts); it is done once it closes after it.
 */
export async function rolePhase(
  ctx: RunContext,
  session: WorkflowSession,
  phase: WorkflowPhase,
  amendment?: Amendment,
): Promise<'saved' | void> {
  const from = amendment?.at ?? -1;
  if (ctx.events.some((event, i) => i > from && event.type === 'phase.closed' && event.phase === phase.name)) return;
  const max = phase.retries ?? ctx.config.limits.maxRetries;
  for (;;) {
    const amended =
      amendment && !completedAfter(ctx, phase.name, amendment.at)
        ? { kind: 'change' as const, text: amendment.text }
        : undefined;
    const feedback = pendingFeedback(ctx, phase.name) ?? amended;
    if (!isPhaseDone(ctx.state(), phase.name) || feedback) await writePass(ctx, session, phase, feedback);
    const problems = await allProblems(ctx, phase);
    if (problems.length > 0) {
      const used = retriesUsed(ctx, phase.name);
      if (used >= max) throw gateStop(phase, problems);
      ctx.emit({ type: 'phase.retry', phase: phase.name, attempt: used + 1, max, report: problems.join('\n') });
      continue;
    }
    if (!hasHumanGate(phase)) return;
    const decided = await humanGate(ctx, phase);
    if (decided === 'saved') return 'saved';
    if (decided === 'approved') return;
  }
}

/**
 * One pass of the phase's work: phase.started, the role once (or once per squad or layer not yet
 * written in this pass, each journaled: `module.planned`, `phase.layer.done`), phase.completed.
 */
async function writePass(
  ctx: RunContext,
  session: WorkflowSession,
  phase: WorkflowPhase,
  feedback: RoleFeedback | undefined,
): Promise<void> {
  throwIfCancelled(ctx.signal);
  ctx.emit({ type: 'phase.started', phase: phase.name });
  const started = Date.now();
  const items = fanOutItems(ctx, phase);
  const written = writtenItems(ctx, phase.name);
  for (const item of items) {
    if (item !== undefined && written.has(item)) continue;
    // A failed gate sends back only the squads or layers whose own documents failed.
    if (feedback?.kind === 'gate' && item !== undefined && (await documentProblems(ctx, phase, item)).length === 0)
      continue;
    await writeItem(ctx, session, phase, item, feedback);
    if (item !== undefined && phase.fanOut === 'squads') {
      ctx.emit({
        type: 'module.planned',
        phase: phase.name,
        squad: item,
        layers: squadsOf(session.workflow, ctx.config)[item] ?? [item],
        documents: itemDocuments(ctx, phase, item),
      });
    } else if (item !== undefined) {
      ctx.emit({
        type: 'phase.layer.done',
        phase: phase.name,
        layer: item,
        documents: itemDocuments(ctx, phase, item),
      });
    }
  }
  ctx.emit({ type: 'phase.completed', phase: phase.name, ms: Date.now() - started });
}

async function writeItem(
  ctx: RunContext,
  session: WorkflowSession,
  phase: WorkflowPhase,
  item: string | undefined,
  feedback: RoleFeedback | undefined,
): Promise<void> {
  const documents = itemDocuments(ctx, phase, item);
  // A per-layer role writes code within its own layer's owns; otherwise within every layer's.
  const layers =
    phase.fanOut === 'layers' && item !== undefined ? [ctx.config.layers[item]!] : Object.values(ctx.config.layers);
  const code = (phase.outputs ?? []).includes('code') ? layers.flatMap((layer) => layer.owns) : [];
  const write = async (extra: RoleFeedback | undefined) => {
    checkShare(ctx, phase);
    await runWritingRole(ctx, phase, await roleTask(ctx, session, phase, documents, item, extra), documents, code);
  };
  // A reviewed phase's rounds; feedback from its gate or a human goes to the role alone (the reviewer accepted already).
  if (phase.reviewer && !feedback) await reviewedWrite(ctx, phase, documents, write, () => checkShare(ctx, phase));
  else await write(feedback);
}

function completedAfter(ctx: RunContext, phase: string, at: number): boolean {
  return ctx.events.some((event, i) => i > at && event.type === 'phase.completed' && event.phase === phase);
}

function fanOutItems(ctx: RunContext, phase: WorkflowPhase): (string | undefined)[] {
  if (phase.fanOut === 'squads') return Object.keys(squadsOf(ctx.workflow, ctx.config));
  if (phase.fanOut === 'layers') return Object.keys(ctx.config.layers);
  return [undefined];
}

/** The documents one item writes: the phase's own, or for a fan-out item those with its name (and the shared ones). */
function itemDocuments(ctx: RunContext, phase: WorkflowPhase, item: string | undefined): string[] {
  return (phase.outputs ?? []).flatMap((output) =>
    output === 'code' ? [] : documentPaths(ctx, output, /\{(squad|layer)\}/.test(output.path) ? item : undefined),
  );
}

async function allProblems(ctx: RunContext, phase: WorkflowPhase): Promise<string[]> {
  const items = fanOutItems(ctx, phase);
  const lists = await Promise.all(items.map((item) => documentProblems(ctx, phase, item)));
  return [...new Set(lists.flat())];
}

/** `budgetShare`: the phase may spend that share of limits.maxBudgetUsd, counted before each agent starts. */
function checkShare(ctx: RunContext, phase: WorkflowPhase): void {
  if (phase.budgetShare === undefined) return;
  const cap = phase.budgetShare * ctx.budget.limitUsd;
  const spent = phaseSpentUsd(ctx, phase.name);
  if (spent < cap) return;
  const role = roleOf(phase).agent;
  throw new RunStop(
    'budget',
    `phase ${phase.name} spent its budget share`,
    `## Pipeline stopped: phase ${phase.name} spent its budget share\n$${spent.toFixed(4)} of $${cap.toFixed(4)} (budgetShare ${phase.budgetShare} of limits.maxBudgetUsd $${ctx.budget.limitUsd}); the ${role} did not start again.\n### Action needed\nRaise the phase's budgetShare (or limits.maxBudgetUsd), then run \`orchestrator resume\`.`,
  );
}
