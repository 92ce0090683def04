// Scripts the Messages API test server per agent and per conversation turn, so pipeline
// tests read like the conversation each agent has (agents may run in parallel).
import {
  block,
  reply,
  type RecordedRequest,
  type Script,
  type Scripted,
  type ScriptedReply,
} from '../../../support/messagesApiServer';

export interface AgentCall {
  /** `spec`, `database`, `backend`, `frontend`, `review`, `diagnose`. */
  agent: string;
  /** 0-based turn within the attempt (assistant messages since the attempt's task). */
  turn: number;
  /** 1-based: which attempt of this agent (first run, retries, review fixes), new conversation or continued. */
  attempt: number;
  /** The attempt's task: the first user message, or the RETRY message appended to a continued conversation. */
  task: string;
  /** The attempt continues an earlier conversation (its task is not the first message). */
  continued: boolean;
  req: RecordedRequest;
}

export type AgentScript = (call: AgentCall) => Scripted | Promise<Scripted>;

/** From the agent's own system block, the one starting "# You are the X SPECIALIST" (a layer agent's follows the run's shared block). */
export function agentOfRequest(req: RecordedRequest): string | undefined {
  const system = req.body.system;
  const blocks = typeof system === 'string' ? [system] : (system ?? []).map((b) => b.text);
  for (const text of blocks) {
    const agent = /^# You are the (\S+) SPECIALIST/.exec(text)?.[1];
    if (agent) return agent.toLowerCase();
  }
  return undefined;
}

function textOf(message: RecordedRequest['body']['messages'][number]): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((b) => (b.type === 'text' ? b.text : '')).filter(Boolean).join('\n');
}

/**
 * Where the current attempt starts: the last user message carrying a task (the engine's
 * tasks and retry messages start with a "## " heading; tool results and the loop's
 * reminders do not), so a retry continuing a conversation counts as a new attempt.
 */
export function attemptOf(req: RecordedRequest): { start: number; task: string; turn: number } {
  const messages = req.body.messages;
  let start = 0;
  messages.forEach((m, i) => {
    if (m.role === 'user' && textOf(m).startsWith('## ')) start = i;
  });
  const turn = messages.slice(start).filter((m) => m.role === 'assistant').length;
  const first = messages[start];
  return { start, task: first ? textOf(first) : '', turn };
}

export interface PipelineScript {
  script: Script;
  /** Every model request, as agent calls, in arrival order. */
  calls: AgentCall[];
  callsOf(agent: string): AgentCall[];
}

export function pipelineScript(agents: Record<string, AgentScript>): PipelineScript {
  const calls: AgentCall[] = [];
  const conversations = new Map<string, number>();
  const script: Script = (req) => {
    const agent = agentOfRequest(req);
    if (!agent) throw new Error('request without an agent marker');
    const { start, task, turn } = attemptOf(req);
    if (turn === 0) conversations.set(agent, (conversations.get(agent) ?? 0) + 1);
    const call: AgentCall = { agent, turn, attempt: conversations.get(agent) ?? 1, task, continued: start > 0, req };
    calls.push(call);
    const handler = agents[agent];
    if (!handler) throw new Error(`no script for the ${agent} agent`);
    return handler(call);
  };
  return { script, calls, callsOf: (agent) => calls.filter((c) => c.agent === agent) };
}

export const say = {
  write: (files: Record<string, string>): ScriptedReply =>
    reply.turn(Object.entries(files).map(([path, content]) => block.toolUse('write_file', { path, content }))),
  done: (summary = 'Implemented the tasks of my layer.'): ScriptedReply => reply.toolUse('submit_result', { status: 'done', summary }),
  blocked: (summary: string): ScriptedReply => reply.toolUse('submit_result', { status: 'blocked', summary }),
  spec: (title: string, slug: string, markdown: string): ScriptedReply => reply.toolUse('submit_spec', { title, slug, markdown }),
  approve: (): ScriptedReply => reply.toolUse('submit_review', { verdict: 'approved', issues: [] }),
  reject: (issues: { file: string; line?: number; severity: 'critical' | 'major' | 'minor'; problem: string; fix: string }[]): ScriptedReply =>
    reply.toolUse('submit_review', { verdict: 'rejected', issues }),
  diagnosis: (root_cause: string, proposed_fix: string, files: string[]): ScriptedReply =>
    reply.toolUse('submit_diagnosis', { root_cause, proposed_fix, files }),
};

/** The usual layer conversation: write the files, then report done. */
export function writesThenDone(files: Record<string, string>): AgentScript {
  return ({ turn }) => (turn === 0 ? say.write(files) : say.done());
}

/** The spec agent answers at once with the given spec. */
export function specAnswer(title: string, slug: string, markdown: string): AgentScript {
  return () => say.spec(title, slug, markdown);
}
