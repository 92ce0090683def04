/**
 * Puts an audit's report (`.claude/runs/{runId}/report.md`) in the sidebar: whenever the run in
 * view names a report it has not read yet (live, resumed or restored after a reload), the file
 * is read once and its markdown handed to the view.
 */
import * as vscode from 'vscode';
import type { ViewState } from '../../shared/viewState';
import type { EventLog } from '../log/eventLog';
import { insideWorkspace } from '../specs/specFiles';
import { Disposable } from '../util/disposable';
import type { ViewStore } from '../view/store';

export class AuditReports extends Disposable {
  /** Reports being read or that could not be read (not tried again on every state change). */
  private readonly tried = new Set<string>();

  constructor(
    private readonly store: ViewStore,
    private readonly workspace: () => string | undefined,
    private readonly log: EventLog,
  ) {
    super();
    this.register(store.onDidChange((state) => this.check(state)));
  }

  private check(state: ViewState): void {
    const audit = state.run?.audit;
    const ws = this.workspace();
    if (!audit?.reportPath || audit.report !== undefined || !ws) return;
    const key = `${ws}\0${audit.reportPath}\0${state.run?.runId ?? ''}`;
    if (this.tried.has(key)) return;
    this.tried.add(key);
    const path = audit.reportPath;
    const file = insideWorkspace(ws, path);
    if (!file) {
      this.log.write('warn', `audit report ${path} is outside the workspace; not shown`);
      return;
    }
    void Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.file(file))).then(
      (bytes) => {
        this.tried.delete(key);
        this.store.dispatch({ type: 'audit.report', path, markdown: new TextDecoder().decode(bytes) });
      },
      (err: unknown) => this.log.write('warn', `audit report ${path} could not be read: ${String(err)}`),
    );
  }
}
