/**
 * A fake user for the dialogs the extension opens: messages (modal or not), input boxes and
 * quick picks are answered by the test instead of waiting for a click. The UI tier
 * (test/e2e/ui) clicks the real ones; here the point is what the extension does with the answer.
 * The stubs replace `vscode.window.*` on the API object the extension shares with the tests
 * (see probe.ts); `restore()` puts the originals back.
 */
import * as vscode from 'vscode';
import { probe } from './probe';

export interface Shown {
  kind: 'info' | 'warn' | 'error';
  message: string;
  modal: boolean;
  detail?: string;
  items: string[];
}

export interface PickShown {
  items: vscode.QuickPickItem[];
  options: vscode.QuickPickOptions | undefined;
}

type AnyFn = (...args: unknown[]) => unknown;
const itemTitle = (i: unknown): string => (typeof i === 'string' ? i : String((i as { title?: unknown })?.title ?? ''));

export class FakeUser {
  readonly shown: Shown[] = [];
  readonly inputBoxes: vscode.InputBoxOptions[] = [];
  readonly picks: PickShown[] = [];
  /** The button clicked for a message (its title), or undefined to dismiss it; a promise clicks later. */
  onMessage: (m: Shown) => string | undefined | Promise<string | undefined> = () => undefined;
  /** What is typed into an input box, or undefined for Escape. */
  onInput: (o: vscode.InputBoxOptions) => string | undefined = () => undefined;
  /** The item picked, or undefined for Escape. */
  onPick: (items: vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined = () => undefined;

  private readonly originals = new Map<string, unknown>();

  constructor() {
    const win = vscode.window as unknown as Record<string, unknown>;
    const message =
      (kind: Shown['kind']) =>
      (text: unknown, ...rest: unknown[]) => {
        const hasOptions =
          rest.length > 0 && typeof rest[0] === 'object' && rest[0] !== null && !('title' in (rest[0] as object));
        const options = (hasOptions ? rest[0] : {}) as vscode.MessageOptions;
        const items = hasOptions ? rest.slice(1) : rest;
        const shown: Shown = {
          kind,
          message: String(text),
          modal: options.modal === true,
          detail: options.detail,
          items: items.map(itemTitle),
        };
        this.shown.push(shown);
        probe().uiTexts.push(shown.message, shown.detail ?? '');
        return Promise.resolve(this.onMessage(shown)).then((answer) =>
          answer === undefined ? undefined : items.find((i) => itemTitle(i) === answer),
        );
      };
    this.replace(win, 'showInformationMessage', message('info'));
    this.replace(win, 'showWarningMessage', message('warn'));
    this.replace(win, 'showErrorMessage', message('error'));
    this.replace(win, 'showInputBox', (options: unknown) => {
      const o = (options ?? {}) as vscode.InputBoxOptions;
      this.inputBoxes.push(o);
      probe().uiTexts.push(o.title ?? '', o.prompt ?? '');
      return Promise.resolve(this.onInput(o));
    });
    this.replace(win, 'showQuickPick', async (items: unknown, options: unknown) => {
      const list = [...((await items) as vscode.QuickPickItem[])];
      this.picks.push({ items: list, options: options as vscode.QuickPickOptions | undefined });
      probe().uiTexts.push(...list.map((i) => `${i.label} ${i.description ?? ''} ${i.detail ?? ''}`));
      return this.onPick(list);
    });
  }

  private replace(target: Record<string, unknown>, name: string, fn: AnyFn): void {
    this.originals.set(name, target[name]);
    target[name] = fn;
  }

  messages(kind?: Shown['kind']): Shown[] {
    return kind ? this.shown.filter((m) => m.kind === kind) : this.shown;
  }

  restore(): void {
    const win = vscode.window as unknown as Record<string, unknown>;
    for (const [name, fn] of this.originals) win[name] = fn;
    this.originals.clear();
  }
}
