import type OpenAI from 'openai';
import { APIConnectionError, APIError } from 'openai/core/error';

/** How long the model list may take before the check is skipped (a slow gateway is not a broken one). */
const LIST_TIMEOUT_MS = 10_000;

export type ModelList = { ids: Set<string> } | { unreachable: string } | { refused: number } | { unlisted: true };

/** The endpoint's model ids (GET /models): what it serves, or why that cannot be known. */
export async function listModels(sdk: OpenAI, signal?: AbortSignal): Promise<ModelList> {
  const timeout = AbortSignal.timeout(LIST_TIMEOUT_MS);
  try {
    const ids = new Set<string>();
    for await (const model of sdk.models.list({ signal: signal ? AbortSignal.any([signal, timeout]) : timeout })) ids.add(model.id);
    return { ids };
  } catch (error) {
    if (error instanceof APIConnectionError && !timeout.aborted && !signal?.aborted) return { unreachable: error.message };
    if (error instanceof APIError && (error.status === 401 || error.status === 403)) return { refused: error.status };
    // 404 and the like: the endpoint does not list its models.
    return { unlisted: true };
  }
}
