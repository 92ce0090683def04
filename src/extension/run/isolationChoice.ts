/**
 * The choice of where a run works (issue 22), as a button on the last input of New Feature,
 * New Bugfix and Audit to Target: in this checkout, or in its own git worktree. It starts at
 * `orchestrator.isolation`, else the config's `isolation`; the title says which is chosen.
 */
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import type { Engine } from '../engine';

export type Isolation = 'in-place' | 'worktree';

export interface IsolatedAnswer {
  text: string;
  isolation: Isolation;
}

const where = (isolation: Isolation): string => (isolation === 'worktree' ? 'in its own worktree' : 'in this checkout');

/** The default for a run in `workspace`: the setting, else the config file. */
export async function startingIsolation(engine: Pick<Engine, 'defaultIsolation'>, workspace: string): Promise<Isolation> {
  return readSettings(vscode.Uri.file(workspace)).isolation ?? (await engine.defaultIsolation(workspace).catch(() => 'in-place' as const));
}

/** showInputBox with the isolation button; undefined when dismissed. */
export function askWithIsolation(
  options: { title: string; prompt: string; placeHolder?: string; value?: string; validate: (value: string) => string | undefined },
  initial: Isolation,
): Promise<IsolatedAnswer | undefined> {
  const box = vscode.window.createInputBox();
  let isolation = initial;
  const render = (): void => {
    box.title = `${options.title} · ${where(isolation)}`;
    box.buttons = [
      {
        iconPath: new vscode.ThemeIcon(isolation === 'worktree' ? 'git-branch' : 'home'),
        tooltip: isolation === 'worktree' ? 'Runs in its own worktree; click to run in this checkout' : 'Runs in this checkout; click to run in its own worktree',
      },
    ];
  };
  box.prompt = options.prompt;
  if (options.placeHolder) box.placeholder = options.placeHolder;
  if (options.value !== undefined) box.value = options.value;
  box.ignoreFocusOut = true;
  render();
  return new Promise((resolve) => {
    let answered = false;
    box.onDidTriggerButton(() => {
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
      resolve({ text: box.value.trim(), isolation });
      box.hide();
    });
    box.onDidHide(() => {
      if (!answered) resolve(undefined);
      box.dispose();
    });
    box.show();
  });
}
