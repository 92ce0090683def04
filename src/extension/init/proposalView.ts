/**
 * The census as Initialize Workspace shows it: the layers it found no check for first, with what it
 * read and could not, then a row per layer with its owns, its commands and how their verification
 * went. The engine returns the census; the sidebar's view of it is made here.
 */
import type { Census, VerifyOutcome } from '../../core/census';
import { visibleLine as printable } from '../../core/text/terminalText';
import type { InitProposalView, ProposedCommandView } from '../../shared/initProposal';
import { loadEngine } from '../engine';

/**
 * `live`: while verification runs (issue 70: the proposal is shown before it), each command's state so far by its
 * text: `running`, or its outcome; the view is then `verifying`.
 */
export function proposalView(
  census: Census,
  workspace: string,
  configExists: boolean,
  live?: ReadonlyMap<string, VerifyOutcome | 'running'>,
): InitProposalView {
  const now = (
    command: string,
    outcome: VerifyOutcome | undefined,
  ): ProposedCommandView['status'] | VerifyOutcome | undefined => outcome ?? live?.get(command);
  const { layerFolders, remainderLines, remainderWarning } = loadEngine();
  const remainders = census.layers.filter((l) => l.remainder);
  const said = new Set(remainders.map(remainderWarning));
  return {
    status: live ? 'verifying' : 'ready',
    workspace,
    layers: census.layers.map((layer) => ({
      name: layer.name,
      ...(layer.role ? { role: layer.role } : {}),
      owns: layer.owns,
      after: layer.after,
      commands: layer.validate.map((v, i) => {
        const state = now(v.command, layer.verified?.[i]);
        return state === 'running'
          ? { command: v.command, origin: v.origin, status: 'running', detail: 'running' }
          : commandView(v.command, v.origin, typeof state === 'object' ? state : undefined);
      }),
    })),
    schema: census.schema.map((s) => s.glob),
    sourceFiles: census.sourceFiles,
    ownedFiles: census.ownedFiles,
    unowned: census.unowned.slice(0, 50),
    // A remainder is said once, first: its one-line warning is left out of the list below.
    warnings: census.warnings.filter((w) => !said.has(w)).map(printable),
    remainders: remainders.map((layer) => ({
      layer: layer.name,
      dirs: layerFolders(layer),
      lines: remainderLines(layer.remainder!).map(printable),
    })),
    configExists,
  };
}

function commandView(command: string, origin: string, outcome: VerifyOutcome | undefined): ProposedCommandView {
  const { outcomeText } = loadEngine();
  const lines =
    outcome?.status === 'failed'
      ? outcome.firstLines
      : outcome?.status === 'timed-out'
        ? (outcome.lastLines ?? [])
        : [];
  const detail = [outcomeText(outcome), ...lines].join('\n');
  return { command, origin, status: outcome?.status ?? 'not-verified', detail };
}
