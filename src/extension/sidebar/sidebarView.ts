/**
 * The `orchestrator.sidebar` webview view. Posts nothing until the webview says `ready`, then
 * the full view model, and again (coalesced) on every change. No retainContextWhenHidden:
 * the webview restores itself from getState and the host re-sends the state after `ready`.
 */
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../../shared/protocol';
import type { EventLog } from '../log/eventLog';
import { Disposable } from '../util/disposable';
import type { ViewStore } from '../view/store';
import { makeNonce, sidebarHtml } from './html';

export const SIDEBAR_VIEW_ID = 'orchestrator.sidebar';
const POST_DELAY_MS = 50;

export class SidebarView extends Disposable implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private viewSubscriptions: vscode.Disposable[] = [];
  private readonly messages = this.register(new vscode.EventEmitter<WebviewMessage>());
  /** Every valid message from the webview (after `ready` has been answered with the state). */
  readonly onDidReceiveMessage = this.messages.event;
  private readonly resolved = this.register(new vscode.EventEmitter<void>());
  /** The view is being shown (VS Code resolved it): what it shows is needed now. */
  readonly onDidResolve = this.resolved.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: ViewStore,
    private readonly log: EventLog,
  ) {
    super();
    this.register(store.onDidChange(() => this.schedule()));
    this.register({ dispose: () => this.detach() });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.detach();
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    const nonce = makeNonce();
    view.webview.html = sidebarHtml({
      cspSource: view.webview.cspSource,
      nonce,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'sidebar.css')).toString(),
    });
    this.viewSubscriptions = [
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      // A hidden view's webview is destroyed; it says `ready` again when shown.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.ready = false;
      }),
      view.onDidDispose(() => this.detach()),
    ];
    this.resolved.fire();
  }

  /** Shows the view (creating it if needed) without taking focus from the editor. */
  reveal(): void {
    if (this.view) this.view.show(true);
    else void vscode.commands.executeCommand(`${SIDEBAR_VIEW_ID}.focus`);
  }

  notice(level: 'info' | 'warn' | 'error', text: string): void {
    this.post({ type: 'notice', level, text });
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.write('warn', `sidebar: ${parsed.error}`);
      return;
    }
    if (parsed.message.type === 'ready') {
      this.ready = true;
      this.flush();
    }
    this.messages.fire(parsed.message);
  }

  private schedule(): void {
    if (!this.ready || this.timer) return;
    this.timer = setTimeout(() => this.flush(), POST_DELAY_MS);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.post({ type: 'state', state: this.store.state });
  }

  private post(message: HostMessage): void {
    if (!this.view || !this.ready) return;
    void this.view.webview
      .postMessage(message)
      .then(undefined, (err: unknown) => this.log.write('trace', `sidebar post failed: ${String(err)}`));
  }

  private detach(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.viewSubscriptions.forEach((d) => d.dispose());
    this.viewSubscriptions = [];
    this.view = undefined;
    this.ready = false;
  }
}
