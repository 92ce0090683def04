/**
 * The Specs page's workflow gates (issue 29): runs waiting at a phase's human gate — live in a VS
 * Code window, saved by the CLI, or pooled — with the phase's documents, and a supervisor's or
 * admin's decision on one (approve / save for later / request changes), recorded with the
 * account's name by the engine (phaseGateRecord.ts). Agents read, never decide. A decision names
 * the phase and the question (`asked`) it answers: one made on a stale page is refused (409).
 * Pooled runs' confirmations (issue 44) are answered here too, by the same roles: allow or deny,
 * naming the question by when it was asked (`since`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod/mini';
import { decidePhaseGateAs, phaseGatesWaiting, type PhaseGate } from '../core/engineBundle';
import { HttpError, readJson, sendJson } from './httpKit';
import type { PortalConfirmation } from '../shared/portalConfirmation';

/** A run waiting at a phase's gate as the page shows it; `pooled`: in the pool's database, for any free worker once approved. */
export type PortalGate = Omit<PhaseGate, 'state'> & { state: PhaseGate['state'] | 'pooled'; journalEnd?: number };

/** At most this many gates answer one read (newest first): bounded however many runs a workspace keeps. */
export const MAX_GATES = 50;

const decisionBody = z.object({
  phase: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/)),
  asked: z.number().check(z.int(), z.minimum(0)),
  action: z.enum(['approve', 'save', 'changes']),
  feedback: z.optional(z.string().check(z.maxLength(20_000))),
});

const confirmationBody = z.object({
  since: z.string().check(z.maxLength(64)),
  allow: z.boolean(),
});

export interface GatesApiContext {
  workspace: string;
  /** Tells every open page that something changed (they re-read what they show). */
  changed(): void;
  /** Pooled runs at a phase's gate (poolSpecs.ts), and the approval that queues one again. */
  pool: {
    gates(): Promise<PortalGate[]>;
    approve(specId: string, journalEnd?: number): Promise<string | undefined>;
    confirmations(): Promise<PortalConfirmation[]>;
    confirm(runId: string, since: string, allowed: boolean, by: string): Promise<boolean>;
  };
}

export async function gatesApi(ctx: GatesApiContext, req: IncomingMessage, res: ServerResponse, path: string, decide: (what: string) => { by: string }): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/api/gates' && method === 'GET') {
    const gates: PortalGate[] = [...(await phaseGatesWaiting(ctx.workspace)), ...(await ctx.pool.gates())];
    return sendJson(res, 200, gates.slice(0, MAX_GATES));
  }
  if (path === '/api/gates/confirmations' && method === 'GET') return sendJson(res, 200, (await ctx.pool.confirmations()).slice(0, MAX_GATES));
  const confirmation = /^\/api\/gates\/confirmations\/([A-Za-z0-9][A-Za-z0-9_-]{0,99})$/.exec(path);
  if (confirmation && method === 'POST') return decideConfirmation(ctx, req, res, confirmation[1]!, decide('answer confirmations').by);
  const one = /^\/api\/gates\/([A-Za-z0-9][A-Za-z0-9_-]{0,99})\/decision$/.exec(path);
  if (!one || method !== 'POST') throw new HttpError(404, `no ${method} ${path}`);
  const { by } = decide('decide phase gates');
  const parsed = decisionBody.safeParse(await readJson(req, 64 * 1024));
  if (!parsed.success) throw new HttpError(400, `the decision must be {phase, asked, action: approve|save|changes, feedback?}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const body = parsed.data;
  const runId = one[1]!;
  const pooled = (await ctx.pool.gates()).find((gate) => gate.runId === runId);
  if (pooled) {
    if (pooled.phase !== body.phase || pooled.asked !== body.asked) throw new HttpError(409, `pooled run ${runId} waits at phase ${pooled.phase}'s gate (question ${pooled.asked}), not the one you answered: reload the page`);
    if (body.action !== 'approve') throw new HttpError(400, `run ${runId} waits in the pool: approve it here, or request changes where it was dispatched`);
    // Only while the run's journal is where this check read it: another decision in between is not overtaken.
    const queued = await ctx.pool.approve(pooled.specId, pooled.journalEnd);
    if (!queued) throw new HttpError(409, `pooled run ${runId} moved on while you answered (another decision was made): reload the page`);
    ctx.changed();
    return sendJson(res, 200, { runId, phase: body.phase, action: body.action, by, pool: { runId: queued } });
  }
  await decidePhaseGateAs(ctx.workspace, { runId, phase: body.phase, asked: body.asked, action: body.action, by, ...(body.feedback !== undefined ? { feedback: body.feedback } : {}) });
  ctx.changed();
  return sendJson(res, 200, { runId, phase: body.phase, action: body.action, by });
}

async function decideConfirmation(ctx: GatesApiContext, req: IncomingMessage, res: ServerResponse, runId: string, by: string): Promise<void> {
  const parsed = confirmationBody.safeParse(await readJson(req, 4 * 1024));
  if (!parsed.success) throw new HttpError(400, `the answer must be {since, allow: true|false}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const { since, allow } = parsed.data;
  if (!(await ctx.pool.confirm(runId, since, allow, by))) throw new HttpError(409, `run ${runId} does not wait for that confirmation any more (answered, or asked anew): reload the page`);
  ctx.changed();
  return sendJson(res, 200, { runId, since, allow, by });
}
