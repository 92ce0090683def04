import { HeadlessHost, wordsOf } from '../core/engineBundle';
import type { EngineEvent } from '../core/events';
import type { ConfirmationRequest, SpecDecision, SpecDecisionRequest } from '../core/host';

/**
 * The terminal's host: no human at the keyboard, so a question the flags did not answer up front
 * (`--approve`, `--yes`: the engine decides with them, questions.ts) is not answered here: a gate
 * saves (the line says how to approve), a confirmation is no.
 */
export class CliHost extends HeadlessHost {
  constructor(private readonly options: { progress: (line: string) => void }) {
    super();
  }

  protected async decideSpec(request: SpecDecisionRequest): Promise<SpecDecision> {
    if (request.phase !== undefined) {
      this.options.progress(
        `phase ${request.phase} waits at its gate: ${(request.documents ?? []).join(', ') || request.specPath} (approve with: orchestrator approve ${request.specId})`,
      );
      return { action: 'save' };
    }
    this.options.progress(`spec saved: ${request.specPath} (approve with: orchestrator approve ${request.specId})`);
    for (const line of placementLines(request)) this.options.progress(`  ${line}`);
    return { action: 'save' };
  }

  /** No human here: no (the engine journals and prints the answer). */
  protected async confirm(_request: ConfirmationRequest): Promise<boolean> {
    return false;
  }

  onEvent(event: EngineEvent): void {
    const line = describeEvent(event);
    if (line) this.options.progress(line);
  }
}

/** The event's progress line from the catalogue, indented by its depth; undefined for the chatty ones. */
export function describeEvent(event: EngineEvent): string | undefined {
  const words = wordsOf(event);
  if (words.progress === false) return undefined;
  const indent = '  '.repeat(words.depth);
  return words.text
    .split('\n')
    .map((line) => `${indent}${line}`)
    .join('\n');
}

/** The model's placement of an imported spec's tasks naming no file, as the gate shows it, and how to accept or change it. */
function placementLines(request: SpecDecisionRequest): string[] {
  const placement = request.placement;
  if (!placement) return [];
  return [
    ...placement.proposed.map((p) => `${p.task} → ${p.layer} (proposed by the model: ${p.reason})`),
    ...(placement.proposed.length > 0
      ? [`accept with: orchestrator approve ${request.specId} --yes; or change any: --assign "<task>=<layer>"`]
      : []),
    ...(placement.unplaced ? [`not placed: ${placement.unplaced}`] : []),
  ];
}
