/**
 * Seed 001's critical operations, checked before a model turn's changes are applied:
 * deleting more than 50 lines, touching more than 5 files in one turn, or changing a
 * `schema` path. Each asks the host (`assumeYes` answers yes without asking; a host with
 * no human answers no). A refusal turns that turn's mutating calls into error results.
 */
import type { TurnEffects } from '../../agents/types';
import type { ConfirmationRequest } from '../../host';
import { isSchemaPath } from '../../project/config';
import type { RunContext } from '../run/runContext';

export const MAX_DELETED_LINES = 50;
export const MAX_FILES_PER_TURN = 5;

export function confirmationsNeeded(ctx: Pick<RunContext, 'config'>, effects: TurnEffects): ConfirmationRequest[] {
  const { agent, paths, deletedLines } = effects;
  const asks: ConfirmationRequest[] = [];
  if (deletedLines > MAX_DELETED_LINES) {
    asks.push({ kind: 'delete-lines', agent, paths, question: `The ${agent} agent will delete ${deletedLines} lines in ${shown(paths)}. Allow it?` });
  }
  if (paths.length > MAX_FILES_PER_TURN) {
    asks.push({ kind: 'many-files', agent, paths, question: `The ${agent} agent will change ${paths.length} files at once. Allow it?` });
  }
  const schema = paths.filter((path) => isSchemaPath(ctx.config, path));
  if (schema.length > 0) {
    asks.push({ kind: 'schema-change', agent, paths: schema, question: `The ${agent} agent will change the schema: ${shown(schema)}. Allow it?` });
  }
  return asks;
}

/** The agent loop's approveTurn hook for this run. */
export function confirmTurn(ctx: RunContext): (effects: TurnEffects) => Promise<boolean> {
  return async (effects) => {
    for (const request of confirmationsNeeded(ctx, effects)) {
      const answer = ctx.opts.assumeYes === true ? true : await ctx.host.confirm(request);
      ctx.emit({ type: 'confirmation', question: request.question, answer });
      if (!answer) return false;
    }
    return true;
  };
}

function shown(paths: string[]): string {
  return paths.length <= 5 ? paths.join(', ') : `${paths.slice(0, 5).join(', ')} and ${paths.length - 5} more`;
}
