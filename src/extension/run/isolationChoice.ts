/**
 * The choice of where a run works (issue 22), as a button on the last input of New Feature,
 * New Bugfix and Audit to Target: in this checkout, or in its own git worktree. It starts at
 * `orchestrator.isolation`, else the config's `isolation`; the title says which is chosen.
 * New Feature and New Bugfix add a second button, the workflow picker (workflowChoice.ts).
 */
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import type { Engine } from '../engine';
import type { WorkflowOption } from './workflowChoice';
import { workflowTitle } from './workflowItems';

export type Isolation = 'in-place' | 'worktree';

export interface IsolatedAnswer {
  text: string;
  isolation: Isolation;
  /** The workflow chosen with the picker's button (absent: the kind's own pipeline). */
  workflow?: string;
  /** The waiver button was on (`feature --allow-untested`): a `trace` gate records requirements with no test as waived. */
  allowUntested?: true;
}

const where = (isolation: Isolation): string => (isolation === 'worktree' ? 'in its own worktree' : 'in this checkout');

/** The default for a run in `workspace`: the setting, else the config file. */
export async function startingIsolation(
  engine: Pick<Engine, 'defaultIsolation'>,
  workspace: string,
): Promise<Isolation> {
  return (
    readSettings(vscode.Uri.file(workspace)).isolation ??
    (await engine.defaultIsolation(workspace).catch(() => 'in-place' as const))
  );
}

/** showInputBox with the isolation button; undefined when dismissed. */
export function askWithIsolation(
  options: {
    title: string;
    prompt: string;
    placeHolder?: string;
    value?: string;
    validate: (value: string) => string | undefined;
  },
  initial: Isolation,
  workflowOption?: WorkflowOption,
): Promise<IsolatedAnswer | undefined> {
  const box = vscode.window.createInputBox();
  let isolation = initial;
  let workflow = workflowOption?.initial;
  let workflowButton: vscode.QuickInputButton | undefined;
  // The waiver (`--allow-untested`): offered only while the chosen workflow has a `trace` gate.
  let allowUntested = false;
  let waiverButton: vscode.QuickInputButton | undefined;
  // While the workflow picker is open the box is hidden, not dismissed.
  let picking = false;
  const render = (): void => {
    const gates = workflowOption?.untestedGates(workflow) ?? [];
    if (gates.length === 0) allowUntested = false;
    const waiver = allowUntested ? `untested waived at ${gates.join(', ')}` : '';
    box.title = [options.title, where(isolation), workflowOption ? workflowTitle(workflow) : '', waiver]
      .filter(Boolean)
      .join(' · ');
    workflowButton = workflowOption
      ? {
          iconPath: new vscode.ThemeIcon('list-ordered'),
          tooltip: `Choose the workflow (now: ${workflow ?? 'its own pipeline'})`,
        }
      : undefined;
    waiverButton =
      gates.length === 0
        ? undefined
        : allowUntested
          ? {
              iconPath: new vscode.ThemeIcon('warning'),
              tooltip: `Requirements with no test are waived at phase ${gates.join(', ')} (recorded in the journal and the matrix, as --allow-untested); click to make them fail the gate`,
            }
          : {
              iconPath: new vscode.ThemeIcon('beaker'),
              tooltip: `Requirements with no test fail phase ${gates.join(', ')}'s gate; click to waive them (--allow-untested: recorded in the journal and the matrix)`,
            };
    box.buttons = [
      {
        iconPath: new vscode.ThemeIcon(isolation === 'worktree' ? 'git-branch' : 'home'),
        tooltip:
          isolation === 'worktree'
            ? 'Runs in its own worktree; click to run in this checkout'
            : 'Runs in this checkout; click to run in its own worktree',
      },
      ...(workflowButton ? [workflowButton] : []),
      ...(waiverButton ? [waiverButton] : []),
    ];
  };
  box.prompt = options.prompt;
  if (options.placeHolder) box.placeholder = options.placeHolder;
  if (options.value !== undefined) box.value = options.value;
  box.ignoreFocusOut = true;
  render();
  return new Promise((resolve) => {
    let answered = false;
    box.onDidTriggerButton((button) => {
      if (button === waiverButton) {
        allowUntested = !allowUntested;
        render();
        return;
      }
      if (button === workflowButton && workflowOption) {
        picking = true;
        void workflowOption.pick(workflow).then((chosen) => {
          workflow = chosen;
          picking = false;
          render();
          box.show();
        });
        return;
      }
      isolation = isolation === 'worktree' ? 'in-place' : 'worktree';
      render();
    });
    box.onDidChangeValue((value) => (box.validationMessage = options.validate(value)));
    box.onDidAccept(() => {
      const problem = options.validate(box.value);
      if (problem) {
        box.validationMessage = problem;
        return;
      }
      answered = true;
      resolve({
        text: box.value.trim(),
        isolation,
        ...(workflow !== undefined ? { workflow } : {}),
        ...(allowUntested ? { allowUntested: true as const } : {}),
      });
      box.hide();
    });
    box.onDidHide(() => {
      if (picking) return;
      if (!answered) resolve(undefined);
      box.dispose();
    });
    box.show();
  });
}
