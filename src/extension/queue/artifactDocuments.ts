/**
 * An artifact's content as read-only editor documents (scheme `orchestrator-artifact`), so the
 * reviewer reads the whole change in VS Code's diff editor: the workspace file on the left, the
 * submitted file on the right (an empty left side for a new file); a submitted diff opens as a
 * `diff` document. Nothing is written to the workspace.
 */
import { existsSync, statSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Artifact } from '../../core/queue';
import { insideWorkspace } from '../specs/specFiles';
import { Disposable } from '../util/disposable';

const SCHEME = 'orchestrator-artifact';
/** Documents kept for the editor; the oldest are dropped beyond this. */
const KEPT = 20;

export class ArtifactDocuments extends Disposable {
  private readonly contents = new Map<string, string>();

  constructor() {
    super();
    this.register(
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
        provideTextDocumentContent: (uri) => this.contents.get(uri.toString()) ?? '',
      }),
    );
  }

  async show(workspace: string, artifact: Artifact): Promise<void> {
    if (artifact.type === 'code' && artifact.path) {
      const right = this.keep(`${artifact.id}/${artifact.path}`, artifact.content);
      const file = insideWorkspace(workspace, artifact.path);
      const left =
        file && existsSync(file) && statSync(file).isFile()
          ? vscode.Uri.file(file)
          : this.keep(`${artifact.id}/empty/${artifact.path}`, '');
      await vscode.commands.executeCommand(
        'vscode.diff',
        left,
        right,
        `${artifact.path}: workspace ↔ artifact ${artifact.id} from ${artifact.submittedBy}`,
        { preview: true },
      );
      return;
    }
    const document = await vscode.workspace.openTextDocument(
      this.keep(`${artifact.id}/artifact.diff`, artifact.content),
    );
    await vscode.languages.setTextDocumentLanguage(document, 'diff');
    await vscode.window.showTextDocument(document, { preview: true });
  }

  private keep(path: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${path}` });
    this.contents.set(uri.toString(), content);
    while (this.contents.size > KEPT) this.contents.delete(this.contents.keys().next().value!);
    return uri;
  }
}
