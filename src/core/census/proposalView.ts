/**
 * The census as Initialize Workspace shows it (a row per layer: owns, commands and their
 * verification), and the user's edits applied back to it before it is written.
 */
import type { AcceptedLayer, InitProposalView, ProposedCommandView } from '../../shared/initProposal';
import { outcomeText } from './gates';
import { visibleLine as printable } from '../../shared/terminalText';
import type { Census, ProposedLayer, VerifyOutcome } from './types';

export function proposalView(census: Census, workspace: string, configExists: boolean): InitProposalView {
  return {
    status: 'ready',
    workspace,
    layers: census.layers.map((layer) => ({
      name: layer.name,
      ...(layer.role ? { role: layer.role } : {}),
      owns: layer.owns,
      after: layer.after,
      commands: layer.validate.map((v, i) => commandView(v.command, v.origin, layer.verified?.[i])),
    })),
    schema: census.schema.map((s) => s.glob),
    sourceFiles: census.sourceFiles,
    ownedFiles: census.ownedFiles,
    unowned: census.unowned.slice(0, 50),
    warnings: census.warnings.map(printable),
    configExists,
  };
}

function commandView(command: string, origin: string, outcome: VerifyOutcome | undefined): ProposedCommandView {
  const detail = outcome?.status === 'failed' ? [outcomeText(outcome), ...outcome.firstLines].join('\n') : outcomeText(outcome);
  return { command, origin, status: outcome?.status ?? 'not-verified', detail };
}

/** The census with the layers as the user left them: renamed, owns and commands edited, some dropped. */
export function applyEdits(census: Census, accepted: readonly AcceptedLayer[]): Census {
  const renamed = new Map(accepted.map((a) => [a.from, a.name]));
  const layers: ProposedLayer[] = [];
  for (const edit of accepted) {
    const base = census.layers.find((l) => l.name === edit.from);
    if (!base) throw new Error(`the proposal has no layer "${edit.from}"`);
    const validate = edit.validate.map((command) => base.validate.find((v) => v.command === command) ?? { command, origin: 'Initialize Workspace (edited)' });
    const verified = base.verified
      ? edit.validate.map((command): VerifyOutcome => base.verified![base.validate.findIndex((v) => v.command === command)] ?? { status: 'skipped', reason: 'added in Initialize Workspace' })
      : undefined;
    const { verified: _proposed, ...rest } = base;
    layers.push({
      ...rest,
      name: edit.name,
      owns: edit.owns,
      validate,
      after: base.after.filter((a) => renamed.has(a)).map((a) => renamed.get(a)!),
      ...(verified ? { verified } : {}),
    });
  }
  return { ...census, layers };
}
