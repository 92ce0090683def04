/**
 * The read-only tools: `orchestrator_runStatus {runId?}` (a run, or the runs going, else the
 * latest; the pool's too), `orchestrator_listSpecs` and `orchestrator_verifySpec {specId}` (drift against today's
 * code; its checks run only in a trusted workspace). No confirmation: they change nothing.
 */
import type * as vscode from 'vscode';
import type * as z from 'zod/mini';
import type { Services } from '../../services';
import { check, listSpecsInput, runStatusInput, verifySpecInput } from '../chatInputs';
import { chatWorkspace, NO_FOLDER } from '../chatRuns';
import { runStatus, verifyData } from '../chatStatus';
import { toolResult } from './toolResult';

/** A tool whose input `schema` checks and whose JSON `answer` computes in the chat's workspace. */
function readTool<T>(
  s: Services,
  schema: z.ZodMiniType<T>,
  answer: (input: T, workspace: string) => Promise<unknown>,
  invocationMessage: string,
): vscode.LanguageModelTool<T> {
  return {
    prepareInvocation: () => ({ invocationMessage }),
    async invoke(options) {
      const input = check(schema, options.input ?? {});
      if (!input.ok) throw new Error(`Invalid input: ${input.error}`);
      const ws = chatWorkspace(s);
      if (!ws) throw new Error(NO_FOLDER);
      return toolResult(await answer(input.value, ws));
    },
  };
}

export const READ_TOOLS = {
  orchestrator_runStatus: (s: Services) =>
    readTool(s, runStatusInput, (input, ws) => runStatus(s, ws, input.runId), 'Reading the Orchestrator runs'),
  orchestrator_listSpecs: (s: Services) =>
    readTool(
      s,
      listSpecsInput,
      async (_input, ws) => ({
        specs: (await s.engine.listSpecs(ws)).map((x) => ({
          id: x.id,
          title: x.title,
          kind: x.kind,
          status: x.status,
          path: x.path,
          created: x.created,
        })),
      }),
      'Listing the specs',
    ),
  orchestrator_verifySpec: (s: Services) =>
    readTool(
      s,
      verifySpecInput,
      (input, ws) => verifyData(s, ws, input.specId, input.strength === true),
      'Verifying the spec against the code',
    ),
} as const;
