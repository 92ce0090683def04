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
  /** 0-based turn within the conversation (assistant messages so far). */
  turn: number;
  /** 1-based: which conversation of this agent (attempts, retries, review fixes). */
  attempt: number;
  /** The first user message: the task, with RETRY / REVIEW FIX / PARALLEL sections. */
  task: string;
  req: RecordedRequest;
}

export type AgentScript = (call: AgentCall) => Scripted | Promise<Scripted>;

export function agentOfRequest(req: RecordedRequest): string | undefined {
  const system = req.body.system;
  const first = typeof system === 'string' ? system : system?.[0]?.text;
  return /^# You are the (\S+) SPECIALIST/.exec(first ?? '')?.[1]?.toLowerCase();
}

function firstUserText(req: RecordedRequest): string {
  const first = req.body.messages[0];
  if (!first) return '';
  if (typeof first.content === 'string') return first.content;
  return first.content.map((b) => ('text' in b ? b.text : '')).join('\n');
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
    const turn = req.body.messages.filter((m) => m.role === 'assistant').length;
    if (turn === 0) conversations.set(agent, (conversations.get(agent) ?? 0) + 1);
    const call: AgentCall = { agent, turn, attempt: conversations.get(agent) ?? 1, task: firstUserText(req), req };
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
