/**
 * Tells the Messages API test server's requests apart per agent and per attempt, so a
 * script can answer each agent by its conversation (agents may run in parallel). Used by the
 * pipeline tests (test/support/engine/agentScript.ts) and the benchmarks'
 * scripted agents (bench/support/scriptedAgents.ts).
 */
import type { RecordedRequest } from './messagesApiServer';

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

/**
 * From the agent's own system block, the one starting "# You are the X SPECIALIST" (a layer
 * agent's follows the run's shared block; an OpenAI-compatible request has them all in one
 * block). A request without a system prompt (a provider with no system role, like the editor's
 * models, folds it into the first user message) is read from the first message's text blocks.
 */
export function agentOfRequest(req: RecordedRequest): string | undefined {
  const system = req.body.system;
  const first = req.body.messages[0];
  const folded =
    !system && first && typeof first.content !== 'string'
      ? first.content.map((b) => (b.type === 'text' ? b.text : ''))
      : [];
  const blocks = typeof system === 'string' ? [system] : system ? system.map((b) => b.text) : folded;
  for (const text of blocks) {
    const agent = /^# You are the (\S+) SPECIALIST/m.exec(text)?.[1];
    if (agent) return agent.toLowerCase();
  }
  return undefined;
}

function textOf(message: RecordedRequest['body']['messages'][number]): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .map((b) => (b.type === 'text' ? b.text : ''))
    .filter(Boolean)
    .join('\n');
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

/**
 * Records each request as an AgentCall (in arrival order; an agent's attempt counts up at
 * each turn 0) and hands it to that agent's handler.
 */
export function routeByAgent<R>(agents: Record<string, (call: AgentCall) => R>): {
  route: (req: RecordedRequest) => R;
  calls: AgentCall[];
} {
  const calls: AgentCall[] = [];
  const conversations = new Map<string, number>();
  const route = (req: RecordedRequest): R => {
    const agent = agentOfRequest(req);
    if (!agent) throw new Error('request without an agent marker in its system prompt');
    const { start, task, turn } = attemptOf(req);
    if (turn === 0) conversations.set(agent, (conversations.get(agent) ?? 0) + 1);
    const call: AgentCall = { agent, turn, attempt: conversations.get(agent) ?? 1, task, continued: start > 0, req };
    calls.push(call);
    const handler = agents[agent];
    if (!handler) throw new Error(`no script for the ${agent} agent`);
    return handler(call);
  };
  return { route, calls };
}

/** The acceptance criteria ids a review task asks to judge ("## ACCEPTANCE CRITERIA" section). */
export function criteriaToJudge(task: string): string[] {
  const section = task.split('## ACCEPTANCE CRITERIA')[1];
  if (!section) return [];
  return [...section.matchAll(/^- ([A-Z][A-Z0-9]*-\d+[a-z]?(?:\.\d+[a-z]?)+):/gm)].map((m) => m[1]!);
}

/**
 * A scripted reviewer that submits no `criteria` judges every criterion of its task met (what
 * a real reviewer approving says), so scripts written before traceability keep working.
 * Scripts that test criteria give them explicitly.
 */
export function judgeUnlistedCriteria<T>(scripted: T, call: AgentCall): T {
  const reply = scripted as {
    kind?: string;
    content?: { type: string; name?: string; input?: Record<string, unknown> }[];
  };
  if (call.agent !== 'review' || reply.kind !== 'reply' || !reply.content) return scripted;
  const ids = criteriaToJudge(call.task);
  if (ids.length === 0) return scripted;
  return {
    ...reply,
    content: reply.content.map((block) =>
      block.type === 'tool_use' && block.name === 'submit_review' && block.input && block.input.criteria === undefined
        ? { ...block, input: { ...block.input, criteria: ids.map((id) => ({ id, verdict: 'met' })) } }
        : block,
    ),
  } as T;
}
