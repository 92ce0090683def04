/**
 * The Specs page's API: specs of the served workspace waiting at the approval gate, and a
 * supervisor's or admin's decision on one (approve / save for later / request changes), recorded
 * with the account's name by the engine (specDecisionRecord.ts). Agents read, never decide.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PooledGateSpec } from './poolSpecs';
import { decideSpecAs, specsAtGate, type SpecGateAction } from '../core/engineBundle';
import { HttpError, readJson, sendJson } from './httpKit';

const ACTIONS: readonly SpecGateAction[] = ['approve', 'save', 'changes'];

export interface SpecsApiContext {
  workspace: string;
  /** Tells every open page that something changed (they re-read what they show). */
  changed(): void;
  /** Pooled specs at the gate (issue 28, poolSpecs.ts): listed beside these, approved for the pool. */
  pool?: { specs(): Promise<PooledGateSpec[]>; approve(specId: string, journalEnd?: number): Promise<string | undefined> };
}

export async function specsApi(ctx: SpecsApiContext, req: IncomingMessage, res: ServerResponse, path: string, decide: (what: string) => { by: string }): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/api/specs' && method === 'GET') return sendJson(res, 200, [...(await specsAtGate(ctx.workspace)), ...((await ctx.pool?.specs()) ?? [])]);
  const one = /^\/api\/specs\/([a-z0-9-]{1,100})\/decision$/.exec(path);
  if (!one || method !== 'POST') throw new HttpError(404, `no ${method} ${path}`);
  const { by } = decide('decide specs');
  const body = (await readJson(req, 64 * 1024)) as { action?: unknown; feedback?: unknown };
  if (!ACTIONS.includes(body.action as SpecGateAction)) throw new HttpError(400, `action must be one of ${ACTIONS.join(', ')}`);
  const specId = one[1]!;
  if (!(await specsAtGate(ctx.workspace)).some((s) => s.id === specId)) {
    const pooled = ctx.pool && (await ctx.pool.specs()).find((s) => s.id === specId);
    if (!pooled) throw new HttpError(404, `no spec ${specId} waiting for approval`);
    if (body.action !== 'approve') throw new HttpError(400, `spec ${specId} waits in the pool: approve it here, or request changes where it was dispatched`);
    // Only while the run's journal is where this check read it: an approval made meanwhile (its run
    // gone on to a phase's gate) is not answered a second time by this one.
    const runId = await ctx.pool!.approve(specId, pooled.pool.journalEnd);
    if (!runId) throw new HttpError(409, `spec ${specId} was decided while you answered (its run moved on): reload the page`);
    ctx.changed();
    return sendJson(res, 200, { specId, action: body.action, by, pool: { runId } });
  }
  await decideSpecAs(ctx.workspace, specId, { action: body.action as SpecGateAction, by, ...(typeof body.feedback === 'string' ? { feedback: body.feedback } : {}) });
  ctx.changed();
  return sendJson(res, 200, { specId, action: body.action, by });
}
