/**
 * The Specs page's API: specs of the served workspace waiting at the approval gate, and a
 * supervisor's or admin's decision on one (approve / save for later / request changes), recorded
 * with the account's name by the engine (specDecisionRecord.ts). Agents read, never decide.
 */
import type { IncomingMessage } from 'node:http';
import type { PooledGateSpec } from './poolSpecs';
import { assignLayers, decideSpecAs, specsAtGate, type GateSpec, type SpecGateAction } from '../core/engineBundle';
import { ROUTES } from '../shared/portalRoutes';
import type { Handlers } from './apiCall';
import { HttpError, readJson } from './httpKit';

const ACTIONS: readonly SpecGateAction[] = ['approve', 'save', 'changes'];

type Decision = { specId: string; action: SpecGateAction; by: string; pool?: { runId: string }; github?: true };

export interface SpecsApiContext {
  workspace: string;
  /** Tells every open page that something changed (they re-read what they show). */
  changed(): void;
  /** Pooled specs at the gate (issue 28, poolSpecs.ts): listed beside these, approved for the pool. */
  pool?: {
    specs(): Promise<PooledGateSpec[]>;
    approve(specId: string, journalEnd?: number): Promise<string | undefined>;
    changes(specId: string, changes: { feedback: string; by: string }, journalEnd?: number): Promise<string | undefined>;
  };
  /** Specs of runs started from GitHub issues (issue 39, src/github): the same gate as the issue's comment. */
  github?: {
    specs(): Promise<GateSpec[]>;
    decide(specId: string, decision: { action: 'approve' } | { action: 'changes'; feedback: string }, by: string): Promise<{ decided: boolean; refused?: string }>;
  };
}

export const specsHandlers: Handlers<SpecsApiContext, 'specs' | 'assignLayers' | 'decideSpec'> = {
  specs: async (ctx) => [...(await specsAtGate(ctx.workspace)), ...((await ctx.pool?.specs()) ?? []), ...((await ctx.github?.specs()) ?? [])],
  assignLayers: async (ctx, { req, params, session }) => assignInPortal(ctx, req, params.specId, session.name),
  decideSpec: async (ctx, { req, params: { specId }, session: { name: by } }) => {
    const body = (await readJson(req, 64 * 1024)) as { action?: unknown; feedback?: unknown };
    if (!ACTIONS.includes(body.action as SpecGateAction)) throw new HttpError(400, `action must be one of ${ACTIONS.join(', ')}`);
    const action = body.action as SpecGateAction;
    if (!(await specsAtGate(ctx.workspace)).some((s) => s.id === specId)) {
      if (ctx.github && (await ctx.github.specs()).some((s) => s.id === specId)) return githubDecision(ctx, specId, action, body.feedback, by);
      const pooled = ctx.pool && (await ctx.pool.specs()).find((s) => s.id === specId);
      if (!pooled) throw new HttpError(404, `no spec ${specId} waiting for approval`);
      if (action === 'save') throw new HttpError(400, `spec ${specId} waits in the pool, holding no worker: approve it or request changes`);
      const feedback = typeof body.feedback === 'string' ? body.feedback.trim() : '';
      if (action === 'changes' && !feedback) throw new HttpError(400, 'say what to change: the feedback goes to the spec agent');
      // Only while the run's journal is where this check read it: an approval made meanwhile (its run
      // gone on to a phase's gate) is not answered a second time by this one.
      const runId = action === 'approve' ? await ctx.pool!.approve(specId, pooled.pool.journalEnd) : await ctx.pool!.changes(specId, { feedback, by }, pooled.pool.journalEnd);
      if (!runId) throw new HttpError(409, `spec ${specId} was decided while you answered (its run moved on): reload the page`);
      ctx.changed();
      return { specId, action, by, pool: { runId } };
    }
    await decideSpecAs(ctx.workspace, specId, { action, by, ...(typeof body.feedback === 'string' ? { feedback: body.feedback } : {}) });
    ctx.changed();
    return { specId, action, by };
  },
};

/** A spec waiting at a GitHub issue's gate: approved or sent back from here as from the issue (the run has no "save for later"). */
async function githubDecision(ctx: SpecsApiContext, specId: string, action: SpecGateAction, given: unknown, by: string): Promise<Decision> {
  if (action === 'save') throw new HttpError(400, `spec ${specId} waits on its GitHub issue: approve it or request changes (or /cancel on the issue)`);
  const feedback = typeof given === 'string' ? given.trim() : '';
  if (action === 'changes' && !feedback) throw new HttpError(400, 'say what to change: the feedback goes to the spec agent');
  const outcome = await ctx.github!.decide(specId, action === 'approve' ? { action: 'approve' } : { action: 'changes', feedback }, by);
  if (outcome.refused) throw new HttpError(400, outcome.refused);
  if (!outcome.decided) throw new HttpError(409, `spec ${specId} was decided while you answered: reload the page`);
  ctx.changed();
  return { specId, action, by, github: true };
}

/**
 * The layers picked here for tasks naming no file, written into the spec as the sidebar's Assign
 * and `approve --assign` write them; only on this workspace's specs at the gate (a pooled or
 * GitHub run's spec is changed where it runs).
 */
async function assignInPortal(ctx: SpecsApiContext, req: IncomingMessage, specId: string, by: string): Promise<{ specId: string; assignments: { task: string; layer: string }[]; by: string }> {
  const parsed = ROUTES.assignLayers.body.safeParse(await readJson(req, 64 * 1024));
  if (!parsed.success) throw new HttpError(400, `assignments: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  if (!(await specsAtGate(ctx.workspace)).some((s) => s.id === specId)) throw new HttpError(404, `no spec ${specId} waiting for approval here`);
  try {
    await assignLayers(ctx.workspace, specId, parsed.data.assignments);
  } catch (error) {
    // The engine's refusal (no such layer, no such task: its usage error) names the task and the layers there are.
    if ((error as { code?: unknown }).code === 'E_USAGE') throw new HttpError(400, (error as Error).message.replace(/^--assign /, ''));
    throw error;
  }
  ctx.changed();
  return { specId, assignments: parsed.data.assignments, by };
}
