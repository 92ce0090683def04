import { LlmError } from './llmError';
import { parseModelId } from './modelId';
import type { Pricing } from './pricing';
import type { ModelClient, ModelReply } from './types';

/**
 * The one client the agents of a run send with: a request names its model as configured
 * (`claude-…`, `openai:gpt-4.1`, `vscode-lm:copilot/gpt-4o`), goes to that provider's client
 * under the provider's own name, and its reply is priced by the configured id. A reply with
 * no price, or without usage figures, stays unpriced: the budget counts it as a request.
 */
export function routingClient(clients: ReadonlyMap<string, ModelClient>, pricing: Pricing): ModelClient {
  const clientOf = (id: string) => {
    const ref = parseModelId(id);
    const client = clients.get(ref.provider);
    if (!client) throw new LlmError('bad-request', `No model provider "${ref.provider}" is open for ${ref.id}.`);
    return { ref, client };
  };
  return {
    async send(request): Promise<ModelReply> {
      const { ref, client } = clientOf(request.model);
      const reply = await client.send({ ...request, model: ref.model });
      const costUsd = reply.usageUnknown ? undefined : pricing.costOf(ref.id, reply.usage);
      const { costUsd: _unpriced, ...rest } = reply;
      return costUsd === undefined ? rest : { ...rest, costUsd };
    },
    contextWindow(id) {
      const { ref, client } = clientOf(id);
      return client.contextWindow?.(ref.model);
    },
  };
}
