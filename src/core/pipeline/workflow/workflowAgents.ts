/**
 * The agents a workflow starts besides its steps' own (issue 29): each role phase's role, with
 * its own `model:` when it names one, each reviewer, and any agent a role gives a `runner:`.
 * The run opens their providers and finds their CLI agents at its start (run/runSetup.ts), as
 * it does for the layers and its kind's roles, so a role on a provider or runner no other agent
 * uses fails the run before any model call instead of in the middle of it.
 */
import type { Workflow, WorkflowPhase, WorkflowRole } from '../../project/workflows';

/** A role in its full form (`role: architect` is `{agent: architect}`); a phase without one is its own name's role. */
export function roleOf(phase: WorkflowPhase): Exclude<WorkflowRole, string> {
  const role = phase.role ?? phase.name.toLowerCase();
  return typeof role === 'string' ? { agent: role } : role;
}

export interface WorkflowAgent {
  agent: string;
  /** The phase whose role (or reviewer) it is, for messages. */
  phase: string;
  /** The role's own `model:`; absent: the config's model for the agent (models.agents.<agent>, models.default). */
  model?: string;
}

export function workflowAgents(workflow: Workflow): WorkflowAgent[] {
  const agents: WorkflowAgent[] = [];
  for (const phase of workflow.phases) {
    const role = roleOf(phase);
    // A step's own agents are the run kind's; its role matters when it names a runner (agentRunnerName).
    if (!phase.uses || role.runner)
      agents.push({
        agent: role.agent,
        phase: phase.name,
        ...(!phase.uses && role.model ? { model: role.model } : {}),
      });
    if (phase.reviewer) agents.push({ agent: phase.reviewer, phase: phase.name });
  }
  return agents;
}
