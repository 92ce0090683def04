// Scripts the Messages API test server per agent and per conversation turn, so pipeline
// tests read like the conversation each agent has (agents may run in parallel).
import { block, reply, type Script, type Scripted, type ScriptedReply } from '../messagesApiServer';
import { judgeUnlistedCriteria, routeByAgent, type AgentCall } from '../agentCalls';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from './fixtures';

export type { AgentCall } from '../agentCalls';

export type AgentScript = (call: AgentCall) => Scripted | Promise<Scripted>;

export interface PipelineScript {
  script: Script;
  /** Every model request, as agent calls, in arrival order. */
  calls: AgentCall[];
  callsOf(agent: string): AgentCall[];
}

export function pipelineScript(agents: Record<string, AgentScript>): PipelineScript {
  const { route, calls } = routeByAgent(agents);
  const script: Script = async (req) =>
    judgeUnlistedCriteria(
      await route(req),
      calls.find((c) => c.req === req)!,
    );
  return { script, calls, callsOf: (agent) => calls.filter((c) => c.agent === agent) };
}

export const say = {
  write: (files: Record<string, string>): ScriptedReply =>
    reply.turn(Object.entries(files).map(([path, content]) => block.toolUse('write_file', { path, content }))),
  done: (summary = 'Implemented the tasks of my layer.'): ScriptedReply =>
    reply.toolUse('submit_result', { status: 'done', summary }),
  blocked: (summary: string): ScriptedReply => reply.toolUse('submit_result', { status: 'blocked', summary }),
  spec: (title: string, slug: string, markdown: string): ScriptedReply =>
    reply.toolUse('submit_spec', { title, slug, markdown }),
  approve: (): ScriptedReply => reply.toolUse('submit_review', { verdict: 'approved', issues: [] }),
  reject: (
    issues: { file: string; line?: number; severity: 'critical' | 'major' | 'minor'; problem: string; fix: string }[],
  ): ScriptedReply => reply.toolUse('submit_review', { verdict: 'rejected', issues }),
  diagnosis: (root_cause: string, proposed_fix: string, files: string[]): ScriptedReply =>
    reply.toolUse('submit_diagnosis', { root_cause, proposed_fix, files }),
  /** The approval gate's one call about imported tasks naming no file: a layer, `not-implementable` or `none` per task. */
  layers: (proposals: { task: string; layer: string; reason: string }[]): ScriptedReply =>
    reply.toolUse('propose_layers', { proposals }),
};

/** The usual layer conversation: write the files, then report done. */
export function writesThenDone(files: Record<string, string>): AgentScript {
  return ({ turn }) => (turn === 0 ? say.write(files) : say.done());
}

/** The spec agent answers at once with the given spec. */
export function specAnswer(title: string, slug: string, markdown: string): AgentScript {
  return () => say.spec(title, slug, markdown);
}

/** The Product feature's agents, each doing its part at once: the spec, the three layers' files, an approving review. */
export function productAgents(): Record<'spec' | 'database' | 'backend' | 'frontend' | 'review', AgentScript> {
  return { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), ...productLayers() };
}

/** The Product feature's layers, each writing its file at once, and an approving review: for a run whose spec is written already (no spec agent to ask). */
export function productLayers(): Record<'database' | 'backend' | 'frontend' | 'review', AgentScript> {
  return {
    database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
    backend: writesThenDone({ 'server/entities/product.js': PRODUCT_MODULE }),
    frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    review: () => say.approve(),
  };
}
