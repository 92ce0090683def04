/** DISCOVERY: the target's facts, gathered without a model and journaled (a resume does not redo it). */
import type { RunContext } from '../kernel';
import { discover } from './discovery';
import type { AuditSettings } from '../../auditTypes';

export async function discoveryPhase(ctx: RunContext, settings: AuditSettings): Promise<void> {
  const discovery = await discover(ctx.workspace, ctx.config, settings.target);
  for (const warning of discovery.warnings) ctx.warn(`DISCOVERY: ${warning}`);
  ctx.emit({ type: 'audit.discovered', discovery });
}
