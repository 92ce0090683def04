import type { RunKind } from '../../events';
import { DEFAULT_WORKFLOW, loadWorkflow, type Workflow } from '../../project/workflows';

/**
 * The workflow a run follows, loaded (and so checked) before its journal exists: a feature runs
 * the named one or `feature`; a bugfix the named one, else its own pipeline; an audit its loop.
 */
export async function workflowOfRun(
  workspace: string,
  kind: RunKind,
  name: string | undefined,
  templatesDir?: string,
): Promise<Workflow | undefined> {
  if (kind === 'audit' || (kind === 'bugfix' && name === undefined)) return undefined;
  return loadWorkflow(workspace, name ?? DEFAULT_WORKFLOW, templatesDir);
}

/** What run.started records: the name, only when it is not the kind's default (a feature run's journal is as before). */
export function journaledWorkflow(kind: RunKind, workflow: Workflow | undefined): { workflow?: string } {
  return workflow && !(kind === 'feature' && workflow.name === DEFAULT_WORKFLOW) ? { workflow: workflow.name } : {};
}
