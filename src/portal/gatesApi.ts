/**
 * The Specs page's workflow gates (issue 29): runs waiting at a phase's human gate — live in a VS
 * Code window, saved by the CLI, or pooled — with the phase's documents, and a supervisor's or
 * admin's decision on one (approve / save for later / request changes), recorded with the
 * account's name by the engine (phaseGateRecord.ts). Agents read, never decide. A decision names
 * the phase and the question (`asked`) it answers: one made on a stale page is refused (409).
 * Pooled runs' confirmations (issue 44) are answered here too, by the same roles: allow or deny,
 * naming the question by when it was asked (`since`).
 */
import type { IncomingMessage } from 'node:http';
import { engine } from '../core/engineBundle';
import type { PortalConfirmation, PortalGate } from '../shared/portalApi';
import { ROUTES } from '../shared/portalRoutes';
import type { Handlers } from './apiCall';
import { HttpError, readJson } from './httpKit';

/** At most this many gates answer one read (newest first): bounded however many runs a workspace keeps. */
export const MAX_GATES = 50;

export interface GatesApiContext {
  workspace: string;
  /** Tells every open page that something changed (they re-read what they show). */
  changed(): void;
  /** Pooled runs at a phase's gate (poolSpecs.ts), and the approval that queues one again. */
  pool: {
    gates(): Promise<PortalGate[]>;
    approve(specId: string, journalEnd: number | undefined, by: string): Promise<string | undefined>;
    confirmations(): Promise<PortalConfirmation[]>;
    confirm(runId: string, since: string, allowed: boolean, by: string): Promise<boolean>;
  };
}

export const gatesHandlers: Handlers<GatesApiContext, 'gates' | 'confirmations' | 'confirm' | 'decideGate'> = {
  gates: async (ctx) => {
    const gates: PortalGate[] = [...(await engine.phaseGatesWaiting(ctx.workspace)), ...(await ctx.pool.gates())];
    return gates.slice(0, MAX_GATES);
  },
  confirmations: async (ctx) => (await ctx.pool.confirmations()).slice(0, MAX_GATES),
  confirm: async (ctx, { req, params, session }) => decideConfirmation(ctx, req, params.runId, session.name),
  decideGate: async (ctx, { req, params: { runId }, session: { name: by } }) => {
    const parsed = ROUTES.decideGate.body.safeParse(await readJson(req, 64 * 1024));
    if (!parsed.success)
      throw new HttpError(
        400,
        `the decision must be {phase, asked, action: approve|save|changes, feedback?}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
      );
    const body = parsed.data;
    const pooled = (await ctx.pool.gates()).find((gate) => gate.runId === runId);
    if (pooled) {
      if (pooled.phase !== body.phase || pooled.asked !== body.asked)
        throw new HttpError(
          409,
          `pooled run ${runId} waits at phase ${pooled.phase}'s gate (question ${pooled.asked}), not the one you answered: reload the page`,
        );
      if (body.action !== 'approve')
        throw new HttpError(
          400,
          `run ${runId} waits in the pool: approve it here, or request changes where it was dispatched`,
        );
      // Only while the run's journal is where this check read it: another decision in between is not overtaken.
      const queued = await ctx.pool.approve(pooled.specId, pooled.journalEnd, by);
      if (!queued)
        throw new HttpError(
          409,
          `pooled run ${runId} moved on while you answered (another decision was made): reload the page`,
        );
      ctx.changed();
      return { runId, phase: body.phase, action: body.action, by, pool: { runId: queued } };
    }
    await engine.decidePhaseGateAs(ctx.workspace, {
      runId,
      phase: body.phase,
      asked: body.asked,
      action: body.action,
      by,
      ...(body.feedback !== undefined ? { feedback: body.feedback } : {}),
    });
    ctx.changed();
    return { runId, phase: body.phase, action: body.action, by };
  },
};

async function decideConfirmation(
  ctx: GatesApiContext,
  req: IncomingMessage,
  runId: string,
  by: string,
): Promise<{ runId: string; since: string; allow: boolean; by: string }> {
  const parsed = ROUTES.confirm.body.safeParse(await readJson(req, 4 * 1024));
  if (!parsed.success)
    throw new HttpError(
      400,
      `the answer must be {since, allow: true|false}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
    );
  const { since, allow } = parsed.data;
  if (!(await ctx.pool.confirm(runId, since, allow, by)))
    throw new HttpError(
      409,
      `run ${runId} does not wait for that confirmation any more (answered, or asked anew): reload the page`,
    );
  ctx.changed();
  return { runId, since, allow, by };
}
