/**
 * The Gemini CLI's home for one agent (`GEMINI_CLI_HOME`): the agent's private home
 * (cliAgent/privateHome.ts), not the user's ~/.gemini (whose settings, extensions, MCP servers,
 * hooks, policies and GEMINI.md could loosen our controls). It holds our settings (how it signs
 * in; no extensions, MCP servers, hooks, skills, telemetry, auto-update or checkpoints), the
 * admin policy (geminiPolicy.ts) and Gemini's own state: its sessions, which `--resume` finds
 * there, so every attempt of one agent uses the same home. A Login-with-Google sign-in of the
 * user is copied in (geminiSignIn).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userHomeOf, type SignIn } from '../cliAgent/privateHome';
import { geminiPolicy } from './geminiPolicy';

export interface GeminiHome {
  /** GEMINI_CLI_HOME: Gemini keeps everything under `<home>/.gemini`. */
  home: string;
  /** The admin policy file for `--admin-policy`. */
  policy: string;
}

/** The user's Login-with-Google files, copied into the agent's home. */
export const geminiSignIn: SignIn = (from) =>
  ['oauth_creds.json', 'google_accounts.json'].map((name) => ({
    from: join(userHomeOf(from), '.gemini', name),
    to: join('.gemini', name),
  }));

/**
 * How the agent signs in, from the runner's variables: Vertex AI when asked for, the Gemini API
 * with a key (GOOGLE_GEMINI_BASE_URL then names the endpoint), else the user's Login with Google.
 */
export function authTypeOf(
  env: Record<string, string>,
  userGemini: string | undefined,
): 'vertex-ai' | 'gemini-api-key' | 'oauth-personal' {
  if (env.GOOGLE_GENAI_USE_VERTEXAI === 'true') return 'vertex-ai';
  if (env.GEMINI_API_KEY) return 'gemini-api-key';
  if (userGemini && existsSync(join(userGemini, 'oauth_creds.json'))) return 'oauth-personal';
  // Nothing signs it in: Gemini says so ("you must specify the GEMINI_API_KEY"), as one line.
  return 'gemini-api-key';
}

export function geminiSettings(authType: string): Record<string, unknown> {
  return {
    security: { auth: { selectedType: authType }, enablePermanentToolApproval: false },
    admin: { extensions: { enabled: false }, mcp: { enabled: false }, skills: { enabled: false } },
    skills: { enabled: false },
    hooksConfig: { enabled: false },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    ide: { enabled: false },
    general: {
      enableAutoUpdate: false,
      enableAutoUpdateNotification: false,
      checkpointing: { enabled: false },
      sessionRetention: { enabled: false },
    },
  };
}

export function prepareGeminiHome(cwd: string, env: Record<string, string>, owns: readonly string[]): GeminiHome {
  const home = env.HOME!;
  const dotGemini = join(home, '.gemini');
  mkdirSync(dotGemini, { recursive: true });
  const authType = authTypeOf(env, dotGemini);
  writeFileSync(join(dotGemini, 'settings.json'), `${JSON.stringify(geminiSettings(authType), null, 2)}\n`);
  const policy = join(home, 'orchestrator-policy.toml');
  writeFileSync(policy, geminiPolicy({ cwd, owns }));
  return { home, policy };
}
