/**
 * The sidebar's Approve: the spec waiting for a decision is approved at once; any other spec
 * (a saved one, or a stale view naming a spec that is no longer pending) starts a run that
 * implements it, which runs agents, spends budget and runs the workspace's commands, so the
 * human confirms that first. No vscode import: the host's dialogs are passed in.
 */
export interface ApproveDeps {
  decisions: { approve(specId?: string): boolean; readonly pendingSpecId: string | undefined };
  /** Untrusted, implementing is refused anyway (with the trust message): nothing to confirm. */
  trusted: boolean;
  /** A modal question; true when the human chose to go on. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** Implements a saved spec in a new run (the Approve Spec command). */
  implement(specId: string): Promise<void>;
}

export async function approveFromSidebar(specId: string, deps: ApproveDeps): Promise<void> {
  const pending = deps.decisions.pendingSpecId;
  if (deps.decisions.approve(specId)) return;
  const detail = pending
    ? `The spec waiting for your decision is ${pending}; ${specId} is a different one. Implementing it starts a new run with layer agents and the workspace's validate commands.`
    : `${specId} is not waiting for a decision. Implementing it starts a new run with layer agents and the workspace's validate commands.`;
  if (deps.trusted && !(await deps.confirm(`Implement spec ${specId}?`, detail, 'Implement'))) return;
  await deps.implement(specId);
}
