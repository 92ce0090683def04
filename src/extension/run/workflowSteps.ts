/**
 * The sidebar's workflow steps need the workflow file (titles, roles, gates, every phase in
 * order), which no event carries: whenever a run in view (the in-place one or a lane) follows a
 * workflow whose file was not read yet, read it through the engine's listing (what
 * `orchestrator workflows --json` prints) and hand it to the view. The same for a new run, a
 * resumed one and one rebuilt from its journal after a reload: each is read once per run id.
 */
import type { WorkflowListing } from '../../core/engine';
import type { RunView, WorkflowDefinition } from '../../shared/viewState';
import type { Engine } from '../engine';
import type { EventLog } from '../log/eventLog';
import { Disposable } from '../util/disposable';
import type { ViewStore } from '../view/store';

/** A listing's workflow as the view's definition (a broken file: its problem). */
export function definitionOf(
  name: string,
  listings: readonly Pick<WorkflowListing, 'name' | 'phases' | 'problem'>[],
): WorkflowDefinition {
  const listing = listings.find((entry) => entry.name === name);
  if (!listing) return { name, problem: `no workflow "${name}" in this workspace`, phases: [] };
  if (listing.problem) return { name, problem: listing.problem, phases: [] };
  return {
    name,
    phases: listing.phases.map((phase) => ({
      name: phase.name,
      gate: phase.gate,
      documents: [...phase.documents],
      ...(phase.title ? { title: phase.title } : {}),
      ...(phase.role ? { role: phase.role } : {}),
      ...(phase.uses ? { uses: phase.uses } : {}),
    })),
  };
}

export class WorkflowSteps extends Disposable {
  /** `runId:workflow` already read (its definition) or being read (undefined). */
  private readonly read = new Map<string, WorkflowDefinition | undefined>();

  constructor(
    private readonly deps: {
      store: ViewStore;
      engine: Pick<Engine, 'listWorkflows'>;
      /** The folder whose workflows the runs follow (the run's, else the current one). */
      workspace: () => string | undefined;
      log: EventLog;
    },
  ) {
    super();
    this.register(
      deps.store.onDidChange((state) => [state.run, ...(state.lanes ?? [])].forEach((run) => this.check(run))),
    );
  }

  private check(run: RunView | undefined): void {
    const workflow = run?.workflow;
    if (!run?.runId || !workflow || workflow.defined || workflow.problem) return;
    const key = `${run.runId}:${workflow.name}`;
    if (this.read.has(key)) {
      // Read before: a resumed run's view is rebuilt from its journal without it, so it is handed over again.
      const known = this.read.get(key);
      const runId = run.runId;
      if (known) queueMicrotask(() => this.deps.store.dispatch({ type: 'workflow.defined', runId, definition: known }));
      return;
    }
    this.read.set(key, undefined);
    void this.define(run.runId, workflow.name).then((definition) => this.read.set(key, definition));
  }

  private async define(runId: string, name: string): Promise<WorkflowDefinition | undefined> {
    const workspace = this.deps.workspace();
    if (!workspace) return undefined;
    try {
      const definition = definitionOf(name, await this.deps.engine.listWorkflows(workspace));
      this.deps.store.dispatch({ type: 'workflow.defined', runId, definition });
      return definition;
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      this.deps.log.write('warn', `workflow ${name}: not read for the sidebar's steps: ${problem}`);
      const definition = { name, problem, phases: [] };
      this.deps.store.dispatch({ type: 'workflow.defined', runId, definition });
      return definition;
    }
  }
}
