/**
 * `vscode-lm:<vendor>/<family>`: the editor's own chat models (the user's Copilot models, or
 * any extension's) as an engine model provider, contributed through RunOptions.providers. The
 * CLI has no such provider, so there the engine refuses the prefix before any call.
 *
 * Opening it for a run, before any request: every model is selected with
 * vscode.lm.selectChatModels and must exist and call tools (else a ProviderError naming the
 * model; the engine adds the agents and the config key), then the user is asked for consent.
 */
import * as vscode from 'vscode';
import type { ModelProvider } from '../../core/llm';
import { loadEngine } from '../engine';
import { editorModelClient } from './lmClient';
import type { EditorModelConsent } from './lmConsent';
import { VSCODE_LM } from './lmMessages';
import {
  canCallTools,
  malformedProblem,
  noToolsProblem,
  parseVendorFamily,
  pickMatch,
  unknownModelProblem,
  type EditorModel,
} from './lmModels';
import { describeModel } from './lmParts';

type Described = EditorModel & { chat: vscode.LanguageModelChat };

const described = (chats: readonly vscode.LanguageModelChat[]): Described[] =>
  chats.map((chat) => ({ ...describeModel(chat), chat }));

export function editorModelsProvider(consent: EditorModelConsent): ModelProvider {
  return {
    id: VSCODE_LM,
    label: "the editor's language models",
    async open(models, setup) {
      const { ProviderError } = loadEngine();
      let everyModel: Described[] | undefined;
      const available = async () => (everyModel ??= described(await vscode.lm.selectChatModels()));
      const chats = new Map<string, vscode.LanguageModelChat>();
      for (const name of models) {
        const selector = parseVendorFamily(name);
        if (!selector) throw new ProviderError(malformedProblem(name), name);
        const match = pickMatch(described(await vscode.lm.selectChatModels(selector)));
        if (!match) throw new ProviderError(unknownModelProblem(name, await available()), name);
        if (!canCallTools(match)) throw new ProviderError(noToolsProblem(match, await available()), name);
        chats.set(name, match.chat);
      }
      const answer = await consent.ask([...chats.values()], setup.config.limits.maxRequests);
      if (!answer.allowed) throw new ProviderError(answer.reason);
      return { client: editorModelClient(chats), secrets: [] };
    },
  };
}
