// The real Claude Code (the Agent SDK's platform binary from node_modules) as a layer's or
// role's runner, pointed at the Messages API test server through its own documented variables.
// Its scripted turns are written like our own agent's (agentScript.ts), in Claude Code's tools.
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { block, reply, type RecordedRequest, type ScriptedReply } from '../messagesApiServer';
import type { AgentCall, AgentScript } from '../engine/agentScript';
import { harness, type Harness } from '../engine/harness';

/** Claude Code 2.1.330, shipped with @anthropic-ai/claude-agent-sdk as its platform package. */
export const CLAUDE_BINARY = resolve(
  __dirname,
  '../../../node_modules/@anthropic-ai/claude-agent-sdk-linux-x64/claude',
);

/** The config lines that put `layers` on claude-code, with the binary as its command. */
export function onClaudeCode(
  layers: string[],
  extra: { roles?: Record<string, string>; agentCli?: string } = {},
): (yaml: string) => string {
  return (yaml) => {
    let out = yaml;
    for (const layer of layers) out = out.replace(new RegExp(`(\\n {2}${layer}:\\n)`), `$1    runner: claude-code\n`);
    const roles = extra.roles
      ? `runners: { ${Object.entries(extra.roles)
          .map(([role, runner]) => `${role}: ${runner}`)
          .join(', ')} }\n`
      : '';
    return `${out}\n${roles}agentCli:\n  claude-code: { command: ${JSON.stringify(CLAUDE_BINARY)}, env: [ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL]${extra.agentCli ? `, ${extra.agentCli}` : ''} }\n`;
  };
}

/**
 * Claude Code reads its endpoint and key from its own variables, and keeps its sessions under
 * $HOME: a test gives it the test server and a HOME of its own, and puts them back after.
 */
export function claudeEnvironment(baseURL: string): { home: string; restore(): void } {
  const saved = {
    ANTHROPIC_BASE_URL: process.env.ANTHROPIC_BASE_URL,
    ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY,
    HOME: process.env.HOME,
  };
  const home = mkdtempSync(join(tmpdir(), 'orch-claude-home-'));
  process.env.ANTHROPIC_BASE_URL = baseURL;
  process.env.ANTHROPIC_API_KEY = 'test-key';
  process.env.HOME = home;
  return {
    home,
    restore() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The usual world: our agents and Claude Code's on the harness's server, its variables and a HOME of its own set while it lasts. */
export async function claudeWorld(
  agents: Record<string, AgentScript>,
  config: (yaml: string) => string,
  files?: Record<string, string>,
): Promise<{ h: Harness; done(): Promise<void> }> {
  const h = await harness(agents, { config, ...(files ? { files } : {}) });
  const env = claudeEnvironment(h.api.url);
  return {
    h,
    async done() {
      env.restore();
      await h.close();
    },
  };
}

/** The last text Claude Code sent as the user's (our prompt, or what a resume said), without its reminders. */
export function lastPrompt(req: RecordedRequest): string {
  const texts = (m: RecordedRequest['body']['messages'][number]): string[] =>
    typeof m.content === 'string'
      ? [m.content]
      : m.content.flatMap((b) => (b.type === 'text' && !b.text.startsWith('<system-reminder>') ? [b.text] : []));
  const last = [...req.body.messages].reverse().find((m) => m.role === 'user' && texts(m).length > 0);
  return last ? texts(last).join('\n') : '';
}

/** The names of the tools Claude Code offered the model in this request. */
export function toolNames(req: RecordedRequest): string[] {
  return (req.body.tools ?? []).map((t) => ('name' in t ? String(t.name) : ''));
}

/** Is this request from Claude Code (its own system prompt), rather than our own agent? */
export const fromClaude = (req: RecordedRequest): boolean =>
  /Primary working directory: /.test(JSON.stringify(req.body));

/** The folder Claude Code works in, as its system prompt states it. */
export function claudeCwd(call: AgentCall): string {
  // Claude Code states its environment in its system prompt or in a system message.
  const cwd = /Primary working directory: ([^\n"\\]+)/.exec(JSON.stringify(call.req.body))?.[1];
  if (!cwd) throw new Error("no working directory in Claude Code's system prompt");
  return cwd.trim();
}

/** Every text the request's messages carry (tool results included), for scripts that react to what the agent was told. */
export function conversationText(req: RecordedRequest): string {
  return JSON.stringify(req.body.messages);
}

export const cc = {
  /** Writes files (workspace-relative paths) with Claude Code's Write tool. */
  write: (call: AgentCall, files: Record<string, string>): ScriptedReply =>
    reply.turn(
      Object.entries(files).map(([path, content]) =>
        block.toolUse('Write', { file_path: join(claudeCwd(call), path), content }),
      ),
    ),
  read: (call: AgentCall, path: string): ScriptedReply =>
    reply.toolUse('Read', { file_path: join(claudeCwd(call), path) }),
  bash: (command: string): ScriptedReply => reply.toolUse('Bash', { command, description: 'run a command' }),
  /** The final answer, as Claude Code's structured output. */
  answer: (value: unknown): ScriptedReply => reply.toolUse('StructuredOutput', value as Record<string, unknown>),
  done: (summary = 'Implemented the tasks of my layer.'): ScriptedReply =>
    reply.toolUse('StructuredOutput', { status: 'done', summary }),
};

/** Processes (pids) whose working directory is inside `folder`: a Claude Code or a command it started. */
export function processesIn(folder: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === folder || cwd.startsWith(`${folder}/`)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}
