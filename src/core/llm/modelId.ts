/**
 * Model ids as users write them in `models.default` and `models.agents.*` (docs/configuration.md
 * "Models and providers"), parsed in this one place:
 *
 *   claude-sonnet-5-5              the Anthropic API (a plain id; `anthropic:<id>` works too)
 *   openai:<model>                 an OpenAI-compatible endpoint (providers.openai.baseURL)
 *   vscode-lm:<vendor>/<family>    the editor's Language Model API (VS Code only)
 *
 * Any other `<prefix>:` names a provider a host may contribute (RunOptions.providers).
 */

export const ANTHROPIC = 'anthropic';
export const OPENAI = 'openai';
export const VSCODE_LM = 'vscode-lm';

export interface ModelRef {
  /** The id as configured, e.g. `openai:gpt-4.1`. */
  id: string;
  /** The provider's prefix: `anthropic`, `openai`, `vscode-lm`, … */
  provider: string;
  /** The provider's own name for the model, e.g. `gpt-4.1`, `copilot/gpt-4o`. */
  model: string;
}

const PREFIXED = /^([a-z][a-z0-9-]*):(.*)$/;

export function parseModelId(id: string): ModelRef {
  const trimmed = id.trim();
  const prefixed = PREFIXED.exec(trimmed);
  if (!prefixed) return { id: trimmed, provider: ANTHROPIC, model: trimmed };
  return { id: trimmed, provider: prefixed[1] as string, model: (prefixed[2] as string).trim() };
}

/** The provider's name for a configured id (the part after the prefix). */
export const modelName = (id: string): string => parseModelId(id).model;

/** `vscode-lm:<vendor>/<family>`: the selector for `vscode.lm.selectChatModels`; undefined when malformed. */
export function vendorFamily(model: string): { vendor: string; family: string } | undefined {
  const match = /^([^/\s]+)\/([^\s]+)$/.exec(model.trim());
  return match ? { vendor: match[1] as string, family: match[2] as string } : undefined;
}
