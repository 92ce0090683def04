/** What hosts print of an `init` (`--json`): a leaf of the census room, so dist/engine.js carries it without the room. */
import { gatesOf } from './gates';
import type { InitReport } from './initFromCensus';
import type { VerifyOutcome } from './types';

/** The `--json` summary of the contract: `{created, layers: {name: {owns, validate, after?, verified}}, schema, unowned}`. */
export function initSummary(report: InitReport): object {
  const layers: Record<string, object> = {};
  for (const layer of report.census.layers) {
    layers[layer.name] = {
      owns: layer.owns,
      validate: gatesOf(layer).map((g) => g.command),
      ...(layer.after.length > 0 ? { after: layer.after } : {}),
      verified: layer.validate.map((v, i) => ({ command: v.command, from: v.origin, ...verifiedFields(layer.verified?.[i]) })),
    };
  }
  return {
    created: report.created,
    config: report.config,
    ...(report.backup ? { backup: report.backup } : {}),
    ...(report.diff !== undefined && report.config === 'kept' ? { diff: report.diff } : {}),
    layers,
    schema: report.census.schema.map((s) => s.glob),
    unowned: report.census.unowned,
    warnings: report.census.warnings,
  };
}

function verifiedFields(outcome: VerifyOutcome | undefined): object {
  if (!outcome) return { status: 'not-verified' };
  const { status } = outcome;
  if (outcome.status === 'failed') return { status, firstLines: outcome.firstLines };
  if (outcome.status === 'missing-tool') return { status, tool: outcome.tool };
  if (outcome.status === 'skipped') return { status, reason: outcome.reason };
  return { status, ms: outcome.ms };
}
