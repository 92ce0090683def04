/**
 * Serves a file's content at a run's checkpoint (engine.fileAtCheckpoint) as a read-only
 * document on the `orchestrator-checkpoint` scheme, the left side of Show Changes' diffs.
 */
import * as vscode from 'vscode';
import type { Engine } from '../engine';

export const CHECKPOINT_SCHEME = 'orchestrator-checkpoint';

/** `empty` gives an empty document (the missing side of an added or deleted file). */
export function checkpointUri(workspace: string, runId: string, relPath: string, empty = false): vscode.Uri {
  const query = new URLSearchParams({ ws: workspace, run: runId, ...(empty ? { empty: '1' } : {}) });
  return vscode.Uri.from({
    scheme: CHECKPOINT_SCHEME,
    path: `/${relPath.replace(/^\/+/, '')}`,
    query: query.toString(),
  });
}

export class CheckpointDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly engine: Engine) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const ws = query.get('ws');
    const run = query.get('run');
    if (query.get('empty') === '1' || !ws || !run) return '';
    // Reading a checkpoint runs git: never in Restricted Mode (a diff opened before trust was revoked).
    if (!vscode.workspace.isTrusted) return '';
    const bytes = await this.engine.fileAtCheckpoint(ws, run, uri.path.replace(/^\/+/, ''));
    return bytes ? new TextDecoder().decode(bytes) : '';
  }
}
