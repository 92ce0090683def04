/**
 * Scripts the Messages API test server per agent and per conversation turn, every reply
 * taking a fixed latency (the "model time" of a call: time to the first token, then the
 * stream). Agents are told apart by the first line of their own system block ("# You are
 * the BACKEND SPECIALIST").
 */
import { block, reply, type Script, type Scripted, type ScriptedReply } from '../../test/support/messagesApiServer';
import { judgeUnlistedCriteria, routeByAgent, type AgentCall } from '../../test/support/agentCalls';

export { agentOfRequest, type AgentCall } from '../../test/support/agentCalls';

export type AgentScript = (call: AgentCall) => Scripted;

export interface ScriptedAgents {
  script: Script;
  calls: AgentCall[];
}

/**
 * Share of a call's latency before its first event (message_start): the time to the first
 * token. The rest is the output streaming in, spread evenly over the remaining events.
 */
export const FIRST_EVENT_SHARE = 0.2;

/**
 * Every reply (not faults) takes `latencyMs` from request to last event: 20% before
 * message_start (time to first token), 80% spread over the stream that follows.
 */
export function scriptedAgents(agents: Record<string, AgentScript>, latencyMs: number): ScriptedAgents {
  const { route, calls } = routeByAgent(agents);
  const script: Script = (req) => {
    const scripted = judgeUnlistedCriteria(
      route(req),
      calls.find((c) => c.req === req)!,
    );
    return scripted.kind === 'reply'
      ? reply.slow(scripted, { beforeMs: latencyMs * FIRST_EVENT_SHARE, streamMs: latencyMs * (1 - FIRST_EVENT_SHARE) })
      : scripted;
  };
  return { script, calls };
}

/** A read-only tool call an agent makes to look around before it writes. */
export type Look = { tool: 'read_file'; path: string } | { tool: 'list_files'; path: string };

export const read = (path: string): Look => ({ tool: 'read_file', path });
export const list = (path: string): Look => ({ tool: 'list_files', path });

export const say = {
  look: (look: Look): ScriptedReply =>
    reply.turn([`Let me look at ${look.path} first.`, block.toolUse(look.tool, { path: look.path })]),
  write: (files: Record<string, string>): ScriptedReply =>
    reply.turn([
      'Writing the files.',
      ...Object.entries(files).map(([path, content]) => block.toolUse('write_file', { path, content })),
    ]),
  done: (summary: string): ScriptedReply => reply.toolUse('submit_result', { status: 'done', summary }),
  spec: (title: string, slug: string, markdown: string): ScriptedReply =>
    reply.toolUse('submit_spec', { title, slug, markdown }),
  approve: (): ScriptedReply => reply.toolUse('submit_review', { verdict: 'approved', issues: [] }),
};

/**
 * A layer agent doing what its context file asks: look at the reference files, write its
 * files, report done (one model call per step). A retry (attempt > 1) reads the files it
 * wrote before rewriting them. `filesFor(attempt)` lets an attempt write something else.
 */
export function layerAgent(
  looks: Look[],
  filesFor: (attempt: number) => Record<string, string>,
  summary: string,
): AgentScript {
  return ({ turn, attempt }) => {
    const files = filesFor(attempt);
    const steps = attempt === 1 ? looks : Object.keys(files).map(read);
    const look = steps[turn];
    if (look) return say.look(look);
    if (turn === steps.length) return say.write(files);
    return say.done(summary);
  };
}

/** The spec agent: looks at the registry and reference files, then submits the spec. */
export function specAgent(looks: Look[], title: string, slug: string, markdown: string): AgentScript {
  return ({ turn }) => {
    const look = looks[turn];
    return look ? say.look(look) : say.spec(title, slug, markdown);
  };
}

/** The review agent reads the files it checks (the diff is in its task), then approves. */
export function reviewAgent(looks: Look[]): AgentScript {
  return ({ turn }) => {
    const look = looks[turn];
    return look ? say.look(look) : say.approve();
  };
}
