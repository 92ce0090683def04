/**
 * New Feature in a workspace of repositories (issue 73): a folder holding `.claude/workspace.yaml`,
 * or a multi-root workspace whose folders are git repositories (the engine reads them as one:
 * engine.folderWorkspace), builds one change-set, as `orchestrator feature` in that folder: each
 * member's part of one spec written producers first, then one approval for the set. A multi-root
 * workspace is asked first (a feature may still go to one folder); with no workspace file yet, the
 * one `init` would propose is written in the folders' common folder, as the modal says.
 */
import * as vscode from 'vscode';
import type { Returns } from '../../core/engine';
import { requireTrust } from '../host/trust';
import type { Services } from '../services';

type SetSummary = Returns<'runChangeSet'>;

const ACROSS = 'Across the Repositories';
const ONE = 'In One Folder';

/** Where New Feature builds a change-set: its workspace's folder; undefined: an ordinary run; null: the user cancelled. */
export async function changeSetRoot(s: Services): Promise<string | undefined | null> {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  if (folders.length === 1) return (await s.engine.isChangeSetRoot(folders[0]!)) ? folders[0]! : undefined;
  if (folders.length < 2) return undefined;
  const found = await s.engine.folderWorkspace(folders);
  if (!found) return undefined;
  const writes =
    'proposal' in found
      ? ` No .claude/workspace.yaml names them yet: the one init would propose (${found.proposal.members.join(', ')}${found.proposal.uses.map((u) => `; ${u.consumer} uses ${u.producer} via ${u.via}`).join('')}) is written in ${found.root}.`
      : ` Its members and their order: ${found.file}.`;
  const answer = await vscode.window.showInformationMessage(
    'Build the feature across the repositories of this workspace, as one change-set?',
    {
      modal: true,
      detail: `One spec for every repository, one approval, each one's part built producers first with its producers' changes linked in.${writes}`,
    },
    ACROSS,
    ONE,
  );
  if (answer === ONE) return undefined;
  if (answer !== ACROSS) return null;
  return (await s.engine.adoptFolderWorkspace(folders)).root;
}

/** The change-set's run from `root`: its parts written and saved, then its approval offered (the set runs in place, so trusted only). */
export async function startChangeSet(s: Services, root: string, given: string | undefined): Promise<void> {
  if (!requireTrust('New Feature across repositories')) return;
  const request =
    given ??
    (await vscode.window.showInputBox({
      title: 'Orchestrator: New Feature across the Repositories',
      prompt: 'Describe the feature to build: one spec for every repository of the workspace',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim().length < 3 ? 'Please describe it in a few words.' : undefined),
    }));
  if (!request) return;
  await runSet(s, root, request, (o) => s.engine.runChangeSet(request, o));
}

async function runSet(
  s: Services,
  root: string,
  label: string,
  execute: (o: Parameters<Services['engine']['runChangeSet']>[1]) => Promise<SetSummary>,
): Promise<void> {
  let set: SetSummary | undefined;
  await s.runs.run({
    kind: 'feature',
    label,
    workspace: root,
    needsKey: true,
    isolation: 'in-place',
    execute: async (o) => {
      set = await execute(o);
    },
  });
  if (!set) return;
  await s.specs.refresh();
  const members = set.members.map((m) => `${m.name} ${m.status}${m.reason ? ` (${m.reason})` : ''}`).join(', ');
  s.log.write(set.status === 'stopped' ? 'error' : 'info', `change-set ${set.setId}: ${set.status}: ${members}`);
  const said = `Orchestrator: change-set ${set.setId} ${set.status === 'stopped' ? `stopped at ${set.stoppedAt ?? 'a member'}` : set.status}, producers first: ${members}.`;
  if (set.status !== 'spec-saved') {
    void (set.status === 'completed'
      ? vscode.window.showInformationMessage(said)
      : vscode.window.showErrorMessage(said));
    return;
  }
  const approve = 'Approve Change-Set';
  const open = 'Open Spec';
  const choice = await vscode.window.showInformationMessage(said, approve, open);
  const { setId, specPath } = set;
  if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(specPath));
  // One approval for every part, as `orchestrator approve <setId>`: each member built producers first.
  if (choice === approve) await runSet(s, root, `approve ${setId}`, (o) => s.engine.approveChangeSet(setId, o));
}
