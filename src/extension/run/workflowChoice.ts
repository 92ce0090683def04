/**
 * The workflow picker of New Feature and New Bugfix (issue 29): a button on the request's input
 * box opens the workspace's workflows (its own `.claude/workflows/*.yaml`, then the shipped ones:
 * the engine's listing, as `orchestrator workflows --json` prints it). A feature starts at
 * `feature`, a bugfix at its own pipeline, every time: nothing is remembered from an earlier
 * run, so a run never follows a workflow nobody chose for it. The choice reaches the engine as
 * `--workflow` does (RunOptions.workflow).
 */
import * as vscode from 'vscode';
import type { WorkflowListing } from '../../core/engine';
import type { Engine } from '../engine';
import { untestedGates, workflowItems } from './workflowItems';

/** The picker's button on the input box. */
export interface WorkflowOption {
  /** The workflow chosen so far; undefined: the kind's own pipeline (a bugfix's). */
  initial: string | undefined;
  /** Opens the picker; resolves the new choice, or the current one when dismissed. */
  pick(current: string | undefined): Promise<string | undefined>;
  /**
   * A feature's chosen workflow's phases whose gate checks `trace` (slice's F): where
   * `--allow-untested` applies, as the CLI's `feature --allow-untested` (empty for a bugfix: the CLI has no such flag there).
   */
  untestedGates(name: string | undefined): string[];
}

export function workflowOption(
  engine: Pick<Engine, 'listWorkflows'>,
  workspace: string,
  kind: 'feature' | 'bugfix',
): WorkflowOption {
  // The listing the picker read: a chosen workflow's gates come from it.
  let listed: WorkflowListing[] = [];
  return {
    initial: kind === 'feature' ? 'feature' : undefined,
    untestedGates: (name) => (kind === 'feature' ? untestedGates(listed.find((listing) => listing.name === name)) : []),
    async pick(current) {
      let listings: WorkflowListing[];
      try {
        listings = listed = await engine.listWorkflows(workspace);
      } catch (error) {
        void vscode.window.showErrorMessage(
          `Orchestrator: the workflows could not be listed: ${error instanceof Error ? error.message : String(error)}`,
        );
        return current;
      }
      const items = workflowItems(kind, listings, current);
      const picked = await vscode.window.showQuickPick(items, {
        title: `Orchestrator: workflow of the ${kind}`,
        placeHolder: 'The phases the run follows, with their gates',
        matchOnDetail: true,
        ignoreFocusOut: true,
      });
      if (!picked) return current;
      if (picked.problem) {
        void vscode.window.showWarningMessage(`Orchestrator: workflow ${picked.name} cannot run: ${picked.problem}`);
        return current;
      }
      return picked.name;
    },
  };
}
