import type OpenAI from 'openai';
import { APIConnectionError, APIError } from 'openai/core/error';
import { toolSupportOf, type ToolSupport } from './toolSupport';

/** How long the model list may take before the check is skipped (a slow gateway is not a broken one). */
const LIST_TIMEOUT_MS = 10_000;

/** `models`: each listed id, with whether its entry says it can call tools (undefined: it does not say). */
export type ModelList =
  { models: Map<string, ToolSupport> } | { unreachable: string } | { refused: number } | { unlisted: true };

/** The endpoint's model ids (GET /models): what it serves, or why that cannot be known. */
export async function listModels(sdk: OpenAI, signal?: AbortSignal): Promise<ModelList> {
  const timeout = AbortSignal.timeout(LIST_TIMEOUT_MS);
  try {
    const models = new Map<string, ToolSupport>();
    for await (const model of sdk.models.list({ signal: signal ? AbortSignal.any([signal, timeout]) : timeout }))
      models.set(model.id, toolSupportOf(model));
    return { models };
  } catch (error) {
    if (error instanceof APIConnectionError && !timeout.aborted && !signal?.aborted)
      return { unreachable: error.message };
    if (error instanceof APIError && (error.status === 401 || error.status === 403)) return { refused: error.status };
    // 404 and the like: the endpoint does not list its models.
    return { unlisted: true };
  }
}
