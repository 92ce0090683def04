/** What hosts print of an `init` (`--json`): a leaf of the census room, so dist/engine.js carries it without the room. */
import { gatesOf } from '../verify/gates';
import type { InitReport } from './initFromCensus';
import { proofSection } from '../verify/proofGates';
import type { ProposedLayer, ProposedProof, VerifyOutcome } from '../types';
import { unverifiedCount } from '../verify/verifyBudget';

/**
 * The `--json` summary of the contract: `{created, layers: {name: {owns, validate, after?, remainder?, verified}}, schema,
 * unowned}`, the proof section proposed, and `unverified`: how many proposed commands were kept without a verdict (when any).
 */
export function initSummary(report: InitReport): object {
  const layers: Record<string, object> = {};
  const unverified = unverifiedCount(report.census);
  for (const layer of report.census.layers) {
    layers[layer.name] = {
      owns: layer.owns,
      validate: gatesOf(layer).map((g) => g.command),
      ...(layer.after.length > 0 ? { after: layer.after } : {}),
      // No check found: what the census read for it and what it could not read or use.
      ...(layer.remainder ? { remainder: layer.remainder } : {}),
      verified: layer.validate.map((v, i) => ({
        command: v.command,
        from: v.origin,
        ...verifiedFields(layer.verified?.[i]),
      })),
    };
  }
  return {
    created: report.created,
    ...(report.formatted ? { formatted: report.formatted } : {}),
    config: report.config,
    ...(report.backup ? { backup: report.backup } : {}),
    ...(report.diff !== undefined && report.config === 'kept' ? { diff: report.diff } : {}),
    layers,
    schema: report.census.schema.map((s) => s.glob),
    unowned: report.census.unowned,
    ...(report.census.proof ? { proof: proofSummary(report.census.proof, report.census.layers) } : {}),
    warnings: report.census.warnings,
    ...(unverified > 0 ? { unverified } : {}),
  };
}

/** `proof`: the mode, the tests and commands written (in their order), why the mode is off or advisory, and every proposed command's verification. */
function proofSummary(proof: ProposedProof, layers: readonly ProposedLayer[]): object {
  const section = proofSection(proof, layers);
  return {
    mode: section.mode,
    tests: section.kept.map((u) => u.tests),
    command: section.kept.map((u) => u.command),
    ...(section.reason ? { reason: section.reason } : {}),
    verified: proof.units.map((u) => ({
      layer: u.layer,
      tests: u.tests,
      command: u.command,
      from: u.origin,
      ...verifiedFields(u.verified),
      ...(u.gates ? { gates: u.gates } : {}),
    })),
    without: proof.without,
  };
}

function verifiedFields(outcome: VerifyOutcome | undefined): object {
  if (!outcome) return { status: 'not-verified' };
  const { status } = outcome;
  const why =
    outcome.status === 'failed' || outcome.status === 'timed-out'
      ? { ...(outcome.cause ? { cause: outcome.cause } : {}), ...(outcome.fix ? { fix: outcome.fix } : {}) }
      : {};
  if (outcome.status === 'failed') return { status, firstLines: outcome.firstLines, ...why };
  if (outcome.status === 'timed-out')
    return { status, ms: outcome.ms, ...(outcome.lastLines ? { lastLines: outcome.lastLines } : {}), ...why };
  if (outcome.status === 'missing-tool') return { status, tool: outcome.tool };
  if (outcome.status === 'skipped')
    return { status, reason: outcome.reason, ...(outcome.outOfTime ? { outOfTime: true } : {}) };
  return { status, ms: outcome.ms };
}
