/**
 * The Specs page's API: specs of the served workspace waiting at the approval gate, and a
 * supervisor's or admin's decision on one (approve / save for later / request changes), recorded
 * with the account's name by the engine (specDecisionRecord.ts). Agents read, never decide.
 */
import type { IncomingMessage } from 'node:http';
import type { PooledGateSpec, PortalApproval } from './poolSpecs';
import { engine, type GateSpec, type SpecGateAction } from '../core/engineBundle';
import { inEnglish } from '../core/text/zodEnglish';
import { ROUTES } from '../shared/portalRoutes';
import type { Handlers } from './apiCall';
import { HttpError, readJson } from './httpKit';

const ACTIONS: readonly SpecGateAction[] = ['approve', 'save', 'changes'];

type Decision = {
  specId: string;
  action: SpecGateAction;
  by: string;
  pool?: { runId: string; attempts?: number };
  github?: true;
};

export interface SpecsApiContext {
  workspace: string;
  /** Tells every open page that something changed (they re-read what they show). */
  changed(): void;
  /** Pooled specs at the gate (issue 28, poolSpecs.ts): listed beside these, approved for the pool. */
  pool?: {
    specs(): Promise<PooledGateSpec[]>;
    approve(specId: string, approval: PortalApproval): Promise<string | undefined>;
    changes(
      specId: string,
      changes: { feedback: string; by: string },
      journalEnd?: number,
    ): Promise<string | undefined>;
  };
  /** Specs of runs started from GitHub issues (issue 39, src/github): the same gate as the issue's comment. */
  github?: {
    specs(): Promise<GateSpec[]>;
    decide(
      specId: string,
      decision: { action: 'approve' } | { action: 'changes'; feedback: string },
      by: string,
    ): Promise<{ decided: boolean; refused?: string }>;
  };
}

export const specsHandlers: Handlers<SpecsApiContext, 'specs' | 'changeSets' | 'assignLayers' | 'decideSpec'> = {
  // The engine's view of each set, the same the sidebar and the chat show (issue 73): read, never decided here.
  changeSets: async (ctx) => engine.changeSets(ctx.workspace),
  specs: async (ctx) => [
    ...(await engine.specsAtGate(ctx.workspace)),
    ...((await ctx.pool?.specs()) ?? []),
    ...((await ctx.github?.specs()) ?? []),
  ],
  assignLayers: async (ctx, { req, params, session }) => assignInPortal(ctx, req, params.specId, session.name),
  decideSpec: async (ctx, { req, params: { specId }, session: { name: by } }) => {
    const parsed = ROUTES.decideSpec.body.safeParse(await readJson(req, 64 * 1024), inEnglish);
    if (!parsed.success)
      throw new HttpError(
        400,
        `the decision must be {action: ${ACTIONS.join('|')}, feedback?, attempts?}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
      );
    const { action, attempts } = parsed.data;
    if (attempts !== undefined && action !== 'approve')
      throw new HttpError(400, `attempts: only an approval takes attempts (the action is ${action})`);
    if (!(await engine.specsAtGate(ctx.workspace)).some((s) => s.id === specId)) {
      if (ctx.github && (await ctx.github.specs()).some((s) => s.id === specId)) {
        if (attempts !== undefined)
          throw new HttpError(
            400,
            `attempts: only a pooled spec's approval takes attempts; the run of spec ${specId} was started from its GitHub issue with its own`,
          );
        return githubDecision(ctx, specId, action, parsed.data.feedback, by);
      }
      const pooled = ctx.pool && (await ctx.pool.specs()).find((s) => s.id === specId);
      if (!pooled) throw new HttpError(404, `no spec ${specId} waiting for approval`);
      if (action === 'save')
        throw new HttpError(400, `spec ${specId} waits in the pool, holding no worker: approve it or request changes`);
      const feedback = parsed.data.feedback?.trim() ?? '';
      if (action === 'changes' && !feedback)
        throw new HttpError(400, 'say what to change: the feedback goes to the spec agent');
      // Only while the run's journal is where this check read it: an approval made meanwhile (its run
      // gone on to a phase's gate) is not answered a second time by this one.
      const runId =
        action === 'approve'
          ? await ctx.pool!.approve(specId, {
              by,
              journalEnd: pooled.pool.journalEnd,
              ...(attempts !== undefined ? { attempts } : {}),
            })
          : await ctx.pool!.changes(specId, { feedback, by }, pooled.pool.journalEnd);
      if (!runId)
        throw new HttpError(409, `spec ${specId} was decided while you answered (its run moved on): reload the page`);
      ctx.changed();
      return { specId, action, by, pool: { runId, ...(attempts !== undefined ? { attempts } : {}) } };
    }
    // Recorded here, never run here: the window waiting at its gate, or `approve`, implements it.
    if (attempts !== undefined)
      throw new HttpError(
        400,
        `attempts: only a pooled spec's approval takes attempts; spec ${specId} is implemented where it waits (a VS Code window's run keeps the attempts it started with; a saved spec: orchestrator approve ${specId} --attempts N)`,
      );
    await engine.decideSpecAs(ctx.workspace, specId, {
      action,
      by,
      ...(parsed.data.feedback !== undefined ? { feedback: parsed.data.feedback } : {}),
    });
    ctx.changed();
    return { specId, action, by };
  },
};

/** A spec waiting at a GitHub issue's gate: approved or sent back from here as from the issue (the run has no "save for later"). */
async function githubDecision(
  ctx: SpecsApiContext,
  specId: string,
  action: SpecGateAction,
  given: string | undefined,
  by: string,
): Promise<Decision> {
  if (action === 'save')
    throw new HttpError(
      400,
      `spec ${specId} waits on its GitHub issue: approve it or request changes (or /cancel on the issue)`,
    );
  const feedback = given?.trim() ?? '';
  if (action === 'changes' && !feedback)
    throw new HttpError(400, 'say what to change: the feedback goes to the spec agent');
  const outcome = await ctx.github!.decide(
    specId,
    action === 'approve' ? { action: 'approve' } : { action: 'changes', feedback },
    by,
  );
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
async function assignInPortal(
  ctx: SpecsApiContext,
  req: IncomingMessage,
  specId: string,
  by: string,
): Promise<{ specId: string; assignments: { task: string; layer: string }[]; by: string }> {
  const parsed = ROUTES.assignLayers.body.safeParse(await readJson(req, 64 * 1024));
  if (!parsed.success)
    throw new HttpError(
      400,
      `assignments: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
    );
  if (!(await engine.specsAtGate(ctx.workspace)).some((s) => s.id === specId))
    throw new HttpError(404, `no spec ${specId} waiting for approval here`);
  try {
    await engine.assignLayers(ctx.workspace, specId, parsed.data.assignments);
  } catch (error) {
    // The engine's refusal (no such layer, no such task: its usage error) names the task and the layers there are.
    if ((error as { code?: unknown }).code === 'E_USAGE')
      throw new HttpError(400, (error as Error).message.replace(/^--assign /, ''));
    throw error;
  }
  ctx.changed();
  return { specId, assignments: parsed.data.assignments, by };
}
