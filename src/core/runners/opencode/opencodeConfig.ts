/**
 * opencode's own controls for one agent, as the config we hand it in OPENCODE_CONFIG_CONTENT
 * (docs/runners.md "opencode"): our agent (`orchestrator`: our role's text as its whole system
 * prompt, its step limit, its permissions), and nothing that reaches out (no autoupdate, no
 * sharing, no snapshots, no LSP or formatter downloads).
 *
 * Permissions are opencode's native rules, evaluated LAST match wins:
 *   - a layer may `edit` (write, edit, apply_patch) only what its `owns` allows, never a
 *     protected path; its commands (`bash`) run without asking — nobody could answer in a
 *     headless run — and what they change passes our owns gate like any edit;
 *   - a read-only role (spec, review, diagnose, audit) may neither edit nor run commands;
 *   - nobody reads the deny list's files (they are not in the worktree anyway), leaves the
 *     worktree (`external_directory`), fetches the web, or starts sub-agents (`task`, whose
 *     own agents would not carry these rules).
 * `ask` is never left anywhere: in `opencode run` an `ask` is refused, but explicit rules say so.
 */
import { PROTECTED_GLOBS } from '../../project/config';

/** Our agent's name in opencode's config (`--agent orchestrator`). */
export const AGENT_NAME = 'orchestrator';
/** The provider made from the runner's OPENAI_BASE_URL (a gateway, a local server). */
export const PROVIDER_NAME = 'orchestrator';

type Rules = Record<string, 'allow' | 'deny'>;

/**
 * opencode's patterns are wildcards (`*` spans `/`, no braces or classes), matched against the
 * path relative to the working directory. An owns glob becomes patterns that allow at least
 * what it allows (our own gate, with picomatch, is the exact one): `**\/x` also as `x` (a root
 * file), and a glob with braces or classes as its literal folder.
 */
export function ownsPatterns(glob: string): string[] {
  const special = glob.search(/[{[]/);
  if (special !== -1) {
    const slash = glob.slice(0, special).lastIndexOf('/');
    return [slash <= 0 ? '*' : `${glob.slice(0, slash)}/*`];
  }
  const out = [glob];
  if (glob.startsWith('**/')) out.push(glob.slice(3));
  return out;
}

export interface OpencodeConfigInput {
  /** Our role's text: the agent's whole system prompt. */
  system: string;
  owns: readonly string[];
  deny: readonly string[];
  maxTurns: number;
  /** The runner's variables: OPENAI_BASE_URL among them becomes the `orchestrator` provider. */
  env: Record<string, string>;
  /** `models.agents.<role>` as given. */
  model?: string;
}

export function permissionsOf(owns: readonly string[], deny: readonly string[]): Record<string, unknown> {
  const readOnly = owns.length === 0;
  const edit: Rules = { '*': 'deny' };
  if (!readOnly) {
    for (const glob of owns) for (const pattern of ownsPatterns(glob)) edit[pattern] = 'allow';
    for (const glob of PROTECTED_GLOBS) {
      edit[glob] = 'deny';
      edit[`*/${glob}`] = 'deny';
    }
  }
  const read: Rules = { '*': 'allow' };
  for (const glob of deny) {
    read[glob] = 'deny';
    if (!glob.startsWith('**/') && !glob.startsWith('*')) read[`*/${glob}`] = 'deny';
  }
  return {
    edit,
    read,
    bash: readOnly ? 'deny' : 'allow',
    glob: 'allow',
    grep: 'allow',
    list: 'allow',
    todowrite: 'allow',
    task: 'deny',
    skill: 'deny',
    webfetch: 'deny',
    websearch: 'deny',
    question: 'deny',
    external_directory: 'deny',
    doom_loop: 'deny',
  };
}

/** The provider the runner's variables call for, and the model id opencode is given. */
export function providerOf(
  env: Record<string, string>,
  model: string | undefined,
): { provider?: Record<string, unknown>; model?: string } {
  const baseURL = env.OPENAI_BASE_URL;
  if (!baseURL) return model ? { model } : {};
  // `provider/model` names one of opencode's own providers; a bare id is the gateway's.
  if (model?.includes('/')) return { model };
  const models = model ? { [model]: { name: model, tool_call: true } } : {};
  return {
    provider: {
      [PROVIDER_NAME]: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Orchestrator',
        options: { baseURL, apiKey: '{env:OPENAI_API_KEY}' },
        models,
      },
    },
    ...(model ? { model: `${PROVIDER_NAME}/${model}` } : {}),
  };
}

export function opencodeConfig(input: OpencodeConfigInput): { config: Record<string, unknown>; model?: string } {
  const permission = permissionsOf(input.owns, input.deny);
  const { provider, model } = providerOf(input.env, input.model);
  const config: Record<string, unknown> = {
    $schema: 'https://opencode.ai/config.json',
    autoupdate: false,
    share: 'disabled',
    snapshot: false,
    lsp: false,
    formatter: false,
    mcp: {},
    permission,
    ...(provider ? { provider } : {}),
    ...(model ? { model } : {}),
    agent: {
      [AGENT_NAME]: {
        mode: 'primary',
        description: 'An agent of the Orchestrator run, under its gates',
        prompt: input.system,
        steps: input.maxTurns,
        permission,
      },
    },
  };
  return { config, ...(model ? { model } : {}) };
}
