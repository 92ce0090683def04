/**
 * Copilot's own controls, so a violation is prevented and not only undone (the owns gate after
 * the agent stops stays the authority; docs/runners.md "Copilot CLI"):
 *   - the tools it may see (`availableTools`): shell, file viewing and search for every role,
 *     `create` and `edit` for layers only; no web, GitHub MCP, sub-agents, memory or skills;
 *   - a permission callback deciding every request the CLI raises: a write outside `owns` (or to
 *     a protected path) is rejected with the rule as feedback the model reads, a read or a shell
 *     command naming a denied file (a secret) is rejected, URLs, MCP tools, memory and hooks are
 *     rejected, shell commands are approved (headless: nobody could answer; what they change
 *     passes the owns gate);
 *   - its provider (BYOK) from the runner's variables, and an environment without the
 *     provider's key (it reaches the CLI over the SDK's connection only).
 */
import { isAbsolute, relative, resolve } from 'node:path';
import picomatch from 'picomatch';
import { writeRefusal } from '../cliAgent/writeRefusal';

/** Built-in tools a read-only role gets (its shell's changes are reverted by the owns gate). */
const READ_TOOLS = ['bash', 'read_bash', 'stop_bash', 'list_bash', 'view', 'grep', 'glob'];
/** What a layer gets on top: Copilot's file editing tools. */
const EDIT_TOOLS = ['create', 'edit'];

/** The SDK's `availableTools`, source-qualified so an MCP tool of the same name never matches. */
export function availableTools(readOnly: boolean): string[] {
  return [...READ_TOOLS, ...(readOnly ? [] : EDIT_TOOLS)].map((tool) => `builtin:${tool}`);
}

/** The sign-in variables that must never reach the agent's shell commands. */
export const SIGN_IN_VARIABLES = ['COPILOT_GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_TOKEN'];

/** The CLI's documented BYOK variables (`copilot help providers`), read by the runner, not the CLI. */
const PROVIDER_PREFIX = 'COPILOT_PROVIDER_';

export interface ProviderSettings {
  type?: 'openai' | 'azure' | 'anthropic';
  wireApi?: 'completions' | 'responses';
  baseUrl: string;
  apiKey?: string;
  bearerToken?: string;
}

/**
 * The provider the runner's variables name (`COPILOT_PROVIDER_BASE_URL` …), for the SDK's session
 * `provider`: the headless server does not read those variables itself (seen with 1.0.102: it
 * asked for a GitHub token). Undefined: Copilot's own models through the GitHub sign-in.
 */
export function providerOf(env: Record<string, string>): ProviderSettings | undefined {
  const baseUrl = env.COPILOT_PROVIDER_BASE_URL;
  if (!baseUrl) return undefined;
  const type = env.COPILOT_PROVIDER_TYPE;
  const wireApi = env.COPILOT_PROVIDER_WIRE_API;
  return {
    baseUrl,
    ...(type === 'openai' || type === 'azure' || type === 'anthropic' ? { type } : {}),
    ...(wireApi === 'completions' || wireApi === 'responses' ? { wireApi } : {}),
    ...(env.COPILOT_PROVIDER_API_KEY ? { apiKey: env.COPILOT_PROVIDER_API_KEY } : {}),
    ...(env.COPILOT_PROVIDER_BEARER_TOKEN ? { bearerToken: env.COPILOT_PROVIDER_BEARER_TOKEN } : {}),
  };
}

/**
 * The CLI process's environment: the runner's minimal one without the provider's variables (its
 * key would otherwise be readable by the agent's shell), its own state folder, and, with a
 * provider of the user's own, offline mode (no GitHub sign-in, telemetry or update checks).
 */
export function serverEnvironment(
  env: Record<string, string>,
  copilotHome: string,
  model: string | undefined,
): Record<string, string> {
  // Offline mode wants the provider's URL and a model in its environment (1.0.102 exits without them); the key stays out.
  const kept = Object.fromEntries(
    Object.entries(env).filter(([name]) => !name.startsWith(PROVIDER_PREFIX) || name === 'COPILOT_PROVIDER_BASE_URL'),
  );
  const offline = providerOf(env) ? { COPILOT_OFFLINE: 'true', ...(model ? { COPILOT_MODEL: model } : {}) } : {};
  return { ...kept, COPILOT_HOME: copilotHome, COPILOT_AUTO_UPDATE: 'false', ...offline };
}

/** The permission request fields the runner reads (the SDK's union, narrowed to what is used). */
export interface PermissionAsk {
  kind: string;
  fileName?: string;
  path?: string;
  possiblePaths?: string[];
  fullCommandText?: string;
}

export type PermissionAnswer = { kind: 'approve-once' } | { kind: 'reject'; feedback: string };

const refuse = (why: string): PermissionAnswer => ({ kind: 'reject', feedback: `refused by the orchestrator: ${why}` });

/** Decides one permission request of the agent working in `cwd` on `owns`, with `deny` (secrets) unreadable. */
export function permissionDecider(
  cwd: string,
  owns: readonly string[],
  deny: readonly string[],
): (ask: PermissionAsk) => PermissionAnswer {
  // A denied pattern matches at any depth, like the deny list's own `**/` reading (privacy.ts).
  const denied =
    deny.length > 0
      ? picomatch(
          deny.map((p) => (p.startsWith('**/') || p.startsWith('/') ? p.replace(/^\/+/, '') : `**/${p}`)),
          { dot: true },
        )
      : () => false;
  const secret = (file: string): boolean => {
    const full = isAbsolute(file) ? file : resolve(cwd, file);
    const rel = relative(cwd, full).split('\\').join('/');
    return denied(rel.startsWith('..') ? full.replace(/^\/+/, '') : rel);
  };
  return (ask) => {
    switch (ask.kind) {
      case 'write': {
        const why = writeRefusal(cwd, ask.fileName, owns);
        return why ? refuse(why) : { kind: 'approve-once' };
      }
      case 'read':
        return ask.path && secret(ask.path)
          ? refuse(`${ask.path} holds secrets (privacy.deny): no agent reads it`)
          : { kind: 'approve-once' };
      case 'shell': {
        // Its own guess at the paths misses some (`cat secrets/prod.key` gave none): every word is checked too.
        const words = (ask.fullCommandText ?? '')
          .split(/[\s;|&<>()'"`=]+/)
          .filter((word) => word !== '' && !word.startsWith('-'));
        const file = [...(ask.possiblePaths ?? []), ...words].find(secret);
        return file ? refuse(`${file} holds secrets (privacy.deny): no command reads it`) : { kind: 'approve-once' };
      }
      default:
        return refuse(`${ask.kind} requests are not allowed in an orchestrated run`);
    }
  };
}
