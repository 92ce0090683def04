/**
 * The supervisor portal's decisions reach a run waiting here at its spec gate: the portal records
 * each one in `.claude/runs/spec-decisions.jsonl` (who, what, feedback); when a line for the spec
 * this window is waiting on arrives after the wait began, the gate is answered with it, as if the
 * button had been pressed in the sidebar (an approval still needs a trusted workspace). A workflow
 * phase's gate (issue 29) is answered by a line naming that phase; a spec gate's line names none.
 */
import * as vscode from 'vscode';
import { Disposable } from '../util/disposable';
import type { EventLog } from '../log/eventLog';
import type { SpecDecisions } from './specDecisions';

const DECISIONS_GLOB = '**/.claude/runs/spec-decisions.jsonl';

interface Line {
  specId?: unknown;
  action?: unknown;
  by?: unknown;
  at?: unknown;
  feedback?: unknown;
  /** A workflow phase's gate (issue 29); absent for the spec gate. */
  phase?: unknown;
}

export class PortalSpecDecisions extends Disposable {
  constructor(
    private readonly decisions: SpecDecisions,
    private readonly log: EventLog,
  ) {
    super();
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(DECISIONS_GLOB));
    const heard = (uri: vscode.Uri) => void this.read(uri);
    this.register(watcher.onDidCreate(heard));
    this.register(watcher.onDidChange(heard));
  }

  private async read(uri: vscode.Uri): Promise<void> {
    const waiting = this.decisions.pending;
    if (!waiting) return;
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return;
    }
    const lines = text
      .split('\n')
      .slice(-200)
      .flatMap((raw): Line[] => {
        try {
          return raw.trim() ? [JSON.parse(raw) as Line] : [];
        } catch {
          return [];
        }
      });
    const gateOf = (line: Line) => (typeof line.phase === 'string' ? line.phase : undefined);
    const latest = lines
      .filter(
        (l) =>
          l.specId === waiting.specId &&
          gateOf(l) === waiting.phase &&
          typeof l.at === 'string' &&
          Date.parse(l.at) >= waiting.since,
      )
      .at(-1);
    if (!latest || typeof latest.by !== 'string') return;
    const phase = waiting.phase;
    this.log.write(
      'info',
      `spec ${waiting.specId}${phase === undefined ? '' : ` (phase ${phase}'s gate)`}: ${String(latest.action)} by ${latest.by} in the portal`,
    );
    if (latest.action === 'approve') this.decisions.approve(waiting.specId, phase);
    else if (latest.action === 'save') this.decisions.save(waiting.specId, phase);
    else if (latest.action === 'changes' && typeof latest.feedback === 'string')
      this.decisions.requestChanges(waiting.specId, latest.feedback, phase);
  }
}
