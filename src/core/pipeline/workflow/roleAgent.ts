/**
 * A workflow phase's role as an agent (issue 29): its context file, its model and runner, and the
 * paths it may write. Every role runs through the one agent door (runPipelineAgent), so the
 * runner, the budget, API weather, cancellation and the owns guard are the layers' own. A
 * writing role may write only the documents its phase declares (and, for a `code` output, within
 * the layers' owns); it ends with submit_result, refused until every document is written. A
 * reviewer is read-only and answers with submit_review (accept, or ask again with reasons).
 */
import { join } from 'node:path';
import type { ReviewReport } from '../../agents';
import { loadAgentContext } from '../../project/context';
import { modelFor } from '../../project/config';
import { readOptionalText } from '../../project/sources';
import { shippedWorkflowsDir, type WorkflowPhase, type WorkflowRole } from '../../project/workflows';
import { roleOf } from './workflowAgents';
import { RunStop } from '../../errors';
import { runPipelineAgent } from '../agent';
import type { RunContext } from '../kernel';

export const ROLE_MAX_TOKENS = 16384;

/**
 * The role's instructions: its `context:` file, else the workspace's compiled
 * `.claude/context/<agent>.context.md` (or its sources), else the one the package ships for the
 * roles of slice and squads (`workflows/roles/<agent>.context.md`).
 */
export async function roleContext(ctx: RunContext, role: Exclude<WorkflowRole, string>): Promise<string | undefined> {
  if (role.context) {
    const text = await readOptionalText(join(ctx.workspace, role.context));
    if (text === undefined)
      ctx.warn(`The context file of role ${role.agent} (${role.context}) does not exist; the role runs without it`);
    return text;
  }
  const own = await loadAgentContext(ctx.workspace, ctx.config, role.agent);
  if (own.content !== undefined) {
    if (own.warning) ctx.warn(own.warning);
    return own.content;
  }
  const shipped = shippedWorkflowsDir(ctx.opts.templatesDir);
  const text = shipped ? await readOptionalText(join(shipped, 'roles', `${role.agent}.context.md`)) : undefined;
  if (text === undefined)
    ctx.warn(
      `No context file for role ${role.agent} (${own.path}) and none shipped: the role runs with its phase's task only`,
    );
  return text;
}

function roleSystem(role: Exclude<WorkflowRole, string>, phase: WorkflowPhase, owns: string[]): string {
  const what = phase.title ? `${phase.name}: ${phase.title}` : phase.name;
  return [
    `# You are the ${role.agent.toUpperCase()} SPECIALIST`,
    `You are the ${role.agent} of phase ${what} of this project's workflow. Work only through your tools; paths are relative to the workspace root. Read whatever you need.`,
    owns.length > 0
      ? `You may write only: ${owns.join(', ')}. Any other write is refused. Write each document the task lists, with every section it requires as a Markdown heading, then call submit_result with status "done" and a short summary (status "blocked" with the reason when you cannot).`
      : 'You are read-only: you change no file. Answer with your final tool.',
  ].join('\n\n');
}

function attemptOf(ctx: RunContext, agent: string): number {
  return ctx.events.filter((e) => e.type === 'agent.started' && e.agent === agent).length + 1;
}

/** The writing role: writes `documents` (and code within `code` owns) and reports done; every document must exist before it may. */
export async function runWritingRole(
  ctx: RunContext,
  phase: WorkflowPhase,
  task: string,
  documents: string[],
  code: string[],
): Promise<string> {
  const role = roleOf(phase);
  const owns = role.access === 'read-only' ? [] : [...documents, ...code];
  const { final } = await runPipelineAgent(ctx, {
    name: role.agent,
    mode: 'role',
    attempt: attemptOf(ctx, role.agent),
    model: role.model ?? modelFor(ctx.config, role.agent),
    maxTokens: ROLE_MAX_TOKENS,
    system: roleSystem(role, phase, owns),
    ...(await contextPart(ctx, role)),
    task,
    owns,
    finalTool: 'submit_result',
    checkFinal: async (result) => {
      if (result.status !== 'done' || role.access === 'read-only') return undefined;
      const missing: string[] = [];
      for (const path of documents)
        if ((await readOptionalText(join(ctx.workspace, path))) === undefined) missing.push(path);
      return missing.length > 0
        ? `Write ${missing.join(', ')} first (with write_file), then call submit_result again.`
        : undefined;
    },
    maxTurns: ctx.config.limits.maxAgentTurns,
  });
  if (final.status === 'blocked') {
    throw new RunStop(
      'blocked',
      `phase ${phase.name}: ${role.agent} is blocked`,
      `## Pipeline stopped: the ${role.agent} of phase ${phase.name} is blocked\n${final.summary}\n### Action needed\nGive the role what it misses (the phase's inputs, its context file), then run \`orchestrator resume\`.`,
    );
  }
  return final.summary;
}

/** The reviewer of a phase (seed 003's CTO): read-only, it judges the role's documents and accepts them or asks again. */
export async function runReviewer(
  ctx: RunContext,
  phase: WorkflowPhase,
  reviewer: string,
  task: string,
): Promise<ReviewReport> {
  const role = { agent: reviewer, access: 'read-only' as const };
  const { final } = await runPipelineAgent(ctx, {
    name: reviewer,
    mode: 'role-review',
    attempt: attemptOf(ctx, reviewer),
    model: modelFor(ctx.config, reviewer),
    maxTokens: ROLE_MAX_TOKENS,
    system: [
      roleSystem(role, phase, []),
      'You judge the documents of the phase\'s role. Answer with submit_review: verdict "approved" to accept them as they are; "rejected" to ask for another version, with one issue per thing to change (file, severity, problem, fix).',
    ].join('\n\n'),
    ...(await contextPart(ctx, role)),
    task,
    owns: [],
    finalTool: 'submit_review',
    maxTurns: ctx.config.limits.maxAgentTurns,
  });
  return final;
}

async function contextPart(ctx: RunContext, role: Exclude<WorkflowRole, string>): Promise<{ context?: string }> {
  const context = await roleContext(ctx, role);
  return context === undefined ? {} : { context };
}
